package io.snapbus.node.task;

import io.snapbus.node.upload.UploadExecutor;
import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import io.snapbus.thrift.TUploadReq;
import java.util.Optional;

/** UPLOAD: copies snapshot dirs to the repository and reports tablet to uploaded {@code <file>.<md5>} names. */
public final class UploadRunner implements TaskRunner {
    private final UploadExecutor executor;

    public UploadRunner(UploadExecutor executor) {
        this.executor = executor;
    }

    @Override
    public Optional<String> validate(TAgentTaskRequest task) {
        if (!task.isSetUpload_req()) {
            return Optional.of("upload_req is missing");
        }
        TUploadReq request = task.getUpload_req();
        if (request.getSrc_dest_map() == null || request.getSrc_dest_map().isEmpty()) {
            return Optional.of("upload_req.src_dest_map is empty");
        }
        return Optional.empty();
    }

    @Override
    public void run(TAgentTaskRequest task, TFinishTaskRequest report) throws InterruptedException {
        UploadExecutor.Outcome outcome = executor.upload(task.getSignature(), task.getUpload_req());
        report.setTablet_files(outcome.tabletFiles());
        report.setSnapbus_tablet_bytes(outcome.tabletBytes());
        report.setCopy_size(outcome.bytesUploaded());
        report.setCopy_time_ms(outcome.millis());
    }
}
