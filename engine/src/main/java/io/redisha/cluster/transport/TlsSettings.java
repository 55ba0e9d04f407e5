package io.redisha.cluster.transport;

import io.redisha.topology.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to the nodes ({@code tls-port}, {@code tls-cluster yes}): the CA that signed the node
 * certificates, and optionally a client certificate for nodes with {@code tls-auth-clients yes}.
 * All files are PEM, as Redis itself reads them; the key must be unencrypted PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} writes).
 *
 * <p>The server certificate is verified against the CA; the host name is not, because nodes are
 * addressed by IP and share one certificate per cluster on EC2.
 */
public record TlsSettings(Path caCert, Optional<Path> clientCert, Optional<Path> clientKey) {
    private static final Pattern KEY_PEM = Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    public TlsSettings {
        if (clientCert.isPresent() != clientKey.isPresent()) {
            throw new InvalidInputException("tls-cert/tls-key", clientCert.isPresent() ? clientCert.get() : clientKey.get(),
                    "both --tls-cert and --tls-key, or neither");
        }
    }

    public static TlsSettings trusting(Path caCert) {
        return new TlsSettings(caCert, Optional.empty(), Optional.empty());
    }

    private static final java.util.Map<TlsSettings, SSLSocketFactory> FACTORIES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Reads the files once and builds the socket factory; every problem names the file and the fix. */
    public SSLSocketFactory socketFactory() {
        return FACTORIES.computeIfAbsent(this, TlsSettings::build);
    }

    private SSLSocketFactory build() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<Certificate> cas = certificates(caCert, "tls-ca-cert");
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.KeyManager[] keyManagers = null;
            if (clientCert.isPresent()) {
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                char[] none = new char[0];
                keys.setKeyEntry("client", privateKey(clientKey.get()), none,
                        certificates(clientCert.get(), "tls-cert").toArray(Certificate[]::new));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidInputException("tls", caCert, "PEM files a TLS context can be built from (" + e.getMessage() + ")");
        }
    }

    private static List<Certificate> certificates(Path file, String option) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new InvalidInputException(option, file, "a PEM file with at least one certificate");
            }
            return new ArrayList<>(certs);
        } catch (IOException e) {
            throw new InvalidInputException(option, file, "a readable PEM certificate file (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException(option, file, "a PEM X.509 certificate (" + e.getMessage() + ")");
        }
    }

    /** PKCS#8 PEM, RSA or EC; PKCS#1 and encrypted keys are refused with the openssl line that converts them. */
    static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("tls-key", file, "a readable PEM private key file (" + e.getMessage() + ")");
        }
        Matcher m = KEY_PEM.matcher(text);
        if (!m.find()) {
            throw new InvalidInputException("tls-key", file, "a PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).isEmpty()) {
            throw new InvalidInputException("tls-key", file, "an unencrypted PKCS#8 key (BEGIN PRIVATE KEY), not BEGIN "
                    + m.group(1) + "PRIVATE KEY; convert it: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out node-pkcs8.key");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Try the next algorithm.
            }
        }
        throw new InvalidInputException("tls-key", file, "an RSA, EC or Ed25519 PKCS#8 private key");
    }
}
