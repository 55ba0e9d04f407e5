package io.redisha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InvalidOptionTest {
    @Test
    void anOptionErrorIsOneLineNamingTheOptionAndExitsInvalid() {
        StringWriter err = new StringWriter();
        CommandLine cli = RedisHaCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("drill", "127.0.0.1:1", "--mode", "bogus");
        assertEquals(RedisHaCli.INVALID, code, err.toString());
        assertEquals("redis-ha: mode=bogus is not valid: pause, kill or zone", err.toString().strip());
    }

    @Test
    void localUpRefusesASafeWriteModeThatWaitsForMoreReplicasThanItStarts(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = RedisHaCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("local", "up", "--dir", dir.toString(), "--replicas", "1", "--min-replicas-to-write", "2");
        assertEquals(RedisHaCli.INVALID, code, err.toString());
        assertEquals("redis-ha: min-replicas-to-write=2 is not valid: 0..1 (--replicas): a master cannot wait for more replicas than it has",
                err.toString().strip());
        assertEquals(0, dir.toFile().list().length, "nothing started");
    }

    @Test
    void aBusyShareOutsideOneToHundredIsRefusedBeforeAnyNodeIsContacted() {
        StringWriter err = new StringWriter();
        CommandLine cli = RedisHaCli.commandLine();
        cli.setErr(new PrintWriter(err));
        // Nothing listens on port 1: a refusal naming the option shows no connection was tried first.
        int code = cli.execute("reshard", "127.0.0.1:1", "--from", "all", "--to", "127.0.0.1:2", "--slots", "10", "--yes", "--max-busy", "0");
        assertEquals(RedisHaCli.INVALID, code, err.toString());
        assertEquals("redis-ha: max-busy=0 is not valid: a whole percent from 1 to 100", err.toString().strip());
    }
}
