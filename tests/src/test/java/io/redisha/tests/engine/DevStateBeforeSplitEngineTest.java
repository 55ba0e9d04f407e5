package io.redisha.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dev stack deployed by the code from before {@code RedisCluster} was split into parts (issue 11)
 * is previewed and updated by today's code: nothing is replaced, deleted or re-parented. The fixture
 * {@code engine/dev-state-before-split.json} is {@code pulumi stack export} after {@code pulumi up} of
 * the dev program at commit c826daa (the split's parent), run with this harness and the AWS double.
 */
class DevStateBeforeSplitEngineTest {
    static final String FIXTURE = "/engine/dev-state-before-split.json";
    /**
     * The only differences allowed, each for a reason that is not the split: the watchdog's role
     * policy is new since (issue 14), so is the ec2 interface endpoint its EC2 calls need from the
     * private subnets (issue 19), the converge record's parameter, the node's right to write it and the
     * document and association that pass it to converge are new (issue 17: converge runs once more on
     * the upgraded stack, which changes nothing on a converged cluster), and the bootstrap jar object
     * carries the jar built from today's code (its hash changes with every build).
     */
    static final Set<String> EXPECTED = Set.of(
            "create aws:iam/rolePolicy:RolePolicy dev-node-watchdog",
            "create aws:ec2/vpcEndpoint:VpcEndpoint dev-ec2-endpoint",
            "update aws:s3/bucketObjectv2:BucketObjectv2 dev-bootstrap-jar",
            // issue 17: converge records its runs in a parameter of the stack, which the node may write
            "create aws:ssm/parameter:Parameter dev-converge-state",
            "update aws:iam/rolePolicy:RolePolicy dev-node-access",
            "update aws:ssm/document:Document dev-converge",
            "update aws:ssm/association:Association dev-converge-association");

    @BeforeAll
    static void engine() {
        EngineTools.requireOrFail();
    }

    @Test
    void engineStackFromBeforeTheSplitUpdatesWithoutReplacingAnything() throws IOException {
        ClusterProgram program = ClusterProgram.fromStackConfig("dev");
        try (EngineProject project = program.start()) {
            Path state = project.dir().resolveSibling("before-split.json");
            try (InputStream in = DevStateBeforeSplitEngineTest.class.getResourceAsStream(FIXTURE)) {
                Files.copy(in, state);
            }
            project.ok("stack", "import", "--file", state.toString());

            Preview preview = project.preview();
            assertEquals(EXPECTED, new TreeSet<>(preview.changes().lines().toList()), preview.changes());

            project.up();
            project.ok("preview", "--expect-no-changes");
        }
    }
}
