package io.redisha.aws;

import io.redisha.backup.ObjectStore;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Backups under an S3 prefix: objects larger than one part go up as a multipart upload, each part
 * with its SHA-256 for S3 to check; SSE-KMS with the given key, else the bucket's default
 * encryption. Only PutObject, the multipart calls (abort included) and GetObject are used: the
 * node role may write and read under its prefix, never delete.
 */
public final class S3Objects implements ObjectStore {
    /** The AWS service (endpoint prefix) this class calls. */
    public static final String SERVICE = "s3";
    /** 16 MiB parts: above S3's 5 MiB minimum, 10,000 parts reach 160 GiB. */
    static final int PART_BYTES = 16 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Optional<String> kmsKey;
    private final boolean owner;

    private S3Objects(S3Client s3, String bucket, String prefix, Optional<String> kmsKey, boolean owner) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.kmsKey = kmsKey;
        this.owner = owner;
    }

    /** A client for the default region and credentials chain, with {@code AWS_ENDPOINT_URL} if set (path-style then). */
    public static S3Objects fromEnvironment(String bucket, String prefix, Optional<String> kmsKey) {
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank())
                .ifPresent(url -> builder.endpointOverride(URI.create(url)).forcePathStyle(true));
        return new S3Objects(builder.build(), bucket, prefix, kmsKey, true);
    }

    private String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    @Override
    public Sink create(String name) {
        return new MultipartSink(key(name));
    }

    @Override
    public InputStream open(String name) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key(name)));
        } catch (NoSuchKeyException e) {
            throw new MissingObjectException(describe(name));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new IllegalStateException("cannot read " + describe(name) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe(String name) {
        return "s3://" + bucket + "/" + key(name);
    }

    @Override
    public ObjectStore child(String folder) {
        return new S3Objects(s3, bucket, key(folder), kmsKey, false);
    }

    @Override
    public void close() {
        if (owner) {
            s3.close();
        }
    }

    private static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Buffers one part; a single PutObject when the whole object fits in it, else a multipart upload. */
    private final class MultipartSink implements Sink {
        private final String key;
        private final byte[] part = new byte[PART_BYTES];
        private int filled;
        private String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();

        MultipartSink(String key) {
            this.key = key;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, part.length - filled);
                System.arraycopy(bytes, offset, part, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == part.length) {
                    uploadPart();
                }
            }
        }

        private void uploadPart() {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(r -> {
                        r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256);
                        kmsKey.ifPresent(k -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(k));
                    }).uploadId();
                }
                int number = parts.size() + 1;
                String checksum = sha256(part, filled);
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum), RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).checksumSHA256(checksum).build());
                filled = 0;
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                throw new IllegalStateException("cannot upload " + describeKey() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void finish() {
            try {
                if (uploadId == null) {
                    String checksum = sha256(part, filled);
                    s3.putObject(r -> {
                        r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum);
                        kmsKey.ifPresent(k -> r.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(k));
                    }, RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled)));
                    return;
                }
                if (filled > 0) {
                    uploadPart();
                }
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                throw new IllegalStateException("cannot complete " + describeKey() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void abort() {
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
                } catch (software.amazon.awssdk.core.exception.SdkException ignored) {
                    // The bucket's lifecycle rule removes incomplete uploads the abort could not.
                }
            }
        }

        private String describeKey() {
            return "s3://" + bucket + "/" + key;
        }
    }
}
