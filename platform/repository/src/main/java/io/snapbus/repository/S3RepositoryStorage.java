package io.snapbus.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository in an S3 bucket (any S3-compatible endpoint). A PUT is atomic by nature; files above the multipart
 * threshold go up in parts that become visible only when the upload completes, and are aborted on failure.
 */
final class S3RepositoryStorage implements RepositoryStorage {

    private static final Logger log = LoggerFactory.getLogger(S3RepositoryStorage.class);
    private static final int DELETE_BATCH = 1000;
    /** Read size of a download's copy: as the SDK's own file transformer, a few network reads' worth. */
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private final S3Location location;
    private final S3Settings settings;
    private final S3Client s3;
    private final S3Failures failures;
    private final MultipartUpload multipart;

    S3RepositoryStorage(S3Location location, S3Settings settings, S3Client s3, S3Failures failures, IntConsumer beforePart) {
        this.location = location;
        this.settings = settings;
        this.s3 = s3;
        this.failures = failures;
        this.multipart = new MultipartUpload(s3, settings.partSize(), beforePart);
    }

    static S3RepositoryStorage open(RepositorySpec spec) {
        return open(spec, part -> { });
    }

    /** Opens with a hook called before each multipart part (tests use it to break an upload half-way). */
    static S3RepositoryStorage open(RepositorySpec spec, IntConsumer beforePart) {
        S3Location location = S3Location.parse(spec.location());
        S3Settings settings = S3Settings.from(spec);
        S3Failures failures = new S3Failures(location, settings.endpoint(), spec.credentials());
        return new S3RepositoryStorage(location, settings, settings.newClient(spec.credentials()), failures, beforePart);
    }

    @Override
    public URI location() {
        return location.uri();
    }

    @Override
    public Map<String, Long> list(String dir) {
        String prefix = location.dirPrefix(checkDir(dir));
        Map<String, Long> files = new TreeMap<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(listing(prefix)).contents()) {
                String name = object.key().substring(prefix.length());
                // Skip directory markers some tools create ("dir/"), and partial files.
                if (!name.isEmpty() && !RepositoryLayout.isPartial(name)) {
                    files.put(name, object.size());
                }
            }
        } catch (SdkException e) {
            throw failures.map("list", dir, e);
        }
        return Collections.unmodifiableMap(files);
    }

    @Override
    public List<String> listDirs(String dir) {
        String prefix = location.dirPrefix(checkDir(dir));
        List<String> dirs = new ArrayList<>();
        try {
            for (CommonPrefix common : s3.listObjectsV2Paginator(listing(prefix)).commonPrefixes()) {
                String name = common.prefix().substring(prefix.length()).replaceAll("/$", "");
                if (!name.isEmpty()) {
                    dirs.add(name);
                }
            }
        } catch (SdkException e) {
            throw failures.map("list", dir, e);
        }
        Collections.sort(dirs);
        return List.copyOf(dirs);
    }

    @Override
    public boolean exists(String path) {
        String key = location.key(check(path));
        try {
            s3.headObject(HeadObjectRequest.builder().bucket(location.bucket()).key(key).build());
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failures.map("check", path, e);
        } catch (SdkException e) {
            throw failures.map("check", path, e);
        }
    }

    @Override
    public void upload(Path localFile, String path) {
        String key = location.key(checkTarget(path));
        long size = localSize(localFile, path);
        // Content-MD5 costs one extra read of a file small enough for one PUT, and makes the server verify what it got.
        putFile(localFile, size, key, path, size > settings.multipartThreshold() ? null : localMd5(localFile, path));
    }

    @Override
    public String uploadWithChecksum(Path localFile, String pathWithoutChecksum) {
        check(pathWithoutChecksum);
        long size = localSize(localFile, pathWithoutChecksum);
        // The key carries the md5, so it must be known before the first byte is sent.
        String md5 = localMd5(localFile, pathWithoutChecksum);
        String path = pathWithoutChecksum + "." + md5;
        putFile(localFile, size, location.key(path), path, md5);
        return md5;
    }

    @Override
    public String uploadWithKnownChecksum(Path localFile, String pathWithoutChecksum, String md5) {
        check(pathWithoutChecksum);
        String path = RepositoryLayout.withChecksum(pathWithoutChecksum, md5);
        putFile(localFile, localSize(localFile, pathWithoutChecksum), location.key(path), path, md5);
        return md5;
    }

    @Override
    public void write(String path, byte[] content) {
        String key = location.key(checkTarget(path));
        try {
            s3.putObject(put(key, content.length, Md5.of(content)), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failures.map("write", path, e);
        }
    }

    @Override
    public byte[] read(String path) {
        String key = location.key(check(path));
        try {
            return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(location.bucket()).key(key).build()).asByteArrayUnsafe();
        } catch (SdkException e) {
            throw failures.map("read", path, e);
        }
    }

    @Override
    public InputStream open(String path) {
        String key = location.key(check(path));
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(location.bucket()).key(key).build(),
                    ResponseTransformer.toInputStream());
        } catch (SdkException e) {
            throw failures.map("read", path, e);
        }
    }

    @Override
    public void download(String path, Path localFile) {
        String key = location.key(check(path));
        Path local = localFile.toAbsolutePath().normalize();
        Path temp = local.resolveSibling("." + local.getFileName() + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(0, 12) + RepositoryLayout.SUFFIX_PARTIAL);
        try {
            Files.createDirectories(local.getParent());
            s3.getObject(GetObjectRequest.builder().bucket(location.bucket()).key(key).build(), ResponseTransformer.toFile(temp));
            Files.move(temp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            LocalFiles.deleteQuietly(temp);
            throw failures.map("download", path, e);
        } catch (IOException | UncheckedIOException e) {
            LocalFiles.deleteQuietly(temp);
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot download " + path + " from repository " + location
                    + " to " + local + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String downloadWithChecksum(String path, Path localFile) {
        String key = location.key(check(path));
        Path local = localFile.toAbsolutePath().normalize();
        boolean created = false;
        // The GET comes first, so a missing object fails before anything is created locally.
        try (ResponseInputStream<GetObjectResponse> body = s3.getObject(GetObjectRequest.builder().bucket(location.bucket())
                .key(key).build(), ResponseTransformer.toInputStream())) {
            try (OutputStream out = Channels.newOutputStream(LocalFiles.createNew(local))) {
                created = true;
                return Md5.hex(copyDigesting(body, out, body.response().contentLength()));
            } catch (IOException | RuntimeException | Error e) {
                body.abort(); // do not drain the rest of a failed body into a pooled connection
                throw e;
            }
        } catch (SdkException e) {
            deleteIf(created, local);
            throw failures.map("download", path, e);
        } catch (IOException | UncheckedIOException e) {
            deleteIf(created, local);
            throw new RepositoryException(RepositoryException.Kind.IO, failures.scrub("cannot download " + path + " from repository "
                    + location + " to " + local + ": " + e.getMessage()), e);
        } catch (RuntimeException | Error e) {
            deleteIf(created, local);
            throw e;
        }
    }

    /** Copies all of {@code in} to {@code out}, which must come to {@code expectedSize} bytes; the md5 of the bytes. */
    private static byte[] copyDigesting(InputStream in, OutputStream out, Long expectedSize) throws IOException {
        MessageDigest digest = Md5.newDigest();
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long copied = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            digest.update(buffer, 0, n);
            copied += n;
        }
        if (expectedSize != null && expectedSize != copied) {
            throw new IOException("the object's body ended after " + copied + " of its " + expectedSize + " bytes");
        }
        return digest.digest();
    }

    private static void deleteIf(boolean created, Path local) {
        if (created) {
            LocalFiles.deleteQuietly(local);
        }
    }

    @Override
    public boolean copyWithin(String from, String to) {
        String source = location.key(check(from));
        String target = location.key(checkTarget(to));
        try {
            s3.copyObject(CopyObjectRequest.builder().sourceBucket(location.bucket()).sourceKey(source)
                    .destinationBucket(location.bucket()).destinationKey(target).build());
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failures.map("copy", to, e);
        } catch (SdkException e) {
            throw failures.map("copy", to, e);
        }
    }

    @Override
    public void delete(String path) {
        String key = location.key(check(path));
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(location.bucket()).key(key).build());
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failures.map("delete", path, e);
            }
        } catch (SdkException e) {
            throw failures.map("delete", path, e);
        }
    }

    @Override
    public void deleteRecursively(String dir) {
        String prefix = location.dirPrefix(check(dir));
        try {
            List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix)
                    .build()).contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleteBatch(batch, dir);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                deleteBatch(batch, dir);
            }
        } catch (SdkException e) {
            throw failures.map("delete", dir, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3RepositoryStorage[" + location + settings.endpoint().map(e -> " via " + e).orElse("") + "]";
    }

    private void putFile(Path localFile, long size, String key, String path, String md5Hex) {
        long started = System.nanoTime();
        try {
            if (size > settings.multipartThreshold()) {
                multipart.upload(localFile, size, location.bucket(), key);
            } else {
                s3.putObject(put(key, size, md5Hex), RequestBody.fromFile(localFile));
            }
        } catch (SdkException e) {
            throw failures.map("upload " + localFile + " to", path, e);
        } catch (IOException | UncheckedIOException e) {
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot upload " + localFile + " to " + path + " in repository "
                    + location + ": " + e.getMessage(), e);
        }
        log.debug("uploaded {} to {}/{} ({} bytes) in {} ms", localFile, location, path, size, (System.nanoTime() - started) / 1_000_000);
    }

    private PutObjectRequest put(String key, long length, String md5Hex) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(location.bucket()).key(key).contentLength(length);
        if (md5Hex != null) {
            request.contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5Hex)));
        }
        return request.build();
    }

    private void deleteBatch(List<ObjectIdentifier> keys, String dir) {
        DeleteObjectsResponse response = s3.deleteObjects(DeleteObjectsRequest.builder().bucket(location.bucket())
                .delete(Delete.builder().objects(keys).quiet(true).build()).build());
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().get(0);
            throw new RepositoryException(RepositoryException.Kind.IO, failures.scrub("cannot delete " + response.errors().size()
                    + " objects under " + dir + " in repository " + location + ", e.g. " + first.key() + ": " + first.code() + " "
                    + first.message()));
        }
    }

    private ListObjectsV2Request listing(String prefix) {
        return ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix).delimiter("/").build();
    }

    private long localSize(Path localFile, String path) {
        if (!Files.isRegularFile(localFile)) {
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot upload " + localFile + " to " + path + " in repository "
                    + location + ": " + (Files.exists(localFile) ? "it is not a regular file" : "the local file does not exist"));
        }
        try {
            return Files.size(localFile);
        } catch (IOException e) {
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot upload " + localFile + " to " + path + " in repository "
                    + location + ": " + e.getMessage(), e);
        }
    }

    private String localMd5(Path localFile, String path) {
        try {
            return Md5.of(localFile);
        } catch (UncheckedIOException e) {
            throw new RepositoryException(RepositoryException.Kind.IO, "cannot upload " + localFile + " to " + path + " in repository "
                    + location + ": " + e.getMessage(), e);
        }
    }

    private String check(String path) {
        try {
            return RepositoryLayout.requireSafeRelativePath(path);
        } catch (IllegalArgumentException e) {
            throw RepositoryException.invalidPath(location, path, e);
        }
    }

    private String checkDir(String dir) {
        return "".equals(dir) ? dir : check(dir);
    }

    private String checkTarget(String path) {
        check(path);
        if (RepositoryLayout.isPartial(RepositoryLayout.fileName(path))) {
            throw RepositoryException.invalidPath(location, path, new IllegalArgumentException("names ending in "
                    + RepositoryLayout.SUFFIX_PARTIAL + " are reserved for partial files"));
        }
        return path;
    }
}
