package io.redisha.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * Reads the parameters the stack publishes (the placement JSON, the AUTH password as a
 * SecureString). On a node the region and credentials come from the instance profile; an
 * {@code AWS_ENDPOINT_URL} (LocalStack, moto) is honoured for tests.
 */
public final class SsmParameters implements AutoCloseable {
    /** The AWS service (endpoint prefix) this class calls: a VPC without internet needs an endpoint for it. */
    public static final String SERVICE = "ssm";

    private final SsmClient ssm;

    public SsmParameters(SsmClient ssm) {
        this.ssm = ssm;
    }

    /** A client for the default region and credentials chain, with the endpoint from the environment if set. */
    public static SsmParameters fromEnvironment() {
        SsmClientBuilder builder = SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL")).filter(s -> !s.isBlank())
                .ifPresent(url -> builder.endpointOverride(URI.create(url)));
        return new SsmParameters(builder.build());
    }

    /** The value of {@code name}, decrypted when it is a SecureString. */
    public String read(String name) {
        try {
            return ssm.getParameter(GetParameterRequest.builder().name(name).withDecryption(true).build())
                    .parameter().value();
        } catch (ParameterNotFoundException e) {
            throw new IllegalArgumentException("SSM parameter " + name + " does not exist in this region/account;"
                    + " check the stack's outputs for the parameter names", e);
        }
    }

    /** Sets the String parameter {@code name} to {@code value}, creating it if needed (Advanced tier above Standard's 4 KB). */
    public void write(String name, String value) {
        PutParameterRequest.Builder put = PutParameterRequest.builder().name(name).value(value).type(ParameterType.STRING).overwrite(true);
        if (value.length() > 4096) {
            put.tier(ParameterTier.ADVANCED);
        }
        ssm.putParameter(put.build());
    }

    @Override
    public void close() {
        ssm.close();
    }
}
