package io.snapbus.repository;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copies one local file into another while computing its md5, reading the source once. MD5 runs at roughly a third of
 * the speed of a page-cache copy, so for files larger than one chunk the digest runs on a helper thread while the
 * calling thread reads and writes the next chunk: the copy then costs about as much as the digest alone.
 */
final class ChecksummingCopy implements AutoCloseable {

    /** Big enough to make syscalls cheap, small enough that a handful stay in the caches of a small machine. */
    static final int CHUNK_SIZE = 2 << 20;
    /** Read size of {@link #copyOnThisThread}: written, then digested while still in the core's cache. */
    private static final int SLICE_SIZE = 256 << 10;
    /** Chunks in flight per copy: one being digested, one being read and written, two of slack. */
    private static final int DEPTH = 4;
    /** Direct buffers kept for reuse (allocating and zeroing them per file would cost more than small files do). */
    private static final int MAX_POOLED = 4 * DEPTH;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final BlockingQueue<ByteBuffer> pool = new LinkedBlockingQueue<>(MAX_POOLED);
    private final ExecutorService digesters;

    ChecksummingCopy() {
        AtomicInteger threads = new AtomicInteger();
        this.digesters = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "repository-md5-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Copies all of {@code in} (expected to hold {@code expectedSize} bytes) to {@code out} and returns the md5 of what
     * was copied; fails if the source did not hold exactly {@code expectedSize} bytes (it changed while we read it).
     */
    byte[] copy(FileChannel in, FileChannel out, long expectedSize) throws IOException {
        MessageDigest digest = Md5.newDigest();
        long copied = expectedSize <= CHUNK_SIZE ? copyInline(in, out, digest, CHUNK_SIZE)
                : copyPipelined(in, out, digest);
        requireSize(expectedSize, copied);
        return digest.digest();
    }

    /**
     * As {@link #copy}, but on the calling thread only, in slices small enough to stay in the core's cache between
     * the write and the digest: for callers that already copy several files at once (a download's workers), where a
     * helper thread per file only adds cache misses.
     */
    byte[] copyOnThisThread(FileChannel in, FileChannel out, long expectedSize) throws IOException {
        MessageDigest digest = Md5.newDigest();
        requireSize(expectedSize, copyInline(in, out, digest, SLICE_SIZE));
        return digest.digest();
    }

    /** Copies with the kernel (sendfile/copy_file_range), no digest. */
    static void transfer(FileChannel in, FileChannel out, long expectedSize) throws IOException {
        long position = 0;
        while (position < expectedSize) {
            long n = in.transferTo(position, expectedSize - position, out);
            if (n <= 0) {
                break;
            }
            position += n;
        }
        requireSize(expectedSize, in.size() == expectedSize ? position : in.size());
    }

    /** Reads {@code slice} bytes at a time, writes them, then digests them; the bytes copied. */
    private long copyInline(FileChannel in, FileChannel out, MessageDigest digest, int slice) throws IOException {
        ByteBuffer buffer = borrow();
        try {
            long copied = 0;
            buffer.limit(slice);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                copied += buffer.remaining();
                writeFully(out, buffer.duplicate());
                digest.update(buffer);
                buffer.clear().limit(slice);
            }
            return copied;
        } finally {
            giveBack(List.of(buffer));
        }
    }

    private long copyPipelined(FileChannel in, FileChannel out, MessageDigest digest) throws IOException {
        List<ByteBuffer> buffers = new ArrayList<>(DEPTH);
        BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(DEPTH);
        // One slot more than there are buffers, so handing over END never blocks.
        BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(DEPTH + 1);
        for (int i = 0; i < DEPTH; i++) {
            ByteBuffer buffer = borrow();
            buffers.add(buffer);
            free.add(buffer);
        }
        Future<?> digesting;
        try {
            digesting = digesters.submit(() -> {
                for (ByteBuffer chunk = full.take(); chunk != END; chunk = full.take()) {
                    digest.update(chunk);
                    chunk.clear();
                    free.put(chunk);
                }
                return null;
            });
        } catch (RejectedExecutionException e) {
            giveBack(buffers);
            throw new IllegalStateException("the repository storage is closed", e);
        }
        long copied = 0;
        boolean handedOverEnd = false;
        try {
            while (true) {
                ByteBuffer chunk = takeFree(free, digesting);
                if (in.read(chunk) < 0) {
                    break;
                }
                chunk.flip();
                copied += chunk.remaining();
                writeFully(out, chunk.duplicate());
                full.add(chunk);
            }
            full.add(END);
            handedOverEnd = true;
            awaitDigest(digesting);
            return copied;
        } finally {
            if (!handedOverEnd) {
                // Let the digester drain and stop before its buffers go back to the pool.
                full.add(END);
                awaitQuietly(digesting);
            }
            giveBack(buffers);
        }
    }

    private static ByteBuffer takeFree(BlockingQueue<ByteBuffer> free, Future<?> digesting) throws IOException {
        try {
            while (true) {
                ByteBuffer chunk = free.poll(100, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    return chunk;
                }
                if (digesting.isDone()) {
                    awaitDigest(digesting);
                    throw new IOException("the md5 digest stopped before the copy finished");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying");
        }
    }

    private static void awaitDigest(Future<?> digesting) throws IOException {
        try {
            digesting.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the md5 digest");
        } catch (ExecutionException e) {
            throw new IOException("computing the md5 failed: " + e.getCause(), e.getCause());
        }
    }

    private static void awaitQuietly(Future<?> digesting) {
        try {
            digesting.get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the copy already failed; its exception is the one worth reporting
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }

    private static void requireSize(long expected, long actual) throws IOException {
        if (expected != actual) {
            throw new IOException("the source file changed while it was copied: expected " + expected + " bytes, found " + actual);
        }
    }

    private ByteBuffer borrow() {
        ByteBuffer buffer = pool.poll();
        return buffer != null ? buffer : ByteBuffer.allocateDirect(CHUNK_SIZE);
    }

    private void giveBack(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            buffer.clear();
            pool.offer(buffer);
        }
    }

    @Override
    public void close() {
        digesters.shutdown();
        pool.clear();
    }
}
