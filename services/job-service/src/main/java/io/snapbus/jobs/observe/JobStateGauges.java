package io.snapbus.jobs.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.restore.RestoreState;
import io.snapbus.jobs.restore.shell.RestoreService;
import io.snapbus.jobs.verify.VerificationReport;
import io.snapbus.jobs.verify.VerificationService;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code snapbus.jobs}: how many jobs of each type (backup, restore, verify) are in each state right now, as SHOW
 * shows them; counted when scraped, every state of a type present (0 included) so a dashboard's series never gaps.
 */
@Component
public class JobStateGauges implements MeterBinder {
    private final ObjectProvider<BackupService> backups;
    private final ObjectProvider<RestoreService> restores;
    private final ObjectProvider<VerificationService> verifications;

    /** Each job type is optional: a context without it (a test's) has no gauges for it. */
    public JobStateGauges(ObjectProvider<BackupService> backups, ObjectProvider<RestoreService> restores,
            ObjectProvider<VerificationService> verifications) {
        this.backups = backups;
        this.restores = restores;
        this.verifications = verifications;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        BackupService backup = backups.getIfAvailable();
        RestoreService restore = restores.getIfAvailable();
        VerificationService verify = verifications.getIfAvailable();
        for (BackupState state : backup == null ? new BackupState[0] : BackupState.values()) {
            gauge(registry, "backup", state.name(), () -> backup.jobs().stream().map(j -> j.state().name()));
        }
        for (RestoreState state : restore == null ? new RestoreState[0] : RestoreState.values()) {
            gauge(registry, "restore", state.name(), () -> restore.jobs().stream().map(j -> j.state().name()));
        }
        for (VerificationReport.State state : verify == null ? new VerificationReport.State[0]
                : VerificationReport.State.values()) {
            gauge(registry, "verify", state.name(), () -> verify.views().stream().map(v -> v.state()));
        }
    }

    private static void gauge(MeterRegistry registry, String type, String state, Supplier<Stream<String>> states) {
        Gauge.builder("snapbus.jobs", () -> states.get().filter(state::equals).count())
                .description("Jobs by type and state (as SHOW BACKUP / SHOW RESTORE show them)")
                .tags("type", type, "state", state)
                .register(registry);
    }
}
