package io.snapbus.jobs.verify;

import io.snapbus.api.verify.StartVerificationRequest;
import io.snapbus.api.verify.Verification;
import io.snapbus.api.verify.VerificationStarted;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** v1 of snapshot verification: start one in the background (202), then read its report. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "verifications", description = "Checks of a snapshot in a repository; nothing is ever repaired")
public class VerificationV1Controller {
    private final VerificationService verifications;
    private final VerificationController legacy;

    public VerificationV1Controller(VerificationService verifications, VerificationController legacy) {
        this.verifications = verifications;
        this.legacy = legacy;
    }

    @PostMapping("/repositories/{repo}/snapshots/{label}/verify")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Starts verifying a snapshot", description = "Reports are kept in memory until the"
            + " job-service restarts.")
    public VerificationStarted start(@PathVariable("repo") String repository, @PathVariable("label") String label,
            @Valid @RequestBody(required = false) StartVerificationRequest request) {
        StartVerificationRequest body = request == null ? new StartVerificationRequest(null, null) : request;
        VerificationReport report = verifications.start(repository, label, body.timestamp(), body.level());
        return new VerificationStarted(report.id(), report.target().timestamp(), report.level().name());
    }

    @GetMapping("/verifications/{id}")
    public Verification report(@PathVariable("id") long id) {
        return verification(legacy.report(id));
    }

    /** The one place a verification's view becomes its v1 record. */
    static Verification verification(VerificationView view) {
        VerificationView.Counts counts = view.counts();
        VerificationView.Progress progress = view.progress();
        Map<String, Long> byKind = new TreeMap<>(view.problemsByKind());
        return new Verification(view.id(), view.repository(), view.label(), view.timestamp(), view.level(),
                view.state(), new Verification.Counts(counts.filesChecked(), counts.filesTotal(), counts.bytesRead(),
                        counts.tabletsChecked(), counts.tabletsTotal(), counts.rowsRead()),
                new Verification.Progress(progress.done(), progress.total(), progress.percent()),
                view.problems().stream().map(p -> new Verification.Finding(p.kind().name(), p.path(), p.tabletId(),
                        p.expected(), p.actual())).toList(),
                view.problemsTotal(), byKind, view.startedAtMs(), view.finishedAtMs(), view.message());
    }
}
