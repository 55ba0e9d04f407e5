package io.redisha.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cli.RedisHaCli;
import io.redisha.mock.DeclaredResource;
import io.redisha.mock.MockedDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nodes sit in private subnets without NAT: every AWS service they call needs a VPC endpoint. The
 * services are derived from what the nodes run (the rendered user data and SSM documents: {@code aws
 * SERVICE ...} CLI calls, and the redis-ha jar command lines, whose SDK calls the jar itself names;
 * and the watchdog unit baked into the image, which the user data enables) and compared with the
 * endpoints the component declares.
 */
class VpcEndpointsMockedTest {
    private static final Pattern AWS_CLI = Pattern.compile("\\baws ([a-z0-9-]+) ");
    private static final Pattern JAR = Pattern.compile("java -jar \\S+redis-ha\\.jar ([^\\n]+)");
    private static final Pattern WORD = Pattern.compile("'[^']*'|\"[^\"]*\"|\\S+");
    /** The SSM agent on every node (association runs, Session Manager) talks to these three. */
    private static final Set<String> SSM_AGENT = Set.of("ssm", "ssmmessages", "ec2messages");

    @ParameterizedTest(name = "mocked {0}: an endpoint for every AWS service a node calls, and no other")
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceANodeCallsHasAnEndpoint(String stack) throws Exception {
        MockedDeployment.Result r = Stacks.run(stack, Map.of());
        assertTrue(r.succeeded(), () -> r.failure().orElse(""));
        List<String> scripts = new ArrayList<>();
        r.resources("aws:ec2/instance:Instance").forEach(i -> scripts.add(i.string("userData")));
        for (DeclaredResource document : r.resources("aws:ssm/document:Document")) {
            JsonNode content = new ObjectMapper().readTree(document.string("content"));
            // SSM fills in the association's parameters before the commands run; the attempt is a number
            content.findValues("runCommand").forEach(commands -> commands.forEach(c -> scripts.add(c.asText().replace("{{ attempt }}", "0"))));
        }
        Set<String> called = new TreeSet<>(SSM_AGENT);
        for (String script : scripts) {
            Matcher cli = AWS_CLI.matcher(script);
            while (cli.find()) {
                called.add(cli.group(1));
            }
            Matcher jar = JAR.matcher(script);
            while (jar.find()) {
                called.addAll(RedisHaCli.awsServicesCalled(words(jar.group(1))));
            }
        }
        called.addAll(RedisHaCli.awsServicesCalled(bakedWatchdogArgs()));
        assertTrue(called.contains("monitoring"), "the metrics timer publishes to CloudWatch: " + called);
        assertTrue(called.contains("ec2"), "the watchdog asks EC2 about silent masters: " + called);

        Set<String> declared = new TreeSet<>();
        for (DeclaredResource endpoint : r.resources("aws:ec2/vpcEndpoint:VpcEndpoint")) {
            String service = endpoint.string("serviceName");
            assertTrue(service.startsWith("com.amazonaws.us-east-1."), service);
            declared.add(service.substring("com.amazonaws.us-east-1.".length()));
        }
        assertFalse(declared.isEmpty(), "the stack builds its own VPC");
        assertEquals(called, declared);
    }

    /** The redis-ha arguments of the baked watchdog unit's ExecStart (after {@code -jar JAR}). */
    private static List<String> bakedWatchdogArgs() throws Exception {
        String unit;
        try (var in = VpcEndpointsMockedTest.class.getResourceAsStream("/node-image/files/redis-ha-watchdog.service")) {
            assertTrue(in != null, "the watchdog unit is in the node-image jar");
            unit = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> words = words(exec.replace("$TLS_OPTIONS", ""));
        return words.subList(words.indexOf("-jar") + 2, words.size());
    }

    private static List<String> words(String commandLine) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(commandLine.replace("\\\"", "\""));
        while (m.find()) {
            String w = m.group();
            words.add(w.length() > 1 && (w.startsWith("'") || w.startsWith("\"")) ? w.substring(1, w.length() - 1) : w);
        }
        return words;
    }
}
