package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.TabletSchema;
import io.snapbus.tabletformat.RowHasher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.snapbus.rows.ContentChecksum;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.Syncable;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * Writes one rowset file: an Avro object container file (zstandard-compressed, the tablet's Avro schema inside)
 * streamed to a temporary name, with its size, md5 and {@link ContentChecksum content checksum} computed on the way;
 * {@link #commit()} fsyncs it and renames it to {@code <rowsetId>_0.dat}. Closing without committing deletes the
 * temporary file.
 */
final class RowsetWriter implements AutoCloseable {
    private static final CodecFactory CODEC = CodecFactory.zstandardCodec(3);
    private static final int BLOCK_BYTES = 256 * 1024;

    private final Path target;
    private final Path temp;
    private final MeasuredChannelStream out;
    private final DataFileWriter<GenericRecord> writer;
    private final RowHasher hasher;
    private final ContentChecksum.Accumulator checksum = new ContentChecksum.Accumulator();
    private long rows;
    private boolean closed;

    private RowsetWriter(Path target, Path temp, MeasuredChannelStream out, DataFileWriter<GenericRecord> writer,
                         RowHasher hasher) {
        this.target = target;
        this.temp = temp;
        this.out = out;
        this.writer = writer;
        this.hasher = hasher;
    }

    static RowsetWriter create(Path dir, String rowsetId, TabletSchema tabletSchema) throws IOException {
        Schema schema = tabletSchema.toAvroSchema();
        Path target = dir.resolve(TabletFiles.segmentName(rowsetId, 0));
        Path temp = DurableFiles.tempFor(target);
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        MeasuredChannelStream out = new MeasuredChannelStream(channel);
        DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema));
        try {
            writer.setCodec(CODEC).setSyncInterval(BLOCK_BYTES).create(schema, out);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        return new RowsetWriter(target, temp, out, writer, new RowHasher(tabletSchema));
    }

    void append(GenericRecord row) throws IOException {
        checksum.addRow(hasher.hash(row));
        writer.append(row);
        rows++;
    }

    long rowCount() {
        return rows;
    }

    /** The rows appended so far and the sum of their hashes. */
    ContentChecksum checksum() {
        return checksum.result();
    }

    /** Makes the file durable under its final name; a rowset without rows has no file. */
    Optional<RowsetFile> commit() throws IOException {
        writer.fSync();
        writer.close();
        closed = true;
        if (rows == 0) {
            Files.deleteIfExists(temp);
            return Optional.empty();
        }
        DurableFiles.rename(temp, target);
        return Optional.of(new RowsetFile(target.getFileName().toString(), out.count,
                HexFormat.of().formatHex(out.md5.digest())));
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                // The file is abandoned anyway.
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Writes to a file channel, counting bytes and computing their md5; {@link #sync()} is an fsync. */
    private static final class MeasuredChannelStream extends OutputStream implements Syncable {
        private final FileChannel channel;
        private final MessageDigest md5;
        private long count;

        MeasuredChannelStream(FileChannel channel) {
            this.channel = channel;
            try {
                this.md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has MD5", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            md5.update(bytes, offset, length);
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            count += length;
        }

        @Override
        public void sync() throws IOException {
            channel.force(true);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
