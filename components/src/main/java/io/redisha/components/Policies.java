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

    /** What the nodes may never do to a backup bucket, even if another policy of the role allowed it (an explicit deny wins). */
    public static final List<String> NEVER_ON_BACKUPS = List.of("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket",
            "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy",
            "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:BypassGovernanceRetention");

    /**
     * Scheduled backups: write (PutObject, which covers the multipart create, upload-part and complete
     * calls; abort and list-parts of its own uploads) under the cluster's prefix only, encrypt with the
     * backup key only, and an explicit deny of every delete and of the bucket settings that keep
     * backups (lifecycle, versioning, policy), so a compromised node cannot erase or shorten them.
     *
     * @param bucket the backup bucket's name
     * @param prefix the cluster's key prefix, ending with '/'
     * @param keyArn the KMS key the backups are encrypted with
     */
    public static String backupWrite(String bucket, String prefix, String keyArn) {
        if (!prefix.endsWith("/") || prefix.length() < 2) {
            throw new IllegalArgumentException("a backup prefix ends with '/': " + prefix);
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        List<String> statements = new ArrayList<>();
        statements.add("{\"Sid\":\"WriteBackupsUnderClusterPrefix\",\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:PutObject\",\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"],"
                + "\"Resource\":\"" + bucketArn + "/" + prefix + "*\"}");
        statements.add("{\"Sid\":\"EncryptBackupsWithTheBackupKey\",\"Effect\":\"Allow\","
                + "\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"" + keyArn + "\"}");
        statements.add("{\"Sid\":\"NeverDeleteOrShortenBackups\",\"Effect\":\"Deny\",\"Action\":" + jsonArray(NEVER_ON_BACKUPS) + ","
                + "\"Resource\":" + jsonArray(List.of(bucketArn, bucketArn + "/*")) + "}");
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    /**
     * {@code restoreFrom} of a new cluster: read the backup's objects only, and decrypt them through S3
     * in this region for that bucket only (the backup's key may be another stack's).
     *
     * @param objectsArn {@code arn:aws:s3:::bucket/prefix/*}
     */
    public static String restoreRead(String objectsArn, String region) {
        String bucketArn = objectsArn.substring(0, objectsArn.indexOf('/'));
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"ReadTheBackupToRestore\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"" + objectsArn + "\"},"
                + "{\"Sid\":\"DecryptTheBackupViaS3\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"kms:ViaService\":\"s3." + region + ".amazonaws.com\"},"
                + "\"StringLike\":{\"kms:EncryptionContext:aws:s3:arn\":" + jsonArray(List.of(bucketArn, objectsArn)) + "}}}]}";
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
