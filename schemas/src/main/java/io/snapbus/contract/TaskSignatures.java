package io.snapbus.contract;

/**
 * Agent task signatures that carry their owner: {@code owner << 24 | sequence}, where the owner is a job id (backup
 * job, load, DDL operation; all from the job-service's id allocator) and the sequence counts the owner's tasks. A
 * stateless agent turns any finish report back into a result keyed by its job without remembering what it sent.
 */
public final class TaskSignatures {
    /** Tasks one owner may create (16.7 million): 300 000 tablets × (snapshot + retries) + uploads + releases fit. */
    public static final int SEQUENCE_BITS = 24;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    private static final long MAX_OWNER = Long.MAX_VALUE >>> SEQUENCE_BITS;

    private TaskSignatures() {}

    public static long of(long owner, long sequence) {
        if (owner <= 0 || owner > MAX_OWNER) {
            throw new IllegalArgumentException("task owner id " + owner + " is out of range 1.." + MAX_OWNER);
        }
        if (sequence < 0 || sequence > SEQUENCE_MASK) {
            throw new IllegalArgumentException("owner " + owner + " ran out of task signatures (sequence "
                    + sequence + ")");
        }
        return (owner << SEQUENCE_BITS) | sequence;
    }

    public static long owner(long signature) {
        return signature >>> SEQUENCE_BITS;
    }

    public static long sequence(long signature) {
        return signature & SEQUENCE_MASK;
    }
}
