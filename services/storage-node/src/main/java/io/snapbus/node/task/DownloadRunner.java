package io.snapbus.node.task;

import io.snapbus.node.restore.DownloadExecutor;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TDownloadReq;
import io.snapbus.thrift.TFinishTaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DOWNLOAD: fills restore snapshot dirs from the repository; the finish report carries the local tablets whose dir is
 * complete ({@code downloaded_tablet_ids}), on failure too, as Doris's BE does.
 */
public final class DownloadRunner implements TaskRunner {
    private final DownloadExecutor executor;

    public DownloadRunner(DownloadExecutor executor) {
        this.executor = executor;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        if (!task.isSetDownload_req()) {
            return Optional.of("download_req is missing");
        }
        TDownloadReq request = task.getDownload_req();
        if (request.getSrc_dest_map() == null || request.getSrc_dest_map().isEmpty()) {
            return Optional.of("download_req.src_dest_map is empty");
        }
        return Optional.empty();
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) throws InterruptedException {
        List<Long> downloaded = new ArrayList<>();
        try {
            DownloadExecutor.Outcome outcome = executor.download(task.getSignature(), task.getDownload_req(),
                    downloaded);
            report.setCopy_size(outcome.bytesDownloaded());
            report.setCopy_time_ms(outcome.millis());
        } finally {
            report.setDownloaded_tablet_ids(List.copyOf(downloaded));
        }
    }
}
