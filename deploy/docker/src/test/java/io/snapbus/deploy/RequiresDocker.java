package io.snapbus.deploy;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables a container test class, with the reason, when no Docker engine is reachable, so {@code mvn verify} reports
 * its tests as skipped; unless {@code SNAPBUS_REQUIRE_DOCKER=1} (set by .ci/run), where the class runs and fails in
 * {@link ContainerTests#requireDocker()}.
 */
public final class RequiresDocker implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (ContainerTests.dockerRequired() || ContainerTests.dockerAvailable()) {
            return ConditionEvaluationResult.enabled("a Docker engine is reachable, or required");
        }
        return ConditionEvaluationResult.disabled("container tests skipped: " + ContainerTests.NO_DOCKER);
    }
}
