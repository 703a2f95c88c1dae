package io.snapbus.node.bench;

import java.net.URI;
import java.nio.file.Path;

/**
 * An S3 server the data-plane benchmark uploads to: its path-style endpoint and the credentials it accepts. Closing it
 * stops the server. The storage node does not depend on how it is started; the CLI starts s3proxy (platform/local).
 */
public interface BenchS3 extends AutoCloseable {

    URI endpoint();

    String region();

    String accessKey();

    String secretKey();

    @Override
    void close();

    /** Starts an S3 server whose buckets live under {@code dataDir}, on the disk the benchmark measures. */
    @FunctionalInterface
    interface Launcher {
        BenchS3 start(Path dataDir) throws Exception;
    }
}
