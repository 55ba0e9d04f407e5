package io.redisha.components.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.topology.ConvergeRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converge document's shell, run for real by bash with the association's parameters filled in as
 * SSM does, and {@code curl}/{@code aws} stand-ins on PATH (the instance metadata and AWS APIs are not
 * here): a node that cannot fetch the jar records a failed run that {@link ConvergeRecord} reads, and a
 * node that can passes the record parameter and the attempt to converge.
 */
class ConvergeDocumentTest {
    private static final Map<String, String> PARAMETERS = Map.of("planParameter", "/redis-ha/dev/placement",
            "passwordParameter", "/redis-ha/dev/auth", "jarBucket", "jars", "jarKey", "redis-ha/dev/redis-ha.jar",
            "placementDigest", "d1g35t", "recordParameter", ConvergeRecord.parameterName("dev"), "attempt", "2",
            "restoreFrom", "s3://backups/dev/2026-12-07T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aNodeThatCannotFetchTheJarRecordsTheAttemptAsFailed() throws Exception {
        Result r = run(false);
        assertTrue(r.exit != 0, r.calls.toString());
        List<String> put = r.calls.stream().filter(c -> c.startsWith("aws ssm put-parameter")).toList();
        assertEquals(1, put.size(), r.calls.toString());
        assertTrue(put.get(0).contains("--name " + ConvergeRecord.parameterName("dev")), put.get(0));
        String value = put.get(0).substring(put.get(0).indexOf("--value ") + "--value ".length());
        value = value.substring(0, value.lastIndexOf('}') + 1);
        ConvergeRecord failed = ConvergeRecord.parse(value).orElseThrow(() -> new AssertionError(put.get(0)));
        assertEquals(ConvergeRecord.FAILED, failed.status());
        assertEquals("d1g35t", failed.placementDigest());
        assertEquals(3, ConvergeRecord.nextAttempt(java.util.Optional.of(failed), "d1g35t"));
        assertTrue(r.calls.stream().noneMatch(c -> c.startsWith("java")), "converge never started: " + r.calls);
    }

    @Test
    void aNodeThatFetchedTheJarHandsTheRecordAndTheAttemptToConverge() throws Exception {
        Result r = run(true);
        assertEquals(0, r.exit, r.calls.toString());
        assertTrue(r.calls.stream().noneMatch(c -> c.startsWith("aws ssm put-parameter")), "converge records its own run: " + r.calls);
        String java = r.calls.stream().filter(c -> c.startsWith("java")).findFirst().orElseThrow(() -> new AssertionError(r.calls));
        assertTrue(java.contains("converge --plan-ssm /redis-ha/dev/placement --password-ssm /redis-ha/dev/auth --record-ssm "
                + ConvergeRecord.parameterName("dev") + " --attempt 2"), java);
    }

    @Test
    void aRestoreThatFailsAfterConvergeRecordsTheAttemptAsFailed() throws Exception {
        Result r = run(ConvergeDocument.content(60, false, true), "restore");
        assertTrue(r.exit != 0, r.calls.toString());
        assertTrue(r.calls.stream().anyMatch(c -> c.startsWith("java -jar") && c.contains(" converge ")), r.calls.toString());
        List<String> put = r.calls.stream().filter(c -> c.startsWith("aws ssm put-parameter")).toList();
        assertEquals(1, put.size(), r.calls.toString());
        ConvergeRecord failed = ConvergeRecord.parse(put.get(0).substring(put.get(0).indexOf('{'), put.get(0).lastIndexOf('}') + 1))
                .orElseThrow(() -> new AssertionError(put.get(0)));
        assertEquals(ConvergeRecord.FAILED, failed.status());
        assertTrue(failed.error().contains("restoring s3://backups/dev/2026-12-07T00:00:00Z failed"), failed.error());
    }

    private record Result(int exit, List<String> calls) {
    }

    private Result run(boolean jarFetched) throws Exception {
        return run(ConvergeDocument.content(60), jarFetched ? "nothing" : "s3 cp");
    }

    /** Runs the document's commands with bash; the stand-ins fail {@code failing}: "s3 cp" (the jar's fetch) or "restore". */
    private Result run(String document, String failing) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(document);
        doc.path("parameters").fieldNames().forEachRemaining(p -> assertTrue(PARAMETERS.containsKey(p), "a value for " + p));
        StringBuilder script = new StringBuilder();
        for (JsonNode command : doc.path("mainSteps").get(0).path("inputs").path("runCommand")) {
            String line = command.asText();
            for (Map.Entry<String, String> p : PARAMETERS.entrySet()) {
                line = line.replace("{{ " + p.getKey() + " }}", p.getValue());
            }
            script.append(line.replace("/opt/redis-ha", dir.resolve("opt").toString())
                    .replace(NodeRedisConf.DATA_DIR, dir.resolve("data").toString())).append('\n');
        }
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("calls.log");
        stub(bin, "curl", "echo us-east-1");
        stub(bin, "aws", "echo \"aws $*\" >> " + log + "\n[ \"$1 $2\" = \"" + failing + "\" ] && exit 1\nexit 0");
        stub(bin, "java", "echo \"java $*\" >> " + log + "\n[ \"$3\" = \"" + failing + "\" ] && exit 1\nexit 0");
        Path file = dir.resolve("converge.sh");
        Files.writeString(file, script.toString());
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        int exit = pb.start().waitFor();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
        return new Result(exit, calls);
    }

    private static void stub(Path bin, String name, String body) throws Exception {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/usr/bin/env bash\n" + body + "\n");
        assertTrue(f.toFile().setExecutable(true));
    }
}
