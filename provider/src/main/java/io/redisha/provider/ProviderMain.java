package io.redisha.provider;

import com.google.protobuf.Empty;
import io.grpc.BindableService;
import io.grpc.ForwardingServerBuilder;
import io.grpc.ServerBuilder;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import com.pulumi.provider.internal.ResourceProviderService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Properties;
import pulumirpc.Plugin.PluginInfo;
import pulumirpc.ResourceProviderGrpc;

/**
 * {@code pulumi-resource-redis-ha}: serves {@code redis-ha:index:RedisCluster} to the Pulumi engine
 * through the Java SDK's provider service, started by the engine with its address as the one argument
 * (logging flags ignored). Two corrections to the SDK's service: the gRPC server listens on loopback
 * only (the SDK's listens on every interface), and GetPluginInfo reports this provider's version (the
 * SDK's says 1.0.0). {@code --version} prints the version; {@code --schema} the package schema.
 */
public final class ProviderMain {
    private ProviderMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> rest = List.of(args).stream()
                .filter(a -> !a.equals("--logtostderr") && !a.startsWith("-v=") && !a.equals("--logflow")).toList();
        if (rest.equals(List.of("--version"))) {
            System.out.println(version());
            return;
        }
        if (rest.equals(List.of("--schema"))) {
            System.out.println(ProviderSchema.json());
            return;
        }
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
            System.err.println("usage: pulumi-resource-redis-ha ENGINE_ADDRESS | --version | --schema (the Pulumi engine starts it)");
            System.exit(2);
        }
        new LoopbackService(rest.get(0), new RedisHaProvider()).startAndBlockUntilShutdown();
    }

    static String version() {
        try (InputStream in = ProviderMain.class.getResourceAsStream("provider.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("provider.properties is missing from the provider jar", e);
        }
    }

    /** The SDK's provider service on 127.0.0.1, with our plugin version. */
    static final class LoopbackService extends ResourceProviderService {
        LoopbackService(String engineAddress, com.pulumi.provider.internal.Provider provider) {
            super(engineAddress, provider);
        }

        @Override
        protected ServerBuilder<?> createServerBuilder() {
            NettyServerBuilder loopback = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new VersionedBuilder(loopback);
        }
    }

    /** Replaces the GetPluginInfo method of the service the SDK adds; everything else is passed on. */
    static final class VersionedBuilder extends ForwardingServerBuilder<VersionedBuilder> {
        private final ServerBuilder<?> delegate;

        VersionedBuilder(ServerBuilder<?> delegate) {
            this.delegate = delegate;
        }

        @Override
        protected ServerBuilder<?> delegate() {
            return delegate;
        }

        @Override
        public VersionedBuilder addService(BindableService bindable) {
            ServerServiceDefinition service = bindable.bindService();
            if (!service.getServiceDescriptor().getName().equals(ResourceProviderGrpc.SERVICE_NAME)) {
                delegate.addService(service);
                return this;
            }
            ServerServiceDefinition.Builder versioned = ServerServiceDefinition.builder(service.getServiceDescriptor());
            String pluginInfo = ResourceProviderGrpc.getGetPluginInfoMethod().getFullMethodName();
            for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
                if (!method.getMethodDescriptor().getFullMethodName().equals(pluginInfo)) {
                    versioned.addMethod(method);
                }
            }
            versioned.addMethod(ResourceProviderGrpc.getGetPluginInfoMethod(), ServerCalls.<Empty, PluginInfo>asyncUnaryCall((request, response) -> {
                response.onNext(PluginInfo.newBuilder().setVersion(version()).build());
                response.onCompleted();
            }));
            delegate.addService(versioned.build());
            return this;
        }
    }
}
