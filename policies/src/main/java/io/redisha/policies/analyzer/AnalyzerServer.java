package io.redisha.policies.analyzer;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.redisha.policies.PolicyPack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The analyzer as a plugin process: serves {@link AnalyzerService} on a free loopback port. The
 * engine dials {@code 127.0.0.1:<port>} (plugin.go dialPlugin), so only loopback is bound.
 */
public final class AnalyzerServer implements AutoCloseable {
    /** The engine's clients accept up to 400 MiB (rpcutil.GrpcChannelOptions); a large stack must fit. */
    private static final int MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

    private final Server server;
    private final AnalyzerService service;

    private AnalyzerServer(Server server, AnalyzerService service) {
        this.server = server;
        this.service = service;
    }

    public static AnalyzerServer start(PolicyPack pack) throws IOException {
        AnalyzerService service = new AnalyzerService(pack);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(service)
                .build()
                .start();
        return new AnalyzerServer(server, service);
    }

    public int port() {
        return server.getPort();
    }

    /** Where the server listens (loopback only). */
    public java.util.List<InetSocketAddress> listenAddresses() {
        return server.getListenSockets().stream().filter(InetSocketAddress.class::isInstance).map(InetSocketAddress.class::cast).toList();
    }

    public AnalyzerService service() {
        return service;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
