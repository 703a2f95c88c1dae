package io.snapbus.bench;

import io.snapbus.local.LocalStackConfig;
import io.snapbus.local.S3Server;
import io.snapbus.node.bench.BenchS3;
import java.net.URI;
import java.nio.file.Path;

/** The data-plane benchmark's S3 server: platform/local's s3proxy alone (no broker or registry), data under one dir. */
record BenchS3Server(S3Server server) implements BenchS3 {

    static BenchS3 start(Path dataDir) {
        return new BenchS3Server(S3Server.start(LocalStackConfig.builder().dataDir(dataDir).build()));
    }

    @Override
    public URI endpoint() {
        return server.endpoint().endpoint();
    }

    @Override
    public String region() {
        return server.endpoint().region();
    }

    @Override
    public String accessKey() {
        return server.endpoint().accessKey();
    }

    @Override
    public String secretKey() {
        return server.endpoint().secretKey();
    }

    @Override
    public void close() {
        server.stop();
    }
}
