package io.snapbus.jobs.retention;

import io.snapbus.api.Dropped;
import io.snapbus.api.retention.CreateRetentionPolicyRequest;
import io.snapbus.api.retention.RetentionPolicy;
import io.snapbus.api.retention.RetentionRun;
import io.snapbus.avro.RetentionPolicyDef;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** v1 of retention policies: define, list, delete, and apply one now. */
@RestController
@RequestMapping("/api/v1/retention-policies")
@Tag(name = "retention", description = "Which snapshots a repository keeps (Elasticsearch SLM's retention)")
public class RetentionV1Controller {
    private final RetentionService retention;

    public RetentionV1Controller(RetentionService retention) {
        this.retention = retention;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public RetentionPolicy create(@Valid @RequestBody CreateRetentionPolicyRequest request) {
        return policy(retention.create(request));
    }

    @GetMapping
    public List<RetentionPolicy> list() {
        return retention.list().stream().map(RetentionV1Controller::policy).toList();
    }

    @GetMapping("/{name}")
    public RetentionPolicy get(@PathVariable("name") String name) {
        return policy(retention.require(name));
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Deletes a retention policy", description = "Its snapshots stay.")
    public Dropped delete(@PathVariable("name") String name) {
        retention.delete(name);
        return new Dropped(name);
    }

    @PostMapping("/{name}/run")
    @Operation(summary = "Applies a retention policy now", description = "Deletes the policy's snapshots its limits"
            + " no longer keep, and the leftovers of its failed backups once a newer one succeeded, within"
            + " snapbus.retention.time-budget; each deletion is a DELETE event, the run a RETENTION event.")
    public RetentionRun run(@PathVariable("name") String name) {
        return retention.run(name);
    }

    static RetentionPolicy policy(RetentionPolicyDef def) {
        return new RetentionPolicy(def.getName(), def.getRepository(), def.getExpireAfterMs() / 1000,
                def.getMinCount(), def.getMaxCount(), def.getCreatedAtMs());
    }
}
