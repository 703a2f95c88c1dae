package io.snapbus.jobs.api;

import tools.jackson.databind.JsonNode;
import io.snapbus.jobs.catalog.Catalog;
import io.snapbus.jobs.repository.RepositoryAlteration;
import io.snapbus.jobs.repository.RepositoryRequest;
import io.snapbus.jobs.repository.RepositoryService;
import io.snapbus.jobs.repository.SnapshotEntry;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Backup repositories (never with a secret: only the credential reference is shown) and their snapshots. */
@RestController
@RequestMapping("/api/repositories")
public class RepositoryController {
    private final Catalog catalog;
    private final RepositoryService repositories;

    public RepositoryController(Catalog catalog, RepositoryService repositories) {
        this.catalog = catalog;
        this.repositories = repositories;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public JsonNode create(@Valid @RequestBody RepositoryRequest request) {
        return AvroJson.of(repositories.create(request));
    }

    @GetMapping
    public List<JsonNode> list() {
        return AvroJson.of(catalog.repositories());
    }

    /**
     * ALTER REPOSITORY: an S3 repository's properties and credential reference, checked against its storage first;
     * running backups continue with them.
     */
    @PatchMapping("/{name}")
    public JsonNode alter(@PathVariable("name") String name, @Valid @RequestBody RepositoryAlteration alteration) {
        return AvroJson.of(repositories.alter(name, alteration));
    }

    @DeleteMapping("/{name}")
    public Map<String, Object> drop(@PathVariable("name") String name) {
        repositories.drop(name);
        return Map.of("dropped", name);
    }

    @GetMapping("/{name}/snapshots")
    public List<SnapshotEntry> snapshots(@PathVariable("name") String name) {
        return repositories.snapshots(name);
    }
}
