package io.snapbus.jobs.api.v1;

import io.snapbus.api.Dropped;
import io.snapbus.api.Page;
import io.snapbus.api.repository.AlterRepositoryRequest;
import io.snapbus.api.repository.CreateRepositoryRequest;
import io.snapbus.api.repository.Repository;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.repository.RepositoryService;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** v1 of backup repositories (never with a secret) and the snapshots they hold. */
@RestController
@RequestMapping("/api/v1/repositories")
@Tag(name = "repositories", description = "Backup repositories and their snapshots")
public class RepositoryV1Controller {
    private final Catalog catalog;
    private final RepositoryService repositories;

    public RepositoryV1Controller(Catalog catalog, RepositoryService repositories) {
        this.catalog = catalog;
        this.repositories = repositories;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public Repository create(@Valid @RequestBody CreateRepositoryRequest request) {
        return RepositoryDtos.repository(repositories.create(RepositoryDtos.request(request)));
    }

    @GetMapping
    public List<Repository> list() {
        return catalog.repositories().stream().map(RepositoryDtos::repository).toList();
    }

    /** ALTER REPOSITORY of an S3 repository, checked against its storage first; running backups use the new one. */
    @PatchMapping("/{name}")
    public Repository alter(@PathVariable("name") String name, @Valid @RequestBody AlterRepositoryRequest request) {
        return RepositoryDtos.repository(repositories.alter(name, RepositoryDtos.alteration(request)));
    }

    @DeleteMapping("/{name}")
    public Dropped drop(@PathVariable("name") String name) {
        repositories.drop(name);
        return new Dropped(name);
    }

    /** The repository's snapshots, newest first (by the label's newest backup, then label). */
    @GetMapping("/{name}/snapshots")
    public Page<Snapshot> snapshots(@PathVariable("name") String name,
            @RequestParam(name = "offset", defaultValue = "0") @Min(value = 0, message = Pages.OFFSET) int offset,
            @RequestParam(name = "limit", defaultValue = "" + Page.DEFAULT_LIMIT)
            @Min(value = 1, message = Pages.LIMIT) @Max(value = Page.MAX_LIMIT, message = Pages.LIMIT) int limit) {
        List<Snapshot> all = repositories.snapshots(name).stream().map(RepositoryDtos::snapshot)
                .sorted(RepositoryDtos.NEWEST_FIRST).toList();
        return Page.of(all, offset, limit);
    }
}
