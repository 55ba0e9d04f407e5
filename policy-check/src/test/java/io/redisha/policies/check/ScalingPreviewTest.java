package io.redisha.policies.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.mock.MockedDiff;
import io.redisha.mock.StackConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling preview on two config files: the committed dev stack and a copy with more masters (moved from stacks' tests). */
class ScalingPreviewTest {
    /** The stack files live in ../stacks relative to this module. */
    private static final Path DEV = Path.of(System.getProperty("policycheck.basedir", ".")).toAbsolutePath().getParent()
            .resolve("stacks").resolve("Pulumi.dev.yaml");

    @Test
    void mockedCliComparesTwoConfigFiles(@TempDir Path dir) throws Exception {
        MockedDiff diff = devGrownToFiveMasters(dir);
        assertEquals(4, diff.added().size(), diff.render());
        assertTrue(diff.onlyAdds(), diff.render());
    }

    @Test
    void mockedScalingPreviewCliShowsThePlanDiff(@TempDir Path dir) throws Exception {
        MockedDiff diff = devGrownToFiveMasters(dir);
        assertEquals(List.of("node-3-0", "node-3-1", "node-4-0", "node-4-1"), diff.planDiff().added());
        assertTrue(diff.render().startsWith(diff.planDiff().toText()), diff.render());
        // and the other way round: a phase-1 scale-in only changes the placement and the association
        MockedDiff in = ScalingPreview.preview("dev", StackConfigFile.load(dir.resolve("Pulumi.dev-bigger.yaml")),
                StackConfigFile.load(DEV));
        assertTrue(in.onlyAdds(), in.render());
        assertTrue(in.render().contains("Retiring (phase 1 of 2): node-3-0, node-3-1, node-4-0, node-4-1"), in.render());
    }

    /** The dev stack against the same stack with 5 masters instead of 3, both under mocks. */
    private static MockedDiff devGrownToFiveMasters(Path dir) throws Exception {
        Path bigger = dir.resolve("Pulumi.dev-bigger.yaml");
        Files.writeString(bigger, Files.readString(DEV)
                .replace("redis-ha:masters: \"3\"", "redis-ha:masters: \"5\""));
        return ScalingPreview.preview("dev", StackConfigFile.load(DEV), StackConfigFile.load(bigger));
    }
}
