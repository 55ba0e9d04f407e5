package io.redisha.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** Every shell script the image ships passes shellcheck. CI installs shellcheck with apt. */
class ShellcheckTest {

    @TempDir
    Path staging;

    @Test
    void everyScriptIsShellcheckClean() throws Exception {
        Scripts.Result version;
        try {
            version = Scripts.run(Map.of(), "shellcheck", "--version");
        } catch (java.io.IOException e) {
            fail("shellcheck is not installed (apt-get install -y shellcheck); this test must not be skipped: " + e.getMessage());
            return;
        }
        assertEquals(0, version.exitCode(), version.output());

        Scripts.stage(staging);
        List<String> scripts = NodeImageFiles.stagedNames().stream().filter(n -> n.endsWith(".sh")).toList();
        assertEquals(List.of("check-tunings.sh", "install-tunings.sh"), scripts.stream().sorted().toList());
        for (String script : scripts) {
            var result = Scripts.run(Map.of(), "shellcheck", "--shell=bash", "--severity=style",
                    staging.resolve(script).toString());
            assertEquals(0, result.exitCode(), script + ":\n" + result.output());
            assertFalse(result.output().contains("SC"), script + ":\n" + result.output());
        }
    }

    @Test
    void awstoeBashStepsAreShellcheckClean() throws Exception {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        for (String document : List.of(NodeImageDocuments.packagesDocument(), NodeImageDocuments.tuningsDocument())) {
            var doc = yaml.readTree(document);
            for (var phase : doc.path("phases")) {
                // AWSTOE runs a step's commands as one bash script.
                String body = "#!/usr/bin/env bash\n" + String.join("\n",
                        AwstoeDocumentsTest.commands(AwstoeDocumentsTest.phase(doc, phase.path("name").asText())));
                Path file = staging.resolve(doc.path("name").asText() + "-" + phase.path("name").asText() + ".sh");
                java.nio.file.Files.writeString(file, body);
                var result = Scripts.run(Map.of(), "shellcheck", "--severity=style", file.toString());
                assertEquals(0, result.exitCode(), file.getFileName() + ":\n" + result.output());
            }
        }
    }
}
