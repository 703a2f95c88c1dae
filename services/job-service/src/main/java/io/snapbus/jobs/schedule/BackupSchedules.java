package io.snapbus.jobs.schedule;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snapbus.api.schedule.CreateScheduleRequest;
import io.snapbus.avro.BackupScheduleDef;
import io.snapbus.avro.RepositoryDef;
import io.snapbus.avro.RetentionPolicyDef;
import io.snapbus.jobs.TickingService;
import io.snapbus.jobs.StartupOrder;
import io.snapbus.jobs.api.ApiException;
import io.snapbus.jobs.backup.BackupJob;
import io.snapbus.jobs.backup.BackupRequest;
import io.snapbus.jobs.backup.BackupState;
import io.snapbus.jobs.backup.shell.BackupService;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.catalog.CatalogKeys;
import io.snapbus.jobs.retention.RetentionService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backup schedules: definitions and state in the catalog topic ({@code backup-schedule/<name>}), so a restarted
 * job-service goes on where the last one was; a tick every {@code snapbus.schedules.tick} applies {@link ScheduleStep}
 * to each and does what it says: start a backup, apply the retention policy after a success, publish an event.
 * Metrics per schedule: failures in a row and whether the alarm is up.
 */
public final class BackupSchedules extends TickingService {
    private static final Logger log = LoggerFactory.getLogger(BackupSchedules.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Set<String> ON_PREVIOUS_RUNNING = Set.of("WAIT", "SKIP");
    private static final Set<String> ON_FAILURE = Set.of("RETRY", "RESCHEDULE", "PAUSE");

    private final Catalog catalog;
    private final BackupService backups;
    private final RetentionService retention;
    private final ScheduleEvents events;
    private final MeterRegistry registry;
    private final Duration backupTimeout;
    private final Duration tick;
    private final Clock clock;
    private final Map<String, List<io.micrometer.core.instrument.Meter>> gauges = new ConcurrentHashMap<>();

    public BackupSchedules(Catalog catalog, BackupService backups, RetentionService retention, ScheduleEvents events,
            MeterRegistry registry, Duration backupTimeout, Duration tick, Clock clock) {
        super("backup-schedules", StartupOrder.JOBS + 1); // after the backups are resumed: a tick reads their jobs
        this.catalog = catalog;
        this.backups = backups;
        this.retention = retention;
        this.events = events;
        this.registry = registry;
        this.backupTimeout = backupTimeout;
        this.tick = tick;
        this.clock = clock;
    }

    /** Creates a schedule; 400 for bad fields, 404 for an unknown database or repository, 409 for a taken name. */
    public synchronized BackupScheduleDef create(CreateScheduleRequest request) {
        if (!NAME.matcher(request.name()).matches()) {
            throw ApiException.badRequest("Invalid schedule name '" + request.name() + "': a letter, then up to 63 "
                    + "letters, digits, '_' or '-'");
        }
        CronSchedule cron;
        try {
            cron = CronSchedule.parse(request.cron());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String onPrevious = choice("onPreviousRunning", request.onPreviousRunning(), "WAIT", ON_PREVIOUS_RUNNING);
        String onFailure = choice("onExecutionFailure", request.onExecutionFailure(), "RESCHEDULE", ON_FAILURE);
        if (catalog.database(request.db()).isEmpty()) {
            throw ApiException.notFound("UNKNOWN_DATABASE", "Unknown database '" + request.db() + "'");
        }
        RepositoryDef repository = catalog.repository(request.repository()).orElseThrow(() -> ApiException.notFound(
                "UNKNOWN_REPOSITORY", "Repository " + request.repository() + " does not exist"));
        if (repository.getRef().getReadOnly()) {
            throw ApiException.badRequest("Repository " + request.repository() + " is read only");
        }
        if (request.retentionPolicy() != null) {
            RetentionPolicyDef policy = retention.require(request.retentionPolicy());
            if (!policy.getRepository().equals(request.repository())) {
                throw ApiException.badRequest("Retention policy " + policy.getName() + " keeps the snapshots of "
                        + "repository " + policy.getRepository() + ", not of " + request.repository());
            }
        }
        request.tables().forEach(BackupSchedules::tableRequest);
        long now = clock.millis();
        BackupScheduleDef schedule = BackupScheduleDef.newBuilder().setName(request.name()).setDbName(request.db())
                .setTables(request.tables()).setRepository(request.repository()).setCron(request.cron().trim())
                .setFullEvery(request.fullEvery() == null ? 0 : request.fullEvery())
                .setRetentionPolicy(request.retentionPolicy()).setOnPreviousRunning(onPrevious)
                .setOnExecutionFailure(onFailure)
                .setAlarmAfterFailures(request.alarmAfterFailures() == null ? 5 : request.alarmAfterFailures())
                .setPaused(false).setCreatedAtMs(now).setNextRunMs(cron.nextAfter(now)).build();
        catalog.update(change -> {
            if (catalog.backupSchedule(request.name()).isPresent()) {
                throw ApiException.conflict("Schedule " + request.name() + " already exists");
            }
            return change.put(CatalogKeys.backupSchedule(request.name()), schedule);
        });
        log.info("created schedule {}: {} of {} to {} at '{}' (UTC), first at {}", schedule.getName(),
                schedule.getTables(), schedule.getDbName(), schedule.getRepository(), schedule.getCron(),
                java.time.Instant.ofEpochMilli(schedule.getNextRunMs()));
        return schedule;
    }

    public List<BackupScheduleDef> list() {
        return catalog.backupSchedules();
    }

    public BackupScheduleDef require(String name) {
        return catalog.backupSchedule(name).orElseThrow(() -> ApiException.notFound("UNKNOWN_SCHEDULE",
                "Schedule " + name + " does not exist"));
    }

    /** Deletes the schedule; its snapshots and a backup it started stay. */
    public synchronized void delete(String name) {
        catalog.update(change -> {
            require(name);
            return change.delete(CatalogKeys.backupSchedule(name));
        });
        List<io.micrometer.core.instrument.Meter> meters = gauges.remove(name);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
        log.info("deleted schedule {}", name);
    }

    /** Pauses (no backup fires) or resumes (the next fire time after now; the failure count starts over). */
    public synchronized BackupScheduleDef setPaused(String name, boolean paused) {
        BackupScheduleDef current = require(name);
        BackupScheduleDef.Builder next = BackupScheduleDef.newBuilder(current).setPaused(paused);
        if (!paused && current.getPaused()) {
            next.setNextRunMs(CronSchedule.parse(current.getCron()).nextAfter(clock.millis()))
                    .setConsecutiveFailures(0);
        }
        BackupScheduleDef changed = next.build();
        write(changed);
        events.announce(changed, paused ? "PAUSED" : "RESUMED", paused ? "paused" : "resumed, next run at "
                + java.time.Instant.ofEpochMilli(changed.getNextRunMs()), clock.millis());
        return changed;
    }

    /** Whether the schedule's failures in a row reached its alarm threshold. */
    public static boolean alarm(BackupScheduleDef schedule) {
        return schedule.getConsecutiveFailures() >= schedule.getAlarmAfterFailures();
    }

    /** One tick of every schedule; one failing does not stop the others. */
    synchronized void tickAll() {
        for (BackupScheduleDef schedule : list()) {
            try {
                tickOne(schedule);
            } catch (RuntimeException e) {
                log.warn("schedule {}: tick failed, tried again at the next one: {}", schedule.getName(),
                        e.toString());
            }
        }
    }

    private void tickOne(BackupScheduleDef schedule) {
        registerGauges(schedule.getName());
        long now = clock.millis();
        CronSchedule cron = CronSchedule.parse(schedule.getCron());
        ScheduleStep.Outcome outcome = ScheduleStep.tick(schedule, lastJob(schedule), now, cron);
        BackupScheduleDef after = outcome.schedule();
        for (ScheduleStep.Action action : outcome.actions()) {
            if (action instanceof ScheduleStep.Action.Start start) {
                try {
                    BackupJob job = backups.submit(backupRequest(after, start));
                    after = ScheduleStep.started(after, job.jobId());
                    events.announce(after, "STARTED", (start.full() ? "full" : "incremental") + " backup "
                            + start.label() + " started (job " + job.jobId() + ")", now);
                } catch (RuntimeException refused) {
                    ScheduleStep.Outcome failed = ScheduleStep.refused(after, String.valueOf(refused.getMessage()),
                            now, cron);
                    after = failed.schedule();
                    failed.actions().forEach(a -> perform(failed.schedule(), a, now));
                }
            } else {
                perform(after, action, now);
            }
        }
        if (!after.equals(schedule)) {
            write(after);
        }
    }

    private void perform(BackupScheduleDef schedule, ScheduleStep.Action action, long now) {
        if (action instanceof ScheduleStep.Action.Announce announce) {
            log.info("schedule {}: {}: {}", schedule.getName(), announce.state(), announce.message());
            events.announce(schedule, announce.state(), announce.message(), now);
        } else if (action instanceof ScheduleStep.Action.ApplyRetention apply) {
            try {
                retention.run(apply.policy());
            } catch (RuntimeException e) {
                log.warn("schedule {}: retention policy {} not applied: {}", schedule.getName(), apply.policy(),
                        e.toString());
            }
        }
    }

    /** How the schedule's last backup stands; null when it has none or the job is gone. */
    private ScheduleStep.LastJob lastJob(BackupScheduleDef schedule) {
        if (schedule.getLastJobId() < 0) {
            return null;
        }
        Optional<BackupJob> job = backups.job(schedule.getLastJobId());
        if (job.isEmpty()) {
            return null;
        }
        if (!job.get().isDone()) {
            return ScheduleStep.LastJob.RUNNING;
        }
        boolean finished = job.get().state() == BackupState.FINISHED;
        return new ScheduleStep.LastJob(false, finished, finished ? "" : job.get().status().toString());
    }

    private BackupRequest backupRequest(BackupScheduleDef schedule, ScheduleStep.Action.Start start) {
        List<BackupRequest.TableRequest> tables = schedule.getTables().stream().map(BackupSchedules::tableRequest)
                .toList();
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("content", BackupRequest.Content.ALL.name());
        properties.put("timeout", Long.toString(backupTimeout.toSeconds()));
        properties.put("type", start.full() ? BackupRequest.TYPE_FULL : BackupRequest.TYPE_INCREMENTAL);
        properties.put("schedule", schedule.getName());
        if (schedule.getRetentionPolicy() != null) {
            properties.put(BackupRequest.RETENTION_POLICY, schedule.getRetentionPolicy());
        }
        return new BackupRequest(start.label(), schedule.getDbName(), schedule.getRepository(), tables,
                backupTimeout.toMillis(), BackupRequest.Content.ALL, properties);
    }

    /** {@code name} or {@code name:p1,p2}. */
    private static BackupRequest.TableRequest tableRequest(String table) {
        int colon = table.indexOf(':');
        String name = colon < 0 ? table.trim() : table.substring(0, colon).trim();
        if (name.isEmpty()) {
            throw ApiException.badRequest("Invalid table '" + table + "': name or name:p1,p2");
        }
        List<String> partitions = colon < 0 ? List.of() : Arrays.stream(table.substring(colon + 1).split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        return new BackupRequest.TableRequest(name, partitions);
    }

    private void write(BackupScheduleDef schedule) {
        catalog.update(change -> {
            if (catalog.backupSchedule(schedule.getName()).isEmpty()) {
                return null; // deleted meanwhile
            }
            return change.put(CatalogKeys.backupSchedule(schedule.getName()), schedule);
        });
    }

    private void registerGauges(String name) {
        gauges.computeIfAbsent(name, n -> {
            List<io.micrometer.core.instrument.Meter> meters = new ArrayList<>();
            meters.add(Gauge.builder("snapbus.schedule.consecutive.failures", () -> catalog.backupSchedule(n)
                    .map(BackupScheduleDef::getConsecutiveFailures).orElse(0))
                    .description("Failed backups of the schedule in a row").tag("schedule", n).register(registry));
            meters.add(Gauge.builder("snapbus.schedule.alarm", () -> catalog.backupSchedule(n)
                    .map(s -> alarm(s) ? 1 : 0).orElse(0))
                    .description("1 while the schedule's failures in a row reached its alarm threshold")
                    .tag("schedule", n).register(registry));
            return meters;
        });
    }

    private static String choice(String field, String value, String fallback, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String upper = value.trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw ApiException.badRequest(field + " must be one of " + new java.util.TreeSet<>(allowed) + ", got '"
                    + value + "'");
        }
        return upper;
    }

    @Override
    public void start() {
        super.start();
        log.info("backup schedules: {} defined, checked every {} ms", list().size(), tick.toMillis());
    }

    @Override
    protected void tick() {
        tickAll();
    }

    @Override
    protected Duration firstDelay() {
        return tick;
    }

    @Override
    protected Duration interval() {
        return tick;
    }
}
