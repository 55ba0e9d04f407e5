package io.redisha.tests.aws;

import java.net.URI;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS endpoint the tests talk to: LocalStack through Testcontainers when a Docker engine is
 * available, otherwise {@code AWS_ENDPOINT_URL} (moto's server on loopback, started by .ci/run).
 * With neither, {@link #unavailableReason()} says why and the tests fail.
 */
final class AwsEndpoint implements AutoCloseable {
    static final String LOCALSTACK_IMAGE = "localstack/localstack:3.8";
    private final URI uri;
    private final String region;
    private final String description;
    private final LocalStackContainer container;

    private AwsEndpoint(URI uri, String region, String description, LocalStackContainer container) {
        this.uri = uri;
        this.region = region;
        this.description = description;
        this.container = container;
    }

    /** Why no endpoint can be had, or empty when one can. */
    static Optional<String> unavailableReason() {
        if (dockerAvailable() || envEndpoint().isPresent()) {
            return Optional.empty();
        }
        return Optional.of("no AWS endpoint: no Docker engine for LocalStack and AWS_ENDPOINT_URL is not set;"
                + " start moto (pip install 'moto[server]'; moto_server -p 5000 &) and set AWS_ENDPOINT_URL=http://127.0.0.1:5000"
                + " AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1");
    }

    /**
     * The endpoint for a test class. Without one these tests fail, on CI and on a developer's machine
     * alike: an AWS test that passes or skips without talking to an endpoint would prove nothing.
     * {@code bash .ci/test} provides one.
     */
    static AwsEndpoint startOrFail() {
        unavailableReason().ifPresent(reason -> org.junit.jupiter.api.Assertions.fail(
                reason + " (bash .ci/test starts moto and sets these for you)"));
        return start();
    }

    static AwsEndpoint start() {
        if (dockerAvailable()) {
            LocalStackContainer localstack = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                    .withServices(LocalStackContainer.Service.SSM, LocalStackContainer.Service.KMS, LocalStackContainer.Service.CLOUDWATCH,
                            LocalStackContainer.Service.S3);
            localstack.start();
            return new AwsEndpoint(localstack.getEndpoint(), localstack.getRegion(), "LocalStack " + LOCALSTACK_IMAGE, localstack);
        }
        String url = envEndpoint().orElseThrow(() -> new IllegalStateException(unavailableReason().orElse("")));
        String region = Optional.ofNullable(System.getenv("AWS_REGION")).filter(s -> !s.isBlank()).orElse("us-east-1");
        return new AwsEndpoint(URI.create(url), region, "AWS_ENDPOINT_URL " + url, null);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Optional<String> envEndpoint() {
        return Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank());
    }

    /** An SSM client for this endpoint with throwaway credentials. */
    SsmClient ssm() {
        return SsmClient.builder().endpointOverride(uri).region(Region.of(region)).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** An S3 client for this endpoint (path-style, as the CLI's with AWS_ENDPOINT_URL). */
    software.amazon.awssdk.services.s3.S3Client s3() {
        return software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(uri).region(Region.of(region)).forcePathStyle(true)
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    software.amazon.awssdk.services.kms.KmsClient kms() {
        return software.amazon.awssdk.services.kms.KmsClient.builder().endpointOverride(uri).region(Region.of(region))
                .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private StaticCredentialsProvider credentials() {
        String key = container != null ? container.getAccessKey() : Optional.ofNullable(System.getenv("AWS_ACCESS_KEY_ID")).orElse("test");
        String secret = container != null ? container.getSecretKey() : Optional.ofNullable(System.getenv("AWS_SECRET_ACCESS_KEY")).orElse("test");
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
    }

    String description() {
        return description;
    }

    /** The environment a child process (the CLI jar) needs to reach this endpoint, as on a node with AWS_ENDPOINT_URL. */
    java.util.Map<String, String> childEnvironment() {
        var keys = credentials().resolveCredentials();
        return java.util.Map.of("AWS_ENDPOINT_URL", uri.toString(), "AWS_REGION", region, "AWS_ACCESS_KEY_ID", keys.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", keys.secretAccessKey());
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
    }
}
