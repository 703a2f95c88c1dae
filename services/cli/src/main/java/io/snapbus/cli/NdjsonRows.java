package io.snapbus.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Rows to load, as NDJSON: one compact JSON object a line, written by Jackson's streaming generator. */
public final class NdjsonRows {
    private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);

    private final ByteArrayOutputStream bytes;
    private final JsonGenerator json;

    public NdjsonRows(int expectedBytes) {
        bytes = new ByteArrayOutputStream(Math.max(expectedBytes, 64));
        try {
            json = JSON.createGenerator(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one row: {@code fields} writes its fields into the open object. */
    public NdjsonRows row(Fields fields) {
        try {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
            json.writeRaw('\n');
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] toBytes() {
        try {
            json.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields of one row. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator row) throws IOException;
    }
}
