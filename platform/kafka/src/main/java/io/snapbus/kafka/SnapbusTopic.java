package io.snapbus.kafka;

import io.snapbus.avro.AgentTaskBatch;
import io.snapbus.avro.BackendStatusRecord;
import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.CatalogRecord;
import io.snapbus.avro.JobEvent;
import io.snapbus.avro.RestoreJobRecord;
import io.snapbus.avro.TaskResult;
import org.apache.avro.specific.SpecificRecord;

/** The topics of snapbus (DESIGN.md §3): their name without prefix, value type, cleanup and default partitions. */
public enum SnapbusTopic {
    /** Job-service to agents, keyed by backend id. */
    AGENT_TASKS("agent-tasks", AgentTaskBatch.class, false, 12),
    /** Agents to job-service, keyed by job id. */
    TASK_RESULTS("task-results", TaskResult.class, false, 6),
    /** Job state, keyed by job id (and sub-keys of large parts); replayed on start. */
    BACKUP_JOBS("backup-jobs", BackupJobRecord.class, true, 6),
    /** Restore job state, keyed by job id (and sub-keys of replica and plan chunks); replayed on start. */
    RESTORE_JOBS("restore-jobs", RestoreJobRecord.class, true, 6),
    /** Transitions, progress and errors for integrations, keyed by job id. */
    JOB_EVENTS("job-events", JobEvent.class, false, 6),
    /** The catalog, keyed by object key; one partition so replay sees commits in order. */
    CATALOG("catalog", CatalogRecord.class, true, 1),
    /** Backend status and tablet reports, keyed by backend id. */
    BACKENDS("backends", BackendStatusRecord.class, true, 6);

    private final String suffix;
    private final Class<? extends SpecificRecord> valueType;
    private final boolean compacted;
    private final int defaultPartitions;

    SnapbusTopic(String suffix, Class<? extends SpecificRecord> valueType, boolean compacted, int defaultPartitions) {
        this.suffix = suffix;
        this.valueType = valueType;
        this.compacted = compacted;
        this.defaultPartitions = defaultPartitions;
    }

    /** Name without the configurable prefix, e.g. {@code agent-tasks}; also the key of per-topic overrides. */
    public String suffix() {
        return suffix;
    }

    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    public boolean compacted() {
        return compacted;
    }

    public int defaultPartitions() {
        return defaultPartitions;
    }
}
