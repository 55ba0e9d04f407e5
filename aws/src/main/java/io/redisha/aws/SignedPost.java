package io.redisha.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * One SigV4-signed POST to an AWS endpoint over the SDK's URL-connection client: the thin HTTP
 * layer under the API calls the bootstrap speaks without a service client (EC2's query protocol).
 */
final class SignedPost {
    private SignedPost() {
    }

    /** Sends {@code payload} with the headers, signed for {@code service}; returns the body of a 2xx answer. */
    static String send(SdkHttpClient http, URI endpoint, String region, String service, AwsCredentialsProvider credentials,
                       Map<String, String> headers, byte[] payload, String what) {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath())
                .putHeader("Content-Length", Integer.toString(payload.length));
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned.build()).payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(ContentStreamProvider.fromByteArray(payload)).build()).call();
            String text = "";
            Optional<? extends InputStream> stream = response.responseBody();
            if (stream.isPresent()) {
                try (InputStream in = stream.get()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 != 2) {
                throw new IllegalStateException(what + " at " + endpoint + " failed: HTTP " + status + (text.isBlank() ? "" : ": " + text.strip()));
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(what + " at " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
