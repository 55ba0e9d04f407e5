package io.redisha.components.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user data's password lines, run for real: bash writes the AUTH include from a password full of
 * characters that matter to a shell or to redis.conf, a real redis-server loads it, and AUTH with
 * the original password works.
 */
class UserDataPasswordTest {
    private static final String NASTY = "p\"a$s w'o\\rd`;#\\\"end";

    @Test
    void anyPasswordSurvivesTheTripIntoRedisConf(@TempDir Path dir) throws Exception {
        String userData = UserData.render(new UserData.Spec("c", "node-0-0", "port 6379\n", "/redis-ha/c/auth", Optional.empty()));
        Path include = dir.resolve("auth.conf");
        String script = userData.lines()
                .filter(l -> l.startsWith("PASSWORD=$(printf") || l.startsWith("printf 'requirepass"))
                .map(l -> l.replace(NodeRedisConf.AUTH_INCLUDE, include.toString()))
                .reduce("set -euo pipefail\n", (a, b) -> a + b + "\n");
        assertTrue(script.contains("sed") && script.contains("requirepass"), script);

        ProcessBuilder withPassword = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        withPassword.environment().put("PASSWORD", NASTY);
        Process run = withPassword.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), output);

        int port = freePort();
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nsave \"\"\nappendonly no\ndir " + dir + "\ninclude " + include + "\n");
        Process redis = new ProcessBuilder("redis-server", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            String pong = "";
            for (int i = 0; i < 100 && !pong.equals("PONG"); i++) {
                pong = redisCli(port, List.of("--no-auth-warning", "-a", NASTY, "ping"));
                Thread.sleep(50);
            }
            assertEquals("PONG", pong, Files.readString(dir.resolve("redis.log")));
            assertTrue(redisCli(port, List.of("--no-auth-warning", "-a", "wrong", "ping")).contains("WRONGPASS"));
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String redisCli(int port, List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(args);
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        cli.waitFor();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
