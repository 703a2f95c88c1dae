package io.snapbus.node.restore;

import io.snapbus.node.tablet.StoreException;
import io.snapbus.thrift.TStatusCode;
import java.util.Optional;

/**
 * Doris's names of a tablet snapshot's files, here and in the repository: the header {@code <tabletId>.hdr} carries
 * its tablet's id, so a restore renames it to the local tablet's; rowset files ({@code <rowsetId>_<segment>.dat},
 * index files {@code .idx}) keep their names. Nothing else may be in a repository tablet dir.
 */
public final class TabletFileNames {
    static final String HEADER_SUFFIX = ".hdr";
    private static final String DATA_SUFFIX = ".dat";
    private static final String INDEX_SUFFIX = ".idx";

    private TabletFileNames() {}

    public static boolean isHeader(String name) {
        return name.endsWith(HEADER_SUFFIX);
    }

    /**
     * The local name of a file downloaded from the repository into the snapshot dir of {@code localTabletId}.
     *
     * @throws StoreException INTERNAL_ERROR "invalid tablet file name: <f>" for any other kind of file
     */
    public static String toLocal(String remoteName, long localTabletId) {
        return replaceTabletId(remoteName, localTabletId).orElseThrow(() -> new StoreException(
                TStatusCode.INTERNAL_ERROR, "invalid tablet file name: " + remoteName));
    }

    /** The name a local file would have in the repository dir of {@code remoteTabletId}; empty for unknown files. */
    public static Optional<String> toRemote(String localName, long remoteTabletId) {
        return replaceTabletId(localName, remoteTabletId);
    }

    /**
     * The remote tablet id: the digits after the last {@code _} of the repository tablet dir
     * ({@code .../__idx_<id>/__<tabletId>}).
     *
     * @throws StoreException INTERNAL_ERROR when there are none
     */
    public static long remoteTabletId(String remoteDir) {
        String dir = remoteDir;
        while (dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        int underscore = dir.lastIndexOf('_');
        try {
            if (underscore >= 0) {
                return Long.parseLong(dir.substring(underscore + 1));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StoreException(TStatusCode.INTERNAL_ERROR, "failed to get tablet id from remote path: "
                + remoteDir);
    }

    private static Optional<String> replaceTabletId(String name, long tabletId) {
        if (isHeader(name)) {
            return Optional.of(tabletId + HEADER_SUFFIX);
        }
        if (name.endsWith(DATA_SUFFIX) || name.endsWith(INDEX_SUFFIX)) {
            return Optional.of(name);
        }
        return Optional.empty();
    }
}
