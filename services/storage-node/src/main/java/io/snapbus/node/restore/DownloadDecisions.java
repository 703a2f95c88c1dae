package io.snapbus.node.restore;

import io.snapbus.repository.RepositoryLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which repository files a DOWNLOAD fetches and which local files it deletes, as Doris decides: a file is fetched
 * when it is absent locally, is the header, or its local md5 differs from the one in its repository name; a local
 * file whose name (tablet id mapped back to the remote one) the repository does not list is stale. Pure.
 */
public final class DownloadDecisions {
    /** Suffix of the temporary names downloads write before renaming; leftovers are stale too. */
    public static final String TEMP_SUFFIX = ".download.tmp";

    private DownloadDecisions() {}

    /** One repository file: its stored name, its own name and md5, the local name it gets, and its size. */
    public record RemoteFile(String storedName, String name, String md5, String localName, long size) {}

    /**
     * Whether to fetch {@code file}.
     *
     * @param localMd5 the md5 of a local file by name, empty when it does not exist
     */
    public static boolean mustFetch(RemoteFile file, Function<String, Optional<String>> localMd5) {
        if (TabletFileNames.isHeader(file.localName())) {
            return true;
        }
        return localMd5.apply(file.localName()).map(md5 -> !md5.equals(file.md5())).orElse(true);
    }

    /**
     * The local files to delete: those the repository does not list (after mapping the tablet id back) and leftover
     * download temporaries. Files of unknown kind (e.g. Doris's LOADED marker) are left alone, as Doris does.
     *
     * @param remoteNames the repository files' own names (without md5)
     */
    public static List<String> stale(List<String> localNames, Set<String> remoteNames, long remoteTabletId) {
        List<String> stale = new ArrayList<>();
        for (String local : localNames) {
            if (local.endsWith(TEMP_SUFFIX)) {
                stale.add(local);
                continue;
            }
            TabletFileNames.toRemote(local, remoteTabletId)
                    .filter(remote -> !remoteNames.contains(remote))
                    .ifPresent(remote -> stale.add(local));
        }
        return stale;
    }

    /** The files of a repository listing that carry a valid {@code .<md5>} suffix, by their local names. */
    public static List<RemoteFile> remoteFiles(Map<String, Long> listing, long localTabletId) {
        List<RemoteFile> files = new ArrayList<>();
        listing.forEach((stored, size) -> RepositoryLayout.parseChecksummed(stored)
                .ifPresent(c -> files.add(new RemoteFile(stored, c.name(), c.md5(),
                        TabletFileNames.toLocal(c.name(), localTabletId), size))));
        return files;
    }
}
