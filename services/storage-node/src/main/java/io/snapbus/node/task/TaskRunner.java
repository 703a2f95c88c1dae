package io.snapbus.node.task;

import io.snapbus.thrift.TAgentTaskRequest;
import io.snapbus.thrift.TFinishTaskRequest;
import java.util.Optional;

/** Runs one type of agent task; what it learns goes into the task's finish report. */
public interface TaskRunner {
    /** A reason to refuse the task before it is queued (a missing or malformed request), or empty. */
    Optional<String> validate(TAgentTaskRequest task);

    /**
     * Runs the task and fills the type-specific fields of {@code report}. Failing is throwing: the dispatcher turns
     * the exception into the report's status.
     */
    void run(TAgentTaskRequest task, TFinishTaskRequest report) throws Exception;
}
