package io.snapbus.node.tablet;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash-safe second half of MOVE, from a durable {@link MoveIntent}: retire the live tablet dir, rename the staged
 * one into its place, mark the snapshot LOADED, drop the intent and the retired dir. Each step checks what is on disk
 * first, so running the whole sequence again after a crash at any point finishes it; {@link #replay} does that for
 * every intent when the store opens, and deletes whatever a move left without an intent (a half-built staged dir, a
 * retired dir whose intent was already dropped). Only renames and unlinks: no file any tablet or snapshot links is
 * ever written.
 */
final class TabletSwap {
    private static final Logger log = LoggerFactory.getLogger(TabletSwap.class);
    static final String RESTORE_DIR = "restore";
    static final String INTENT_SUFFIX = ".intent";
    static final String LOADED_MARKER = "LOADED";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final MoveIntent intent;

    TabletSwap(Path root, MoveIntent intent) {
        this.root = root;
        this.intent = intent;
    }

    static Path restoreDir(Path root) {
        return root.resolve(RESTORE_DIR);
    }

    static Path intentFile(Path root, long tabletId, int schemaHash) {
        return restoreDir(root).resolve("move." + tabletId + "." + schemaHash + INTENT_SUFFIX);
    }

    MoveIntent intent() {
        return intent;
    }

    Path live() {
        return root.resolve(intent.live());
    }

    Path staged() {
        return root.resolve(intent.staged());
    }

    Path retired() {
        return root.resolve(intent.retired());
    }

    Path snapshot() {
        return root.resolve(intent.snapshot());
    }

    /** The commit point: from here on the move completes, now or at the next open. */
    void writeIntent() throws IOException {
        DurableFiles.write(intentFile(root, intent.tabletId(), intent.schemaHash()), JSON.writeValueAsBytes(intent));
    }

    /**
     * Undoes a move whose intent could not be written durably (its rename may have happened, its fsync failed): the
     * intent goes, for good, before the staged dir, since an intent whose staged dir is gone would mark the snapshot
     * LOADED over the old data. If the intent cannot be removed, both stay and the tablet's next MOVE or the next
     * open completes the move.
     */
    void abandon() {
        try {
            deleteIntent();
        } catch (IOException e) {
            log.warn("tablet {}: keeping the MOVE of job {}, its intent may be on disk: {}", intent.tabletId(),
                    intent.jobId(), e.toString());
            return;
        }
        DurableFiles.deleteQuietly(staged());
    }

    /** Runs every remaining step, pausing at the debug points. */
    void complete(MoveHook pause) throws IOException {
        retireLive();
        pause.reached(MoveStep.LIVE_RETIRED, restoreDir(root));
        installStaged();
        pause.reached(MoveStep.SWAPPED, restoreDir(root));
        markLoaded();
        finish();
    }

    /** The live dir moves out of data/ (only while the staged one still waits). */
    void retireLive() throws IOException {
        if (exists(staged()) && exists(live())) {
            Files.move(live(), retired(), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.fsyncDirectory(live().getParent());
            DurableFiles.fsyncDirectory(retired().getParent());
        }
    }

    /** The staged dir becomes the live one. */
    void installStaged() throws IOException {
        if (exists(staged()) && !exists(live())) {
            DurableFiles.createDirectories(live().getParent());
            Files.move(staged(), live(), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.fsyncDirectory(live().getParent());
            DurableFiles.fsyncDirectory(staged().getParent());
        }
    }

    /** Doris's {@code <snapshot>/LOADED}: a repeated MOVE of this snapshot answers OK at once. */
    void markLoaded() throws IOException {
        if (Files.isDirectory(snapshot()) && !Files.exists(snapshot().resolve(LOADED_MARKER))) {
            DurableFiles.write(snapshot().resolve(LOADED_MARKER), new byte[0]);
        }
    }

    /** Drops the intent, then the old data (snapshots linking its files keep theirs). */
    void finish() throws IOException {
        deleteIntent();
        DurableFiles.deleteQuietly(retired());
    }

    /** The intent's file goes, durably: the move is no longer replayed at open. */
    private void deleteIntent() throws IOException {
        Files.deleteIfExists(intentFile(root, intent.tabletId(), intent.schemaHash()));
        DurableFiles.fsyncDirectory(restoreDir(root));
    }

    /** The intent of a tablet's unfinished move, if one is on disk. */
    static TabletSwap pending(Path root, long tabletId, int schemaHash) throws IOException {
        Path file = intentFile(root, tabletId, schemaHash);
        return Files.exists(file) ? new TabletSwap(root, JSON.readValue(file.toFile(), MoveIntent.class)) : null;
    }

    /**
     * At open, before tablets load: finishes every move with an intent, then deletes everything else in the restore
     * dir. Returns the tablets whose move was finished.
     */
    static List<Long> replay(Path root) throws IOException {
        Path dir = restoreDir(root);
        DurableFiles.createDirectories(dir);
        List<Long> finished = new ArrayList<>();
        for (Path entry : TabletLoader.children(dir)) {
            if (entry.getFileName().toString().endsWith(INTENT_SUFFIX)) {
                TabletSwap swap = new TabletSwap(root, JSON.readValue(entry.toFile(), MoveIntent.class));
                log.warn("tablet {}: finishing the MOVE of job {} a restart interrupted", swap.intent.tabletId(),
                        swap.intent.jobId());
                swap.complete(MoveHook.NONE);
                finished.add(swap.intent.tabletId());
            }
        }
        for (Path leftover : TabletLoader.children(dir)) {
            log.info("deleting {}, left by an interrupted MOVE", leftover);
            DurableFiles.deleteTree(leftover);
        }
        return finished;
    }

    private static boolean exists(Path dir) {
        return Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
    }
}
