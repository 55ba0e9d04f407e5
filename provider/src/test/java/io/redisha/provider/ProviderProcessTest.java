package io.redisha.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pulumirpc.Provider.GetSchemaRequest;
import pulumirpc.ResourceProviderGrpc;

/**
 * The provider process as the engine starts it: it prints its port, listens on loopback only, and
 * answers GetPluginInfo with its own version and GetSchema with {@link ProviderSchema}'s.
 */
class ProviderProcessTest {
    @Test
    void servesOnLoopbackWithItsOwnVersion() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process provider = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ProviderMain.class.getName(),
                "127.0.0.1:1").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ManagedChannel channel = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(provider.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().trim());
            assertEquals(List.of("127.0.0.1"), listeners(port), "bound to loopback only");
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            ResourceProviderGrpc.ResourceProviderBlockingStub stub = ResourceProviderGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS);
            assertEquals(ProviderMain.version(), stub.getPluginInfo(Empty.getDefaultInstance()).getVersion());
            assertEquals(ProviderSchema.json(), stub.getSchema(GetSchemaRequest.getDefaultInstance()).getSchema());
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            provider.destroy();
            provider.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Local addresses of the listening TCP sockets on {@code port} (Linux /proc). */
    private static List<String> listeners(int port) throws Exception {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> out = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table)); // read once: the table changes between two reads
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (local[1].equals(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                    out.add(address(local[0]));
                }
            }
        }
        assertTrue(!out.isEmpty(), "no listener on port " + port);
        return out;
    }

    /** 0100007F -> 127.0.0.1; the IPv6 forms of loopback (::1, ::ffff:127.0.0.1) too; anything else as hex. */
    private static String address(String hex) {
        if (hex.length() == 8) {
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        if (hex.equals("0000000000000000FFFF00000100007F")) {
            return "127.0.0.1";
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "127.0.0.1"; // ::1
        }
        return hex;
    }
}
