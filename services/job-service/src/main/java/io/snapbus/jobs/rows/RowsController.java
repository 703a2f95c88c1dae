package io.snapbus.jobs.rows;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /api/databases/{db}/tables/{table}/rows[?partition=p][&limit=n]}: the table's rows as NDJSON in the load
 * format (a load of the output reproduces the table), in partition and bucket order. Unknown names are 404, a bad
 * limit 400, both before any row is sent; a node failing mid-stream cuts the response short.
 */
@RestController
public class RowsController {
    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final TableRowsReader reader;

    public RowsController(TableRowsReader reader) {
        this.reader = reader;
    }

    @GetMapping("/api/databases/{db}/tables/{table}/rows")
    public ResponseEntity<StreamingResponseBody> rows(@PathVariable("db") String db,
            @PathVariable("table") String table,
            @RequestParam(name = "partition", required = false) String partition,
            @RequestParam(name = "limit", required = false) String limit) {
        TableRowsReader.ReadPlan plan = reader.plan(db, table, partition, limit);
        return ResponseEntity.ok().contentType(NDJSON).body(out -> reader.write(plan, out));
    }
}
