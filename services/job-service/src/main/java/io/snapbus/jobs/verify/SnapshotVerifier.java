package io.snapbus.jobs.verify;

import io.snapbus.jobs.restore.SnapshotInfo;
import io.snapbus.jobs.restore.shell.SnapshotInfoFile;
import io.snapbus.jobs.verify.Problem.Kind;
import io.snapbus.repository.ChecksummedName;
import io.snapbus.repository.Md5;
import io.snapbus.repository.RepositoryException;
import io.snapbus.repository.RepositoryLayout;
import io.snapbus.repository.RepositoryStorage;
import io.snapbus.rows.ContentChecksum;
import io.snapbus.tabletformat.RowsetFile;
import io.snapbus.tabletformat.RowsetMeta;
import io.snapbus.tabletformat.RowsetReader;
import io.snapbus.tabletformat.TabletHeader;
import io.snapbus.tabletformat.TabletHeaderFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks one backup of a snapshot in a repository and reports every problem to a {@link VerificationSink}; it reads
 * and never writes, so nothing is repaired. FILES: the job info and meta files, and every file the job info names,
 * exist, have the size their tablet header records and the md5 their name carries; files under the snapshot that no
 * job info of the label names are UNREFERENCED. DATA also reads every tablet's rows back from its rowset files (with
 * the storage nodes' own {@link RowsetReader}) and compares their count and content checksum with what the backup
 * recorded in the job info. A tablet's files are downloaded into {@code workDir} one tablet at a time.
 */
public final class SnapshotVerifier {
    private static final String META_PREFIX = RepositoryLayout.META_FILE + ".";
    /** Depth of the tablet dirs below {@code __ss_content}: db, table, partition, index, tablet. */
    private static final int TABLET_DEPTH = 5;

    private final RepositoryStorage storage;
    private final Path workDir;

    /** A tablet of the job info and the files it names. */
    private record TabletFiles(String dir, long tabletId, List<String> files) {}

    public SnapshotVerifier(RepositoryStorage storage, Path workDir) {
        this.storage = storage;
        this.workDir = workDir;
    }

    public void verify(SnapshotTarget target, VerifyLevel level, VerificationSink sink) {
        String dir = target.snapshotDir();
        Map<String, Long> top;
        try {
            top = storage.list(dir);
        } catch (RepositoryException e) {
            sink.problem(new Problem(Kind.UNREADABLE, dir, null, null, e.getMessage()));
            return;
        }
        String infoPath = dir + "/" + target.infoFile();
        byte[] infoBytes = readWhole(infoPath, top.get(target.infoFile()), sink);
        if (infoBytes == null) {
            return;
        }
        SnapshotInfo info;
        Map<Long, ContentChecksum> recorded;
        try {
            info = SnapshotInfoFile.parse(target.infoFile(), infoBytes);
            recorded = info.tabletChecksums();
        } catch (RuntimeException e) {
            sink.problem(new Problem(Kind.UNREADABLE, infoPath, null, "a job info", e.getMessage()));
            return;
        }
        List<TabletFiles> tablets = tablets(target, info);
        // Files another backup of the same label named are that backup's, not strays.
        Map<String, Set<String>> named = new HashMap<>();
        tablets.forEach(t -> named.computeIfAbsent(t.dir(), d -> new HashSet<>()).addAll(t.files()));
        otherBackupsOf(target, top).forEach(other -> tablets(target, other)
                .forEach(t -> named.computeIfAbsent(t.dir(), d -> new HashSet<>()).addAll(t.files())));

        List<String> metas = top.keySet().stream().filter(n -> n.startsWith(META_PREFIX)
                && RepositoryLayout.parseChecksummed(n).isPresent()).toList();
        long files = 1 + Math.max(1, metas.size()) + tablets.stream().mapToLong(t -> t.files().size()).sum();
        sink.planned(info.dbName(), files, tablets.stream().filter(t -> !t.files().isEmpty()).count());
        sink.fileChecked(infoBytes.length);
        if (metas.isEmpty()) {
            sink.problem(new Problem(Kind.MISSING, dir + "/" + RepositoryLayout.META_FILE, null,
                    RepositoryLayout.META_FILE + ".<md5>", null));
            sink.fileChecked(0);
        }
        for (String meta : metas) {
            byte[] bytes = readWhole(dir + "/" + meta, top.get(meta), sink);
            sink.fileChecked(bytes == null ? 0 : bytes.length);
        }
        for (String name : top.keySet()) {
            if (!name.startsWith(RepositoryLayout.PREFIX_JOB_INFO) && !metas.contains(name)
                    || name.startsWith(RepositoryLayout.PREFIX_JOB_INFO)
                    && RepositoryLayout.parseChecksummed(name).isEmpty()) {
                sink.problem(new Problem(Kind.UNREFERENCED, dir + "/" + name, null, null, top.get(name) + " bytes"));
            }
        }
        for (TabletFiles tablet : tablets) {
            verifyTablet(tablet, named.get(tablet.dir()), level, recorded, sink);
        }
        reportStrays(dir, named, tablets, sink);
    }

    /** The tablets of the job info with their dirs, in the file's order. */
    private static List<TabletFiles> tablets(SnapshotTarget target, SnapshotInfo info) {
        List<TabletFiles> tablets = new ArrayList<>();
        for (SnapshotInfo.Table table : info.tables().values()) {
            for (SnapshotInfo.Partition partition : table.partitions().values()) {
                for (SnapshotInfo.Index index : partition.indexes().values()) {
                    for (long tabletId : index.tabletOrder()) {
                        String tabletDir = RepositoryLayout.tabletDir(target.repository(), target.label(),
                                info.dbId(), table.id(), partition.id(), index.id(), tabletId);
                        tablets.add(new TabletFiles(tabletDir, tabletId,
                                index.tabletFiles().getOrDefault(tabletId, List.of())));
                    }
                }
            }
        }
        return tablets;
    }

    /** The other backups' job infos of the label that can be read (checking them is their own verification). */
    private List<SnapshotInfo> otherBackupsOf(SnapshotTarget target, Map<String, Long> top) {
        List<SnapshotInfo> others = new ArrayList<>();
        for (String name : top.keySet()) {
            if (name.startsWith(RepositoryLayout.PREFIX_JOB_INFO) && !name.equals(target.infoFile())
                    && RepositoryLayout.parseChecksummed(name).isPresent()) {
                try {
                    others.add(SnapshotInfoFile.parse(name, storage.read(target.snapshotDir() + "/" + name)));
                } catch (RuntimeException e) {
                    // its files then count as strays here; verifying that backup names its own problem
                }
            }
        }
        return others;
    }

    private void verifyTablet(TabletFiles tablet, Set<String> named, VerifyLevel level,
            Map<Long, ContentChecksum> recorded, VerificationSink sink) {
        if (tablet.files().isEmpty()) {
            return; // METADATA_ONLY, or a tablet whose files the backup did not keep
        }
        Map<String, Long> present;
        try {
            present = storage.list(tablet.dir());
        } catch (RepositoryException e) {
            sink.problem(new Problem(Kind.UNREADABLE, tablet.dir(), tablet.tabletId(), null, e.getMessage()));
            tablet.files().forEach(f -> sink.fileChecked(0));
            return;
        }
        present.forEach((name, size) -> {
            if (!named.contains(name)) {
                sink.problem(new Problem(Kind.UNREFERENCED, tablet.dir() + "/" + name, tablet.tabletId(), null,
                        size + " bytes"));
            }
        });
        Path local = workDir.resolve(Long.toString(tablet.tabletId()));
        try {
            Files.createDirectories(local);
            Optional<LocalTablet> downloaded = download(tablet, present, local, sink);
            if (level == VerifyLevel.DATA && downloaded.isPresent()) {
                checkRows(tablet, downloaded.get(), recorded.get(tablet.tabletId()), sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the verification work dir " + local, e);
        } finally {
            deleteRecursively(local);
        }
    }

    /** A tablet's files downloaded and checked: its header, and its files' local copies by bare name. */
    private record LocalTablet(TabletHeader header, Map<String, Path> files, Map<String, String> storedNames) {}

    /**
     * Downloads and checks the tablet's files, the header first (it records the rowset files' sizes); the tablet's
     * files if every one of them is as recorded and the header reads, else empty.
     */
    private Optional<LocalTablet> download(TabletFiles tablet, Map<String, Long> present, Path local,
            VerificationSink sink) {
        List<String> ordered = tablet.files().stream().sorted(Comparator.comparing(
                (String n) -> !TabletHeaderFile.isHeaderName(bareName(n)))).toList();
        TabletHeader header = null;
        Map<String, RowsetFile> recordedFiles = new HashMap<>();
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, String> storedNames = new HashMap<>();
        boolean intact = true;
        int n = 0;
        for (String stored : ordered) {
            String path = tablet.dir() + "/" + stored;
            Optional<ChecksummedName> name = RepositoryLayout.parseChecksummed(stored);
            Long size = present.get(stored);
            if (name.isEmpty()) {
                sink.problem(new Problem(Kind.UNREADABLE, path, tablet.tabletId(), "<file>.<md5>", stored));
            } else if (size == null) {
                sink.problem(new Problem(Kind.MISSING, path, tablet.tabletId(), name.get().md5(), null));
            }
            RowsetFile recordedFile = name.map(c -> recordedFiles.get(c.name())).orElse(null);
            if (name.isEmpty() || size == null) {
                intact = false;
                sink.fileChecked(0);
                continue;
            }
            if (recordedFile != null && recordedFile.size() != size) {
                sink.problem(new Problem(Kind.SIZE_MISMATCH, path, tablet.tabletId(), recordedFile.size() + " bytes",
                        size + " bytes"));
                intact = false;
                sink.fileChecked(0);
                continue;
            }
            Path copy = local.resolve("f" + n++);
            String md5;
            long bytes;
            try {
                storage.download(path, copy);
                bytes = Files.size(copy);
                md5 = Md5.of(copy);
            } catch (RepositoryException | IOException | UncheckedIOException e) {
                sink.problem(new Problem(Kind.UNREADABLE, path, tablet.tabletId(), null, e.getMessage()));
                intact = false;
                sink.fileChecked(0);
                continue;
            }
            sink.fileChecked(bytes);
            String expected = recordedFile != null && !recordedFile.md5().equals(name.get().md5())
                    ? recordedFile.md5() : name.get().md5();
            if (!md5.equals(expected)) {
                sink.problem(new Problem(Kind.MD5_MISMATCH, path, tablet.tabletId(), expected, md5));
                intact = false;
                continue;
            }
            files.put(name.get().name(), copy);
            storedNames.put(name.get().name(), stored);
            if (TabletHeaderFile.isHeaderName(name.get().name())) {
                try {
                    header = TabletHeaderFile.read(copy);
                    header.rowsets().forEach(r -> r.files().forEach(f -> recordedFiles.put(f.name(), f)));
                } catch (IOException | RuntimeException e) {
                    sink.problem(new Problem(Kind.UNREADABLE, path, tablet.tabletId(), "a tablet header",
                            e.getMessage()));
                    intact = false;
                }
            }
        }
        if (header == null && intact) {
            sink.problem(new Problem(Kind.MISSING, tablet.dir() + "/" + TabletHeaderFile.name(tablet.tabletId())
                    + ".<md5>", tablet.tabletId(), "a tablet header named by the job info", null));
            intact = false;
        }
        if (header != null) {
            for (RowsetMeta rowset : header.rowsets()) {
                for (RowsetFile file : rowset.files()) {
                    if (!storedNames.containsKey(file.name()) && intact) {
                        sink.problem(new Problem(Kind.MISSING, tablet.dir() + "/"
                                + RepositoryLayout.withChecksum(file.name(), file.md5()), tablet.tabletId(),
                                "rowset " + rowset.versionRange() + " of the tablet header", null));
                        intact = false;
                    }
                }
            }
        }
        return intact ? Optional.of(new LocalTablet(header, files, storedNames)) : Optional.empty();
    }

    private static void checkRows(TabletFiles tablet, LocalTablet local, ContentChecksum recorded,
            VerificationSink sink) {
        ContentChecksum actual;
        try {
            actual = RowsetReader.checksum(local.header().schema(), local.header().rowsets(),
                    file -> local.files().get(file.name()));
        } catch (RowsetReader.UnreadableRowsetException e) {
            String stored = local.storedNames().getOrDefault(e.file().name(), e.file().name());
            sink.problem(new Problem(Kind.UNREADABLE, tablet.dir() + "/" + stored, tablet.tabletId(),
                    "rowset " + e.rowset().versionRange(), String.valueOf(e.getCause().getMessage())));
            return;
        }
        sink.tabletChecked(actual.rows());
        if (recorded == null) {
            sink.problem(new Problem(Kind.NOT_RECORDED, tablet.dir(), tablet.tabletId(), null, actual.toString()));
        } else if (recorded.rows() != actual.rows()) {
            sink.problem(new Problem(Kind.ROWS_MISMATCH, tablet.dir(), tablet.tabletId(), recorded.rows() + " rows",
                    actual.rows() + " rows"));
        } else if (recorded.checksum() != actual.checksum()) {
            sink.problem(new Problem(Kind.CHECKSUM_MISMATCH, tablet.dir(), tablet.tabletId(), recorded.toString(),
                    actual.toString()));
        }
    }

    /**
     * Files under {@code __ss_content} that no job info of the label names: in a dir above the tablets, in a tablet
     * dir of another backup of the label, or in a tablet dir no job info knows; a dir inside a tablet dir is one.
     */
    private void reportStrays(String snapshotDir, Map<String, Set<String>> named, List<TabletFiles> checked,
            VerificationSink sink) {
        Set<String> checkedDirs = new HashSet<>();
        checked.stream().filter(t -> !t.files().isEmpty()).forEach(t -> checkedDirs.add(t.dir()));
        walk(snapshotDir + "/" + RepositoryLayout.SNAPSHOT_CONTENT_DIR, 0, named, checkedDirs, sink);
        try {
            storage.listDirs(snapshotDir).stream().filter(d -> !d.equals(RepositoryLayout.SNAPSHOT_CONTENT_DIR))
                    .forEach(d -> sink.problem(new Problem(Kind.UNREFERENCED, snapshotDir + "/" + d + "/", null, null,
                            "a directory")));
        } catch (RepositoryException e) {
            sink.problem(new Problem(Kind.UNREADABLE, snapshotDir, null, null, e.getMessage()));
        }
    }

    private void walk(String dir, int depth, Map<String, Set<String>> named, Set<String> checkedDirs,
            VerificationSink sink) {
        try {
            if (depth == TABLET_DEPTH) {
                if (!checkedDirs.contains(dir)) {
                    Set<String> names = named.getOrDefault(dir, Set.of());
                    storage.list(dir).forEach((name, size) -> {
                        if (!names.contains(name)) {
                            sink.problem(new Problem(Kind.UNREFERENCED, dir + "/" + name, tabletIdOf(dir), null,
                                    size + " bytes"));
                        }
                    });
                }
                storage.listDirs(dir).forEach(d -> sink.problem(new Problem(Kind.UNREFERENCED, dir + "/" + d + "/",
                        tabletIdOf(dir), null, "a directory")));
                return;
            }
            storage.list(dir).forEach((name, size) -> sink.problem(new Problem(Kind.UNREFERENCED, dir + "/" + name,
                    null, null, size + " bytes")));
            for (String sub : storage.listDirs(dir)) {
                walk(dir + "/" + sub, depth + 1, named, checkedDirs, sink);
            }
        } catch (RepositoryException e) {
            sink.problem(new Problem(Kind.UNREADABLE, dir, null, null, e.getMessage()));
        }
    }

    /** The tablet id of a {@code .../__<tabletId>} dir, as Doris's BE reads it: the number after the last '_'. */
    private static Long tabletIdOf(String dir) {
        try {
            return Long.parseLong(dir.substring(dir.lastIndexOf('_') + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String bareName(String stored) {
        return RepositoryLayout.parseChecksummed(stored).map(ChecksummedName::name).orElse(stored);
    }

    /** Reads a whole file (job info, meta) and checks its md5 against its name; {@code null} when it is missing. */
    private byte[] readWhole(String path, Long listedSize, VerificationSink sink) {
        if (listedSize == null) {
            sink.problem(new Problem(Kind.MISSING, path, null, null, null));
            return null;
        }
        byte[] bytes;
        try {
            bytes = storage.read(path);
        } catch (RepositoryException e) {
            sink.problem(new Problem(Kind.UNREADABLE, path, null, null, e.getMessage()));
            return null;
        }
        String expected = RepositoryLayout.parseChecksummed(path.substring(path.lastIndexOf('/') + 1))
                .map(ChecksummedName::md5).orElse(null);
        String actual = Md5.of(bytes);
        if (!actual.equals(expected)) {
            sink.problem(new Problem(Kind.MD5_MISMATCH, path, null, expected, actual));
        }
        return bytes;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the verification work dir " + dir, e);
        }
    }
}
