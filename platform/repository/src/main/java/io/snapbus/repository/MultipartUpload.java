package io.snapbus.repository;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Uploads one local file as an S3 multipart upload, one part in memory at a time with its own Content-MD5, and aborts the
 * upload on any failure so that no invisible, billed parts are left behind. The object appears only on completion.
 */
final class MultipartUpload {

    private static final Logger log = LoggerFactory.getLogger(MultipartUpload.class);
    private static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final long partSize;
    /** Called with the part number before each part is read: a seam for tests that break an upload half-way. */
    private final IntConsumer beforePart;

    MultipartUpload(S3Client s3, long partSize, IntConsumer beforePart) {
        this.s3 = s3;
        this.partSize = partSize;
        this.beforePart = beforePart;
    }

    /** Uploads {@code size} bytes of {@code file} to the key; the file must not change meanwhile. */
    void upload(Path file, long size, String bucket, String key) throws IOException {
        // S3 allows 10 000 parts: grow the part for files that would need more.
        long effectivePartSize = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket).key(key).build()).uploadId();
        try {
            List<CompletedPart> parts = uploadParts(file, size, bucket, key, uploadId, (int) effectivePartSize);
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
        } catch (IOException | RuntimeException | Error e) {
            abort(bucket, key, uploadId, e);
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(Path file, long size, String bucket, String key, String uploadId, int partLength)
            throws IOException {
        List<CompletedPart> parts = new ArrayList<>();
        byte[] buffer = new byte[(int) Math.min(partLength, size)];
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            for (int partNumber = 1; position < size; partNumber++) {
                beforePart.accept(partNumber);
                int length = (int) Math.min(partLength, size - position);
                readFully(in, position, buffer, length, size);
                String md5 = Base64.getEncoder().encodeToString(md5(buffer, length));
                // A content provider over the buffer avoids the copy RequestBody.fromBytes makes, and can replay on retry.
                RequestBody body = RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                        "application/octet-stream");
                String eTag = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) length).contentMD5(md5).build(), body).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
                position += length;
            }
            if (in.size() != size) {
                throw changed(size, in.size());
            }
        }
        return parts;
    }

    private void abort(String bucket, String key, String uploadId, Throwable cause) {
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
            log.debug("aborted the multipart upload of {} after: {}", key, cause.toString());
        } catch (RuntimeException abortFailure) {
            cause.addSuppressed(abortFailure);
            log.warn("cannot abort the multipart upload {} of s3://{}/{}: {}; a bucket lifecycle rule for incomplete multipart uploads"
                    + " will remove its parts", uploadId, bucket, key, abortFailure.toString());
        }
    }

    private static void readFully(FileChannel in, long position, byte[] buffer, int length, long size) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            if (in.read(target, position + target.position()) < 0) {
                throw changed(size, in.size());
            }
        }
    }

    private static byte[] md5(byte[] buffer, int length) {
        var digest = Md5.newDigest();
        digest.update(buffer, 0, length);
        return digest.digest();
    }

    private static IOException changed(long expected, long actual) {
        return new IOException("the local file changed while it was uploaded: expected " + expected + " bytes, found " + actual);
    }
}
