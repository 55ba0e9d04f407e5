package io.redisha.components;

import java.util.ArrayList;
import java.util.List;

/**
 * IAM policy documents of the nodes, as JSON strings. Least privilege: read this cluster's
 * parameters only, decrypt only through SSM for those parameters, fetch the bootstrap jar object only.
 */
public final class Policies {
    private Policies() {
    }

    /** Lets EC2 assume the node role. */
    public static String ec2AssumeRole() {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    /**
     * @param parameterArns the ARNs of the cluster's SSM parameters (placement, password, TLS material)
     * @param recordArn     the ARN of the converge record, the one parameter a node may write ({@code ConvergeRecord})
     * @param jarObjectArn  {@code arn:aws:s3:::bucket/key} of the bootstrap jar
     */
    public static String nodeAccess(List<String> parameterArns, String recordArn, String jarObjectArn) {
        if (parameterArns.isEmpty()) {
            throw new IllegalArgumentException("the node policy needs at least one parameter ARN");
        }
        String region = regionOf(parameterArns.get(0));
        List<String> statements = new ArrayList<>();
        statements.add("{\"Sid\":\"ReadClusterParameters\",\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameter\","
                + "\"Resource\":" + jsonArray(parameterArns) + "}");
        statements.add("{\"Sid\":\"DecryptClusterParametersViaSsm\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"ssm." + region + ".amazonaws.com\"},"
                + "\"StringLike\":{\"kms:EncryptionContext:PARAMETER_ARN\":" + jsonArray(parameterArns) + "}}}");
        statements.add("{\"Sid\":\"RecordConvergeRuns\",\"Effect\":\"Allow\",\"Action\":\"ssm:PutParameter\","
                + "\"Resource\":\"" + recordArn + "\"}");
        statements.add("{\"Sid\":\"FetchBootstrapJar\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"" + jarObjectArn + "\"}");
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    /** {@code arn:aws:ssm:us-east-1:123:parameter/x} -> {@code us-east-1}. */
    static String regionOf(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || parts[3].isEmpty()) {
            throw new IllegalArgumentException("not a regional ARN: " + arn);
        }
        return parts[3];
    }

    private static String jsonArray(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }
}
