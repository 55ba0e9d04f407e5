package io.redisha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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

}
