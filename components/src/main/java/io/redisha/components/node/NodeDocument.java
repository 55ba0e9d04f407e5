package io.redisha.components.node;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way redis-ha runs its jar on a node through SSM: a Command document (schemaVersion 2.2,
 * one {@code aws:runShellScript} step) whose script takes the region from the instance metadata
 * (IMDSv2), fetches {@code redis-ha.jar} from the bootstrap bucket ({@code jarBucket}, {@code jarKey}
 * parameters) and then runs the verb's commands. The password never appears in a document or a
 * parameter: the verbs read it from SSM ({@code --password-ssm}). Used by {@link ConvergeDocument}
 * and {@link BackupDocument}.
 */
public final class NodeDocument {
    /** A document parameter (a String filled by the association). */
    public record Parameter(String name, String description) {
    }

    static final Parameter JAR_BUCKET = new Parameter("jarBucket", "S3 bucket of the bootstrap jar");
    static final Parameter JAR_KEY = new Parameter("jarKey", "S3 key of the bootstrap jar");
    static final Parameter PASSWORD = new Parameter("passwordParameter", "SSM SecureString parameter holding the AUTH password");

    /** The shell variable holding this node's private IPv4 after {@link #LOCAL_IP}. */
    static final String LOCAL_IP_VARIABLE = "$LOCAL_IP";
    /** A command setting {@link #LOCAL_IP_VARIABLE} from the instance metadata (after the prelude's token). */
    static final String LOCAL_IP = "LOCAL_IP=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/local-ipv4)";

    private NodeDocument() {
    }

    /** Region from the metadata: every document starts so. */
    public static List<String> region() {
        return List.of(
                "set -euo pipefail",
                "TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
                "export AWS_DEFAULT_REGION=$(curl -sS -H \"X-aws-ec2-metadata-token: $TOKEN\" http://169.254.169.254/latest/meta-data/placement/region)",
                "export AWS_REGION=$AWS_DEFAULT_REGION");
    }

    /** The jar fetched to {@link ConvergeDocument#JAR_PATH}: after {@link #region()}. */
    public static List<String> fetchJar() {
        return List.of(
                "install -d -m 0750 /opt/redis-ha",
                "aws s3 cp \"s3://{{ " + JAR_BUCKET.name() + " }}/{{ " + JAR_KEY.name() + " }}\" " + ConvergeDocument.JAR_PATH + " --only-show-errors");
    }

    /** {@code java -jar redis-ha.jar <arguments>}. */
    static String jar(String arguments) {
        return "java -jar " + ConvergeDocument.JAR_PATH + " " + arguments;
    }

    /**
     * The document: {@link #region()}, {@link #fetchJar()}, then {@code commands}, in one step named {@code step}.
     *
     * @param parameters every parameter the commands use, the jar's ({@link #JAR_BUCKET}, {@link #JAR_KEY}) included
     */
    static String content(String description, List<Parameter> parameters, String step, int timeoutSeconds, List<String> commands) {
        return content(description, parameters, step, timeoutSeconds, List.of(), commands);
    }

    /** As {@link #content(String, List, String, int, List)}, with {@code beforeJar} run between the region and the jar's fetch. */
    static String content(String description, List<Parameter> parameters, String step, int timeoutSeconds, List<String> beforeJar,
                          List<String> commands) {
        List<String> script = new ArrayList<>(region());
        script.addAll(beforeJar);
        script.addAll(fetchJar());
        script.addAll(commands);
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < script.size(); i++) {
            run.append(i == 0 ? "" : ",").append('"').append(json(script.get(i))).append('"');
        }
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < parameters.size(); i++) {
            params.append(i == 0 ? "" : ",").append('"').append(parameters.get(i).name()).append("\":{\"type\":\"String\",\"description\":\"")
                    .append(json(parameters.get(i).description())).append("\"}");
        }
        return "{\"schemaVersion\":\"2.2\","
                + "\"description\":\"" + json(description) + "\","
                + "\"parameters\":{" + params + "},"
                + "\"mainSteps\":[{\"action\":\"aws:runShellScript\",\"name\":\"" + step + "\","
                + "\"inputs\":{\"timeoutSeconds\":\"" + timeoutSeconds + "\",\"runCommand\":[" + run + "]}}]}";
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
