package io.snapbus.jobs.verify;

import io.snapbus.jobs.api.ApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Snapshot verification over REST: {@code POST /api/repositories/{repo}/snapshots/{label}/verify} starts one in the
 * background (202 with its id), {@code GET /api/verifications/{id}} answers its report.
 */
@RestController
public class VerificationController {
    private final VerificationService verifications;

    public VerificationController(VerificationService verifications) {
        this.verifications = verifications;
    }

    @PostMapping("/api/repositories/{repo}/snapshots/{label}/verify")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> start(@PathVariable("repo") String repository, @PathVariable("label") String label,
            @RequestBody(required = false) VerifyRequest request) {
        VerifyRequest body = request == null ? new VerifyRequest(null, null) : request;
        VerificationReport report = verifications.start(repository, label, body.timestamp(), body.level());
        return Map.of("id", report.id(), "timestamp", report.target().timestamp(), "level", report.level().name());
    }

    @GetMapping("/api/verifications/{id}")
    public VerificationView report(@PathVariable("id") long id) {
        return verifications.report(id).map(VerificationReport::view).orElseThrow(() -> ApiException.notFound(
                "UNKNOWN_VERIFICATION", "Verification " + id + " does not exist (reports are kept in memory until"
                        + " the job-service restarts)"));
    }
}
