package io.redisha.policies;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** AUTH comes from a secret: an SSM SecureString fetched at boot, never a password in user data. */
final class SecretRules {
    /** {@code requirepass hunter2} at the start of a line, or {@code --requirepass hunter2}: a literal, not a variable. */
    private static final Pattern LITERAL = Pattern.compile(
            "(?m)(?:^\\s*|--|[\"'/]|config\\s+set\\s+)(requirepass|masterauth)\\s+([\"']?)(?!\\$|%s)([^\\s\"']+)\\2");
    private static final Pattern PASSWORD_NAME = Pattern.compile("(?i)(auth|password|passwd|requirepass)");

    private SecretRules() {
    }

    static Rule authFromSecret() {
        return new Rule("redis-auth-from-secret",
                "Guide's protected production setup and AWS practice (secrets out of user data): every Redis host has AUTH, with the password from a secret (an SSM SecureString fetched at boot), never a literal requirepass/masterauth in user data.",
                EnforcementLevel.MANDATORY,
                List.of(),
                new Rule.Check.PerStack((stack, s) -> {
                    List<Finding> findings = new ArrayList<>();
                    List<ResourceView> parameters = stack.ofType(ResourceView.SSM_PARAMETER);
                    for (ResourceView p : parameters) {
                        String name = p.string("name").orElse(p.name());
                        String type = p.string("type").orElse("String");
                        if ((PASSWORD_NAME.matcher(name).find() || PASSWORD_NAME.matcher(p.name()).find())
                                && !p.isUnknown("type") && !type.equals("SecureString")) {
                            findings.add(new Finding(p, p.label() + " holds a password as type " + type
                                    + ", readable by anyone who can read parameters. Fix: set type(\"SecureString\") (encrypted with KMS)."));
                        }
                    }
                    boolean secureStringExists = parameters.stream().anyMatch(p -> p.string("type").orElse("").equals("SecureString"));
                    for (ResourceView r : stack.ofType(ResourceView.INSTANCE).stream().filter(NodeRules::isRedisNode).toList()) {
                        if (r.secretPaths().contains("userData")) {
                            findings.add(new Finding(r, r.label() + " has a secret inside its user data (anyone with ec2:DescribeInstanceAttribute can read it)."
                                    + " Fix: keep only the SSM parameter name in user data and fetch the password at boot with the instance role."));
                            continue;
                        }
                        UserDataRedisConf.userData(r).ifPresent(userData -> {
                            Matcher m = LITERAL.matcher(userData);
                            if (m.find()) {
                                findings.add(new Finding(r, r.label() + " writes " + m.group(1)
                                        + " with a literal password in its user data. Fix: store the password in an SSM SecureString"
                                        + " and fetch it at boot (aws ssm get-parameter --with-decryption) into an included file."));
                            } else if (!userData.contains("requirepass") && !userData.contains("ssm get-parameter")) {
                                findings.add(new Finding(r, r.label() + " configures no AUTH password: any host that reaches port 6379 can read and write."
                                        + " Fix: fetch the password from an SSM SecureString at boot and set requirepass and masterauth from it."));
                            }
                        });
                    }
                    for (ClusterFacts c : stack.clusters()) {
                        if (!c.nodes().isEmpty() && !secureStringExists) {
                            findings.add(new Finding(c.subject(), c.label() + " has no SSM SecureString parameter for its AUTH password."
                                    + " Fix: declare the password as an aws:ssm/parameter:Parameter with type SecureString (value from a Pulumi secret, e.g. pulumi config set --secret redis-ha:authPassword)."));
                        }
                    }
                    return findings;
                }));
    }
}
