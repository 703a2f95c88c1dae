package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.AgentTask;
import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.TaskFinished;
import io.snapbus.avro.TaskResult;
import io.snapbus.avro.TaskType;
import io.snapbus.kafka.KafkaClients;
import io.snapbus.kafka.SnapbusTopic;
import io.snapbus.kafka.TopicFollower;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tasks of one job the storage nodes ran, taken from their finish reports on task-results (one record per report
 * an agent published), not from logs. A node that gets a task again sends the same report again (the same snapshot
 * path, files and bytes): copies of one report are one run; a second run reports something else (a new snapshot
 * path; an upload that finds its files present skips them). Tablets come from the tasks on agent-tasks (a snapshot
 * task names its tablet) and from the reports (an upload lists its files per tablet). A restore's DOWNLOAD carries
 * several tablets; its report names the local tablets it completed ({@code downloadedTabletIds}), also on failure.
 */
record NodeTaskReports(
        /** Per type and signature, the distinct finish reports (as Avro JSON). */
        Map<TaskType, Map<Long, Set<String>>> reportsBySignature,
        Map<TaskType, Map<Long, Set<Long>>> signaturesByTablet,
        /** The distinct DOWNLOAD finish reports, each once, at the time its first copy was published. */
        List<DownloadRun> downloads) {

    /**
     * One DOWNLOAD run as its node reported it: the local tablets it names complete, whatever its status (a failed
     * run's complete tablets count as downloaded too), and when the agent published its first copy.
     */
    record DownloadRun(long backendId, long signature, List<Long> tabletIds, long reportedAtMs, String report) {}

    private static final Duration READ_WITHIN = Duration.ofSeconds(60);

    /** Reads task-results and agent-tasks from the beginning to their current end. */
    static NodeTaskReports of(KafkaClients clients, long jobId) {
        Map<Long, Long> tabletOfTask = new HashMap<>();
        TopicFollower.<AgentTaskBatch>replay(clients, clients.catalogue().name(SnapbusTopic.AGENT_TASKS), READ_WITHIN,
                (key, batch) -> {
                    if (batch != null && batch.getJobId() == jobId) {
                        for (AgentTask task : batch.getTasks()) {
                            if (task.getTablet() != null) {
                                tabletOfTask.put(task.getSignature(), task.getTablet().getTabletId());
                            }
                        }
                    }
                });
        Map<TaskType, Map<Long, Set<String>>> reports = new TreeMap<>();
        Map<TaskType, Map<Long, Set<Long>>> byTablet = new TreeMap<>();
        Map<String, DownloadRun> downloads = new LinkedHashMap<>();
        TopicFollower.<TaskResult>replay(clients, clients.catalogue().name(SnapbusTopic.TASK_RESULTS), READ_WITHIN,
                (key, result) -> {
                    if (result == null || result.getJobId() != jobId
                            || !(result.getEvent() instanceof TaskFinished finished)) {
                        return;
                    }
                    long signature = result.getSignature();
                    if (result.getTaskType() == TaskType.DOWNLOAD && finished.getDownloadedTabletIds() != null) {
                        downloads.putIfAbsent(signature + " " + finished, new DownloadRun(result.getBackendId(),
                                signature, List.copyOf(finished.getDownloadedTabletIds()), result.getReportedAtMs(),
                                finished.toString()));
                    }
                    reports.computeIfAbsent(result.getTaskType(), t -> new TreeMap<>())
                            .computeIfAbsent(signature, s -> new LinkedHashSet<>()).add(finished.toString());
                    Set<Long> tablets = new LinkedHashSet<>();
                    if (tabletOfTask.containsKey(signature)) {
                        tablets.add(tabletOfTask.get(signature));
                    }
                    if (finished.getTabletFiles() != null) {
                        finished.getTabletFiles().keySet().forEach(tablet -> tablets.add(Long.parseLong(tablet)));
                    }
                    for (long tablet : tablets) {
                        byTablet.computeIfAbsent(result.getTaskType(), t -> new TreeMap<>())
                                .computeIfAbsent(tablet, t -> new LinkedHashSet<>()).add(signature);
                    }
                });
        return new NodeTaskReports(reports, byTablet, List.copyOf(downloads.values()));
    }

    /** Tasks run per type (MAKE_SNAPSHOT, UPLOAD), after checking that none ran twice. */
    Map<String, Integer> runsOf(List<TaskType> types) {
        assertNothingRanTwice(types);
        Map<String, Integer> runs = new TreeMap<>();
        for (TaskType type : types) {
            int count = reportsBySignature.getOrDefault(type, Map.of()).size();
            if (count > 0) {
                runs.put(type.name(), count);
            }
        }
        return runs;
    }

    /** Each task reported one outcome (copies of one report aside), and no tablet got two tasks of a type. */
    void assertNothingRanTwice(List<TaskType> types) {
        for (TaskType type : types) {
            reportsBySignature.getOrDefault(type, Map.of()).forEach((signature, distinct) ->
                    assertThat(distinct).as("distinct finish reports of %s %d: a second one means it ran again",
                            type, signature).hasSize(1));
            signaturesByTablet.getOrDefault(type, Map.of()).forEach((tablet, signatures) ->
                    assertThat(signatures).as("%s tasks that reported on tablet %d", type, tablet).hasSize(1));
        }
    }

    /**
     * Per local tablet ({@code backendId/tabletId}), the DOWNLOAD runs that named it complete. Copies of one report
     * are one run: a node asked again for a task it finished sends its report again, while a second run (a re-send
     * under a new signature, or the same one to a restarted node) reports again with what it fetched then.
     */
    Map<String, Integer> downloadRunsPerLocalTablet() {
        Map<String, Integer> runs = new TreeMap<>();
        for (DownloadRun run : downloads) {
            run.tabletIds().forEach(tablet -> runs.merge(run.backendId() + "/" + tablet, 1, Integer::sum));
        }
        return runs;
    }

    /** Local tablets ({@code backendId/tabletId}) named complete by a DOWNLOAD report published before {@code ms}. */
    Set<String> downloadedBefore(long ms) {
        Set<String> tablets = new TreeSet<>();
        downloads.stream().filter(run -> run.reportedAtMs() < ms).forEach(run -> run.tabletIds().forEach(
                tablet -> tablets.add(run.backendId() + "/" + tablet)));
        return tablets;
    }
}
