package io.snapbus.jobs.engine.shell;

import io.snapbus.avro.TaskResult;
import io.snapbus.contract.TaskSignatures;
import io.snapbus.jobs.engine.EngineJob;
import io.snapbus.jobs.engine.TaskRetry;
import io.snapbus.jobs.observe.JobMdc;
import io.snapbus.jobs.observe.JobMetrics;
import io.snapbus.jobs.task.TaskGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead rule every job type's loop follows, once: a transition's newest persisted state is appended to the
 * job type's topic before anything else; only once the topic acknowledged it is the job shown in it (SHOW BACKUP,
 * SHOW RESTORE) and do its effects run. A state the topic refused keeps its effects waiting; later transitions join
 * it, and only the tick tries the topic again, so a refusing broker costs one timeout per tick, not one per result.
 * Used by its loop thread only, except the read side ({@link #shown}, {@link #unpersistedSince}).
 *
 * @param <J> the job
 * @param <E> the machine's effects
 */
public final class JobCommits<J extends EngineJob, E> {
    private static final Logger log = LoggerFactory.getLogger(JobCommits.class);

    /** A machine's transition: the new job and what to do about it. */
    public record Step<J, E>(J job, List<E> effects) {}

    /** Runs a persisted transition's effects other than the persist itself. */
    public interface EffectRunner<J, E> {
        /** {@code job}: the state the effects came with; {@code current}: the job's newest. */
        void run(J job, List<E> effects, J current);
    }

    /**
     * A job state the topic did not acknowledge.
     *
     * @param newest   the newest state to persist (written in full once the topic takes it)
     * @param steps    the transitions since the last acknowledged state, whose effects run once it is taken
     * @param sinceMs  when the first append failed
     * @param refusals appends of it the topic refused so far
     */
    private record Unacknowledged<J, E>(J newest, List<Step<J, E>> steps, long sinceMs, int refusals) {}

    private final String jobType;
    private final JobLog<J, ?> jobLog;
    private final Function<E, J> persisted;
    private final EffectRunner<J, E> effects;
    private final JobEventPublisher<J> events;
    /** Every job in its newest state (the loop's). */
    private final Map<Long, J> jobs = new ConcurrentHashMap<>();
    /** Every job in its newest state the topic acknowledged: what SHOW shows. */
    private final Map<Long, J> shown = new ConcurrentHashMap<>();
    private final Map<Long, Unacknowledged<J, E>> unacknowledged = new ConcurrentHashMap<>();
    private final Map<Long, TaskGateway.Registration> registrations = new ConcurrentHashMap<>();
    private final Function<J, String> stateName;
    private final UnaryOperator<J> retire;

    /**
     * @param jobType   what logs call the jobs ("backup")
     * @param persisted the job a Persist effect carries; null for any other effect
     * @param stateName a job's state, for the log line of each transition
     * @param retire    what a done job keeps in memory once it is persisted and its effects ran: the job itself
     *                  while a later state of it may still be persisted, else a smaller copy for SHOW (without its
     *                  tablets, which the topic holds)
     */
    public JobCommits(String jobType, JobLog<J, ?> jobLog, Function<E, J> persisted, EffectRunner<J, E> effects,
            JobEventPublisher<J> events, Function<J, String> stateName, UnaryOperator<J> retire) {
        this.retire = retire;
        this.jobType = jobType;
        this.jobLog = jobLog;
        this.persisted = persisted;
        this.effects = effects;
        this.events = events;
        this.stateName = stateName;
    }

    /** A job read back from the topic: known, shown, and its events numbered after its persisted ones. */
    public void replayed(J job) {
        events.resumed(job);
        keep(job);
    }

    /** The job as the loop and SHOW see it from now on: retired if done and nothing more of it will be persisted. */
    private void keep(J job) {
        J kept = job.isDone() ? retire.apply(job) : job;
        jobs.put(job.jobId(), kept);
        shown.put(job.jobId(), kept);
    }

    /**
     * A new job: appended in full; on success known and shown, with its task results routed by {@code register}, and
     * true; on a refusal nothing of it exists and false.
     */
    public boolean created(J job, Function<J, TaskGateway.Registration> register) {
        if (!append(List.of(job))) {
            return false;
        }
        jobs.put(job.jobId(), job);
        shown.put(job.jobId(), job);
        registrations.put(job.jobId(), register.apply(job));
        return true;
    }

    /**
     * A task result of the job arrived (any thread): metered against the job's newest state, which tells when the
     * task was last sent and whether it is still awaited.
     */
    public void resultArrived(long jobId, TaskResult result, long nowMs) {
        J job = jobs.get(jobId);
        var pending = job == null ? null : job.tasks().pending().get(result.getSignature());
        JobMetrics.global().taskFinished(jobType, result, pending == null ? null : pending.lastSentMs(), nowMs);
    }

    /** Routes a resumed job's task results. */
    public void registered(J job, TaskGateway.Registration registration) {
        registrations.put(job.jobId(), registration);
    }

    /** The job in its newest state (the loop's), or null. */
    public J current(long jobId) {
        return jobs.get(jobId);
    }

    /** Every job in its newest state (the loop's). */
    public List<J> all() {
        return List.copyOf(jobs.values());
    }

    /** Every job in its newest acknowledged state, by id. */
    public List<J> shown(Predicate<J> filter) {
        return shown.values().stream().filter(filter).sorted(Comparator.comparingLong(J::jobId)).toList();
    }

    public Optional<J> shown(long jobId) {
        return Optional.ofNullable(shown.get(jobId));
    }

    /** Whether the job's newest state waits for the topic (then none of its timers may run). */
    public boolean waiting(long jobId) {
        return unacknowledged.containsKey(jobId);
    }

    /** Why the job's newest state is not persisted yet; empty when it is. */
    public Optional<String> unpersistedSince(long jobId, String topic) {
        return Optional.ofNullable(unacknowledged.get(jobId)).map(u -> "state " + stateName.apply(u.newest())
                + " (seq " + u.newest().stateSeq() + ") not yet persisted to " + topic + ": refused " + u.refusals()
                + " times since " + Instant.ofEpochMilli(u.sinceMs()) + "; its tasks and events wait");
    }

    /** The states the topic refused are appended again (on the tick): the topic may take them now. */
    public void retryRefused() {
        List.copyOf(unacknowledged.keySet()).forEach(id -> commit(id, List.of(), true));
    }

    /**
     * A group commit: applies the results in arrival order, then commits each job's transitions at once (one append
     * of its newest state with every chunk any of them changed). At 300 000 tablets a persist per result would cost a
     * synchronous chunk-and-header round trip each.
     */
    public <I> void applyAll(List<ResultIntake.Queued<I>> results, BiFunction<J, I, Step<J, E>> apply) {
        Map<Long, List<Step<J, E>>> byJob = new LinkedHashMap<>();
        Map<Long, J> latest = new HashMap<>();
        for (ResultIntake.Queued<I> queued : results) {
            J job = latest.getOrDefault(queued.jobId(), jobs.get(queued.jobId()));
            if (job == null) {
                continue;
            }
            Step<J, E> step;
            try (JobMdc scope = JobMdc.of(job)) {
                step = apply.apply(job, queued.input());
            }
            latest.put(job.jobId(), step.job());
            byJob.computeIfAbsent(job.jobId(), id -> new ArrayList<>()).add(step);
        }
        byJob.values().forEach(this::commit);
    }

    /**
     * A node reports the signatures it holds: every unfinished job hears which of them are its own (the signature
     * carries the job), none at all included, so a task the node no longer names is known lost when it comes due.
     */
    public void tasksRunning(Set<Long> signatures, BiConsumer<J, Set<Long>> perJob) {
        Map<Long, Set<Long>> byJob = new HashMap<>();
        signatures.forEach(s -> byJob.computeIfAbsent(TaskSignatures.owner(s), j -> new HashSet<>()).add(s));
        jobs.values().stream().filter(job -> !job.isDone())
                .forEach(job -> perJob.accept(job, byJob.getOrDefault(job.jobId(), Set.of())));
    }

    /** Appends to the job's log, timed (snapbus.persist.latency). */
    private boolean append(List<J> states) {
        long started = System.nanoTime();
        boolean acknowledged = jobLog.append(states);
        JobMetrics.global().persisted(jobType, System.nanoTime() - started, acknowledged);
        return acknowledged;
    }

    /** Commits consecutive transitions of one job. */
    public void commit(List<Step<J, E>> steps) {
        commit(steps.get(0).job().jobId(), steps, false);
    }

    /**
     * The newest persisted state among {@code steps} is appended first; once the topic took it, the job is shown in
     * it and the steps' other effects run, in order. If the topic refuses it, nothing runs: the effects wait with the
     * state, so no task goes out and no event is published for a state a crash could still lose.
     */
    private void commit(long jobId, List<Step<J, E>> steps, boolean retry) {
        J named = steps.isEmpty() ? jobs.get(jobId) : steps.get(steps.size() - 1).job();
        if (named == null) {
            commitNamed(jobId, steps, retry);
            return;
        }
        try (JobMdc scope = JobMdc.of(named)) {
            commitNamed(jobId, steps, retry);
        }
    }

    private void commitNamed(long jobId, List<Step<J, E>> steps, boolean retry) {
        List<J> states = new ArrayList<>();
        for (Step<J, E> step : steps) {
            for (E effect : step.effects()) {
                J state = persisted.apply(effect);
                if (state != null) {
                    states.add(state);
                }
            }
        }
        if (states.stream().anyMatch(EngineJob::isRetired)) {
            // A retired job's tablets are only on the topic: writing this state would lose them. The machines never
            // persist a job its retire function let go; if one ever does, the state is refused, not written.
            log.error("{} job {}: a state of it after it was retired from memory was not persisted: {}", jobType,
                    jobId, stateName.apply(states.get(states.size() - 1)));
            return;
        }
        Unacknowledged<J, E> waiting = unacknowledged.remove(jobId);
        List<Step<J, E>> pending = new ArrayList<>(waiting == null ? List.of() : waiting.steps());
        pending.addAll(steps);
        if (!steps.isEmpty()) {
            jobs.put(jobId, steps.get(steps.size() - 1).job());
        }
        if (waiting != null || !states.isEmpty()) {
            // After a refusal the topic may hold anything of the job: its newest state is written in full.
            J newest = states.isEmpty() ? waiting.newest() : states.get(states.size() - 1);
            long sinceMs = waiting == null ? System.currentTimeMillis() : waiting.sinceMs();
            if (waiting != null && !retry) {
                unacknowledged.put(jobId, new Unacknowledged<>(newest, pending, sinceMs, waiting.refusals()));
                return;
            }
            if (!append(waiting == null ? states : List.of(newest))) {
                unacknowledged.put(jobId, new Unacknowledged<>(newest, pending, sinceMs,
                        waiting == null ? 1 : waiting.refusals() + 1));
                return;
            }
        }
        J before = shown.get(jobId);
        J current = jobs.get(jobId);
        shown.put(jobId, current);
        if (before != null && !stateName.apply(before).equals(stateName.apply(current))) {
            log.info("{} job {} ({}): {} -> {} {}", jobType, current.jobId(), current.label(),
                    stateName.apply(before), stateName.apply(current), current.status().ok() ? "" : current.status());
        }
        pending.forEach(t -> effects.run(t.job(), t.effects(), current));
        events.progressIfDue(current, System.currentTimeMillis());
        if (current.isDone() && (before == null || !before.isDone())) {
            TaskRetry.gaveUpOn(current.status()).ifPresent(kind -> JobMetrics.global().taskGivenUp(jobType,
                    kind.name()));
            JobMetrics.global().jobEnded(jobId);
        }
        if (current.isDone()) {
            events.forget(jobId);
            Optional.ofNullable(registrations.remove(jobId)).ifPresent(TaskGateway.Registration::close);
            keep(current);
        }
    }
}
