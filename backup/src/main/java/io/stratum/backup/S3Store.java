package io.stratum.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A backup store in an S3-compatible bucket (AWS SDK v2). Objects are streamed up in multipart uploads, one part in
 * memory at a time (never a full local copy); parts start at {@link #PART_BYTES} and grow with the object
 * ({@link #partBytes}), so S3's 10,000 parts hold objects of terabytes. An object exists only once its upload is
 * completed, and a failed upload is aborted. {@link #removeIncomplete()} aborts uploads a crash left behind.
 */
public final class S3Store implements ObjectStore, AutoCloseable {
    static final int PART_BYTES = 8 << 20;
    /** The largest part (and so the most memory an upload holds). */
    static final int MAX_PART_BYTES = 512 << 20;
    /** S3's limit on the parts of one upload. */
    static final int MAX_PARTS = 10_000;

    /** The size of part {@code number} (1-based): 8 MiB for the first 1,000, doubling every 1,000 parts up to 512 MiB. */
    static int partBytes(int number) {
        int doublings = Math.min((number - 1) / 1000, Integer.numberOfTrailingZeros(MAX_PART_BYTES / PART_BYTES));
        return PART_BYTES << doublings;
    }
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** Connection settings; {@code secretKey} stays in memory only. */
    public record Settings(String endpoint, String bucket, String region, String prefix, String accessKey, String secretKey,
                           boolean pathStyle) {}

    public S3Store(Settings s) {
        this.s3 = S3Client.builder().endpointOverride(URI.create(s.endpoint()))
                .region(Region.of(s.region() == null ? "us-east-1" : s.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey())))
                .forcePathStyle(s.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofMinutes(5)).build())
                .build();
        this.bucket = s.bucket();
        this.prefix = s.prefix() == null || s.prefix().isBlank() ? "" : s.prefix().replaceAll("^/+|/+$", "") + "/";
    }

    /** Creates the bucket if it does not exist yet ({@code store add --create-bucket}). */
    public void createBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public void put(String key, ObjectWriter writer) {
        String k = prefix + key;
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(k)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        try (PartStream out = new PartStream(k, upload, parts)) {
            writer.write(out);
        } catch (IOException e) {
            abort(k, upload);
            throw new UncheckedIOException("cannot store " + key + " in bucket " + bucket, e);
        } catch (RuntimeException e) {
            abort(k, upload);
            throw e;
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(upload).multipartUpload(m -> m.parts(parts)));
    }

    private void abort(String key, String upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload));
        } catch (RuntimeException ignored) {
            // best effort: removeIncomplete() catches what is left
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) throw new NoSuchFileException(key);
            throw new IOException("cannot read " + key + " from bucket " + bucket + ": " + e.awsErrorDetails().errorMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
    }

    @Override
    public int removeIncomplete() {
        List<MultipartUpload> open;
        try {
            open = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)).uploads();
        } catch (S3Exception e) {
            return 0; // a store that cannot list uploads has none to show either
        }
        open.forEach(u -> abort(u.key(), u.uploadId()));
        return open.size();
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Buffers one part and uploads it when full; the last (possibly short) part on close. */
    private final class PartStream extends OutputStream {
        private final String key;
        private final String upload;
        private final List<CompletedPart> parts;
        private byte[] buffer = new byte[PART_BYTES];
        private int filled;
        private boolean closed;

        PartStream(String key, String upload, List<CompletedPart> parts) {
            this.key = key;
            this.upload = upload;
            this.parts = parts;
        }

        @Override
        public void write(int b) {
            if (filled == buffer.length) flushPart();
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (filled == buffer.length) flushPart();
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void flushPart() {
            int number = parts.size() + 1;
            if (number > MAX_PARTS) throw new IllegalStateException("an object larger than S3's " + MAX_PARTS + " parts can hold");
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(number),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled))).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
            if (buffer.length != partBytes(number + 1)) buffer = new byte[partBytes(number + 1)];
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (filled > 0 || parts.isEmpty()) flushPart();
        }
    }
}
