package io.snapbus.node.tablet;

import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.TabletHeader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the tablets of {@code data/} when a store opens, and finishes or undoes what a crash interrupted: only
 * what a header or a pending manifest lists was committed; temporary files, unlisted rowset files, pending
 * directories without a complete manifest and tablet directories without a header are deleted. A header that
 * cannot be read moves its tablet directory to the trash rather than deleting data.
 */
final class TabletLoader {
    private static final Logger log = LoggerFactory.getLogger(TabletLoader.class);

    private final Path data;
    private final Path trash;
    private long highestRowsetCounter = -1;

    private TabletLoader(Path data, Path trash) {
        this.data = data;
        this.trash = trash;
    }

    record Loaded(List<Tablet> tablets, long highestRowsetCounter) {}

    static Loaded load(Path data, Path trash) throws IOException {
        TabletLoader loader = new TabletLoader(data, trash);
        List<Tablet> tablets = new ArrayList<>();
        for (Path idDir : children(data)) {
            Long tabletId = parseLong(idDir.getFileName().toString());
            if (tabletId == null || !Files.isDirectory(idDir, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("ignoring {}: not a tablet directory", idDir);
                continue;
            }
            loader.loadTablet(tabletId, idDir, tablets);
        }
        return new Loaded(tablets, loader.highestRowsetCounter);
    }

    private void loadTablet(long tabletId, Path idDir, List<Tablet> tablets) throws IOException {
        Tablet loaded = null;
        for (Path dir : children(idDir)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("ignoring {}: not a tablet directory", dir);
                continue;
            }
            Path headerFile = dir.resolve(TabletFiles.headerName(tabletId));
            if (!Files.exists(headerFile)) {
                log.warn("deleting {}: no header, a tablet creation was interrupted", dir);
                DurableFiles.deleteTree(dir);
                continue;
            }
            TabletHeader header;
            try {
                header = TabletFiles.readHeader(headerFile);
                if (header.tabletId() != tabletId
                        || !Integer.toString(header.schemaHash()).equals(dir.getFileName().toString())) {
                    throw new IOException("header of tablet " + header.tabletId() + "/" + header.schemaHash()
                            + " in the wrong directory");
                }
            } catch (IOException | RuntimeException e) {
                moveToTrash(dir, "unreadable header: " + e.getMessage());
                continue;
            }
            if (loaded != null) {
                moveToTrash(dir, "tablet " + tabletId + " is already loaded from " + loaded.dir());
                continue;
            }
            loaded = new Tablet(data, header); // its dir(), as the checks above made sure
            cleanTabletDir(loaded);
            loadPending(loaded);
            tablets.add(loaded);
        }
        DurableFiles.deleteIfEmpty(idDir);
    }

    private void cleanTabletDir(Tablet tablet) throws IOException {
        TabletHeader header = tablet.header();
        Set<String> listed = new HashSet<>();
        for (RowsetMeta rowset : header.rowsets()) {
            noteRowsetId(rowset.rowsetId());
            for (RowsetFile file : rowset.files()) {
                listed.add(file.name());
                if (!TabletFiles.present(tablet.dir(), file)) {
                    log.error("tablet {}: rowset {} file {} is missing or has the wrong size", tablet.id,
                            rowset.versionRange(), file.name());
                }
            }
        }
        for (Path file : children(tablet.dir())) {
            String name = file.getFileName().toString();
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (DurableFiles.isTemp(file)) {
                log.info("tablet {}: deleting {}, left by an interrupted write", tablet.id, name);
                Files.deleteIfExists(file);
            } else if (name.endsWith(TabletFiles.DATA_SUFFIX) && !listed.contains(name)) {
                log.info("tablet {}: deleting {}, a rowset file no header lists", tablet.id, name);
                Files.deleteIfExists(file);
            }
        }
    }

    private void loadPending(Tablet tablet) throws IOException {
        Path pendingRoot = tablet.dir().resolve(TabletFiles.PENDING_DIR);
        if (!Files.isDirectory(pendingRoot)) {
            return;
        }
        for (Path txnDir : children(pendingRoot)) {
            Long txnId = parseLong(txnDir.getFileName().toString());
            if (txnId == null) {
                log.warn("tablet {}: deleting {}, not a transaction directory", tablet.id, txnDir);
                DurableFiles.deleteTree(txnDir);
                continue;
            }
            if (tablet.header().publishedVersionOf(txnId).isPresent()) {
                DurableFiles.deleteTree(txnDir); // the publish committed; only its clean-up was interrupted
                continue;
            }
            PendingRowset manifest = readCompleteManifest(tablet, txnId, txnDir);
            if (manifest == null) {
                log.info("tablet {}: discarding the incomplete write of txn {}", tablet.id, txnId);
                DurableFiles.deleteTree(txnDir);
                continue;
            }
            Set<String> listed = new HashSet<>();
            manifest.files().forEach(file -> listed.add(file.name()));
            for (Path file : children(txnDir)) {
                String name = file.getFileName().toString();
                if (!name.equals(PendingRowset.MANIFEST) && !listed.contains(name)) {
                    DurableFiles.deleteTree(file);
                }
            }
            noteRowsetId(manifest.rowsetId());
            tablet.pending.put(txnId, manifest);
        }
    }

    private static PendingRowset readCompleteManifest(Tablet tablet, long txnId, Path txnDir) {
        if (!Files.exists(txnDir.resolve(PendingRowset.MANIFEST))) {
            return null;
        }
        try {
            PendingRowset manifest = TabletFiles.readManifest(txnDir);
            if (manifest.txnId() != txnId) {
                return null;
            }
            for (RowsetFile file : manifest.files()) {
                if (!TabletFiles.present(txnDir, file)) {
                    log.warn("tablet {}: pending file {} of txn {} is missing or has the wrong size", tablet.id,
                            file.name(), txnId);
                    return null;
                }
            }
            return manifest;
        } catch (IOException | RuntimeException e) {
            log.warn("tablet {}: unreadable manifest of txn {}: {}", tablet.id, txnId, e.toString());
            return null;
        }
    }

    private void moveToTrash(Path dir, String why) throws IOException {
        Path target = trash.resolve("tablet." + dir.getParent().getFileName() + "." + dir.getFileName() + "."
                + System.currentTimeMillis());
        log.error("moving {} to {}: {}", dir, target, why);
        Files.move(dir, target);
    }

    private void noteRowsetId(String rowsetId) {
        highestRowsetCounter = Math.max(highestRowsetCounter, RowsetIds.counterOf(rowsetId));
    }

    /** The entries of a directory, sorted by name. */
    static List<Path> children(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        return children;
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
