package io.snapbus.node.tablet;

import io.snapbus.repository.FileSystemFlush;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * When a tablet change's writes reach the disk. {@link #EACH_FILE}: as they go, each file fsynced before its rename and
 * each directory after its entries change (Doris's way; every step durable when it returns). {@link #grouped}: nothing
 * as it goes; the change calls {@link #barrier} wherever what it wrote so far must be on disk before it goes on (before
 * a rename that publishes a file, before a commit point, before its finish report), and one {@code syncfs(2)} serves
 * every change of the store that reached a barrier meanwhile. A crash before a barrier loses only writes no one was
 * told about; the store's open removes what they left (temporary files, tablet dirs without a header, staged moves
 * without an intent).
 */
abstract class Durability {
    /** Each file and directory fsynced as it is written. */
    static final Durability EACH_FILE = new Durability() {
        @Override
        void written(FileChannel file) throws IOException {
            file.force(true);
        }

        @Override
        void entriesChanged(Path dir) throws IOException {
            DurableFiles.fsyncDirectory(dir);
        }

        @Override
        void barrier() {
        }

        @Override
        long flushes() {
            return 0;
        }

        @Override
        public String toString() {
            return "an fsync of each file and directory";
        }
    };

    /** Barriers share {@code syncfs(2)}s of {@code root}'s filesystem; every path a change writes must be on it. */
    static Durability grouped(Path root) {
        return grouped(new GroupSync(() -> FileSystemFlush.flush(root)));
    }

    static Durability grouped(GroupSync group) {
        return new Durability() {
            @Override
            void written(FileChannel file) {
            }

            @Override
            void entriesChanged(Path dir) {
            }

            @Override
            void barrier() throws IOException {
                group.sync();
            }

            @Override
            long flushes() {
                return group.flushes();
            }

            @Override
            public String toString() {
                return "syncfs(2) shared by the changes reaching a barrier together";
            }
        };
    }

    /** A file's content was written through {@code file}. */
    abstract void written(FileChannel file) throws IOException;

    /** Entries of {@code dir} were created, renamed or deleted. */
    abstract void entriesChanged(Path dir) throws IOException;

    /** Returns once everything this thread wrote before is on disk. */
    abstract void barrier() throws IOException;

    /** Filesystem flushes run so far (none when each file is fsynced). */
    abstract long flushes();
}
