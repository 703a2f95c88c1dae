package io.snapbus.jobs.backup;

import static io.snapbus.jobs.backup.BackupScenario.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snapbus.avro.BackupJobRecord;
import io.snapbus.avro.BackupTabletChunk;
import io.snapbus.jobs.engine.PendingTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * What one tablet's result costs to persist in a 100 000-tablet job, written in full (every chunk, before) and as
 * the delta since the last persist (after). Prints the figures; asserts sizes only, never times.
 */
class PersistedBytesPerTransitionTest {
    private final BackupMachine machine = new BackupMachine(BackupSettings.defaults());

    @Test
    void oneSnapshotResultOfAHundredThousandTabletJobWritesOneChunkInsteadOfAll() {
        BackupJob planned = BackupRecordsDeltaTest.persisted(machine.apply(BackupScenario.job(),
                new BackupInput.Planned(BackupScenario.generated(100, 1, 1000), T0)));
        assertThat(planned.tablets()).hasSize(100_000);
        PendingTask task = BackupScenario.pendingFor(planned, 150_500L);
        BackupJob after = BackupRecordsDeltaTest.persisted(machine.apply(planned,
                BackupScenario.snapshotOk(task.signature(), 150_500L, T0 + 1)));

        long fullStart = System.nanoTime();
        Map<String, BackupJobRecord> full = BackupRecords.of(after);
        long fullBytes = bytes(full);
        long fullNanos = System.nanoTime() - fullStart;
        long deltaStart = System.nanoTime();
        Map<String, BackupJobRecord> delta = new BackupRecordsDelta().since(planned, after);
        long deltaBytes = bytes(delta);
        long deltaNanos = System.nanoTime() - deltaStart;

        // Before: every chunk, without the retry bookkeeping the tablets carry now.
        full.values().forEach(r -> {
            if (r.getPart() instanceof BackupTabletChunk chunk) {
                chunk.getTablets().forEach(t -> t.setPendingTask(null));
            }
        });
        long beforeBytes = bytes(full);

        System.out.printf("100000-tablet job, one snapshot result: before %d records %d bytes; full write with retry"
                + " bookkeeping %d bytes (%d ms to build and serialize); delta %d records %d bytes (%d ms to diff,"
                + " build and serialize)%n", full.size(), beforeBytes, fullBytes, fullNanos / 1_000_000,
                delta.size(), deltaBytes, deltaNanos / 1_000_000);
        assertThat(full).hasSize(100_000 / BackupRecords.TABLETS_PER_CHUNK + BackupRecords.metaChunkCount(after) + 1);
        assertThat(delta).hasSize(2);
        assertThat(deltaBytes * 50).isLessThan(fullBytes);

        // The diff once warm: further results, each persisted as the delta since the one before.
        BackupJob persisted = after;
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            PendingTask next = BackupScenario.pendingFor(persisted, 100_000L + 1000L * i + 7);
            BackupJob job = BackupRecordsDeltaTest.persisted(machine.apply(persisted,
                    BackupScenario.snapshotOk(next.signature(), next.tabletIds().get(0), T0 + 2 + i)));
            long start = System.nanoTime();
            assertThat(new BackupRecordsDelta().since(persisted, job)).hasSize(2);
            nanos[i] = System.nanoTime() - start;
            persisted = job;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("warm delta computation (diff + records, no serialization): median %.1f ms%n",
                nanos[nanos.length / 2] / 1e6);
    }

    private static long bytes(Map<String, BackupJobRecord> records) {
        SpecificDatumWriter<BackupJobRecord> writer = new SpecificDatumWriter<>(BackupJobRecord.class);
        long total = 0;
        for (Map.Entry<String, BackupJobRecord> record : records.entrySet()) {
            total += record.getKey().length();
            if (record.getValue() == null) {
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                writer.write(record.getValue(), encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            total += out.size();
        }
        return total;
    }
}
