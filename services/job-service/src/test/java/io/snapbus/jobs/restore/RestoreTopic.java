package io.snapbus.jobs.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.RestoreJobRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The restore-jobs topic for tests: records go through Avro's binary encoding, as the broker carries them, and are
 * kept in order (each key's latest value too, as compaction leaves it); a replay reads them back with
 * {@link RestoreRecordVersions}.
 */
final class RestoreTopic {
    private static final SpecificDatumWriter<RestoreJobRecord> WRITER =
            new SpecificDatumWriter<>(RestoreJobRecord.class);
    private static final SpecificDatumReader<RestoreJobRecord> READER =
            new SpecificDatumReader<>(RestoreJobRecord.class);

    /** Whether records go through the wire format (slow for thousands of appends of large chunks). */
    private final boolean wire;
    /** Every record appended, in order; a null value is a tombstone. */
    final List<Map.Entry<String, RestoreJobRecord>> log = new ArrayList<>();
    /** Each key's latest value. */
    final Map<String, RestoreJobRecord> latest = new HashMap<>();

    RestoreTopic() {
        this(true);
    }

    RestoreTopic(boolean wire) {
        this.wire = wire;
    }

    /** Appends {@code records} in their order, each through the wire format when this topic uses it. */
    void append(Map<String, RestoreJobRecord> records) {
        records.forEach((key, record) -> {
            RestoreJobRecord read = record == null || !wire ? record : decode(encode(record));
            log.add(new java.util.AbstractMap.SimpleEntry<>(key, read));
            if (read == null) {
                latest.remove(key);
            } else {
                latest.put(key, read);
            }
        });
    }

    /** The jobs a replay of the whole log rebuilds. */
    Map<Long, RestoreJob> replay() {
        RestoreRecordVersions versions = new RestoreRecordVersions();
        log.forEach(e -> versions.accept(e.getKey(), e.getValue()));
        return versions.jobs();
    }

    /** The one job a replay of the compacted topic (each key's latest value) rebuilds. */
    RestoreJob compactedReplay() {
        RestoreRecordVersions versions = new RestoreRecordVersions();
        latest.forEach(versions::accept);
        Map<Long, RestoreJob> jobs = versions.jobs();
        assertThat(jobs).hasSize(1);
        return jobs.values().iterator().next();
    }

    /** The job as a replay of its full write rebuilds it. */
    static RestoreJob roundTrip(RestoreJob job) {
        RestoreTopic topic = new RestoreTopic();
        topic.append(RestoreRecords.of(job));
        Map<Long, RestoreJob> jobs = topic.replay();
        assertThat(jobs).containsOnlyKeys(job.jobId());
        return jobs.get(job.jobId());
    }

    static byte[] encode(RestoreJobRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            WRITER.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static RestoreJobRecord decode(byte[] bytes) {
        try {
            return READER.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
