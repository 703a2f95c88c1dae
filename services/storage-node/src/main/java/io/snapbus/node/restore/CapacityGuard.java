package io.snapbus.node.restore;

import io.snapbus.node.tablet.StoreException;
import io.snapbus.thrift.TStatusCode;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Doris's {@code reach_capacity_limit} before each downloaded file: the disk must not end up both at least
 * {@code usagePercent} full and with at most {@code leftBytes} free.
 */
public final class CapacityGuard {
    private final Path dataRoot;
    private final int usagePercent;
    private final long leftBytes;
    /** The data root's filesystem, found once: finding it reads the mount table, which cost more than a small file. */
    private volatile FileStore disk;

    public CapacityGuard(Path dataRoot, int usagePercent, long leftBytes) {
        this.dataRoot = dataRoot;
        this.usagePercent = usagePercent;
        this.leftBytes = leftBytes;
    }

    /** @throws StoreException EXCEEDED_LIMIT (INTERNAL_ERROR on the wire) when {@code fileSize} would not fit */
    public void check(long fileSize) {
        try {
            FileStore disk = disk();
            long capacity = disk.getTotalSpace();
            long available = disk.getUsableSpace();
            double used = capacity <= 0 ? 1.0 : (double) (capacity - available + fileSize) / capacity;
            if (used * 100 >= usagePercent && available - fileSize <= leftBytes) {
                throw new StoreException(TStatusCode.INTERNAL_ERROR, "EXCEEDED_LIMIT",
                        "reach the capacity limit of path " + dataRoot + ", file_size=" + fileSize);
            }
        } catch (IOException e) {
            throw new StoreException(TStatusCode.IO_ERROR, "cannot read the free space of " + dataRoot + ": " + e, e);
        }
    }

    private FileStore disk() throws IOException {
        FileStore found = disk;
        if (found == null) {
            found = Files.getFileStore(dataRoot);
            disk = found;
        }
        return found;
    }
}
