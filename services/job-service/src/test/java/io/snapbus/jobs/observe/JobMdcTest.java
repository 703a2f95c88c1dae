package io.snapbus.jobs.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobMdcTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        MDC.clear();
    }

    @Test
    void aScopeNamesTheJobAndRestoresWhatWasThere() {
        try (JobMdc outer = JobMdc.of(1, "first")) {
            try (JobMdc inner = JobMdc.of(2, "second")) {
                assertThat(MDC.get(JobMdc.JOB_ID)).isEqualTo("2");
                assertThat(MDC.get(JobMdc.LABEL)).isEqualTo("second");
            }
            assertThat(MDC.get(JobMdc.JOB_ID)).isEqualTo("1");
            assertThat(MDC.get(JobMdc.LABEL)).isEqualTo("first");
        }
        assertThat(MDC.get(JobMdc.JOB_ID)).isNull();
        assertThat(MDC.get(JobMdc.LABEL)).isNull();
    }

    @Test
    void workHandedToAnotherThreadKeepsTheJobAndLeavesTheThreadClean() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (JobMdc scope = JobMdc.of(7, "nightly")) {
            JobMdc.propagating(pool).execute(() -> seen.complete(MDC.get(JobMdc.JOB_ID) + "/" + MDC.get(JobMdc.LABEL)));
        }
        assertThat(seen.get()).isEqualTo("7/nightly");
        assertThat(pool.submit(() -> MDC.get(JobMdc.JOB_ID)).get()).isNull();
    }
}
