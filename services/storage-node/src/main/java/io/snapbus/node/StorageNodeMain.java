package io.snapbus.node;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java io.snapbus.node.StorageNodeMain [config.properties]}: runs a storage node until SIGTERM. Settings come
 * from the file, SNAPBUS_NODE_* environment variables and -Dsnapbus.node.* properties (see StorageNodeConfig).
 */
public final class StorageNodeMain {
    private StorageNodeMain() {}

    public static void main(String[] args) throws InterruptedException {
        Optional<Path> file = args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty();
        StorageNodeConfig config;
        try {
            config = StorageNodeConfig.load(file, System.getenv(), System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("storage node: " + e.getMessage());
            System.exit(2);
            return;
        }
        StorageNode node;
        try {
            node = StorageNode.start(config);
        } catch (RuntimeException e) {
            System.err.println("storage node: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "storage-node-shutdown"));
        stopped.await();
    }
}
