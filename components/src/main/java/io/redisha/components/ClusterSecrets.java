package io.redisha.components;

import com.pulumi.aws.ssm.Parameter;
import com.pulumi.aws.ssm.ParameterArgs;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The AUTH password and, with TLS, the CA, node certificate and key: SSM SecureStrings (secrets in state). */
final class ClusterSecrets {
    /** @param all the password first, then the TLS material; nodes read them at boot */
    record Declared(Parameter auth, List<Parameter> all) {
    }

    private ClusterSecrets() {
    }

    static Declared declare(Resource parent, String name, RedisClusterArgs args, ClusterSettings settings, Map<String, String> baseTags) {
        Parameter auth = new Parameter(name + "-auth", ParameterArgs.builder()
                .name(settings.authParameter())
                .type("SecureString")
                .value(args.authPassword.get().asSecret())
                .description("redis-ha " + name + ": AUTH password (requirepass/masterauth)")
                .tags(baseTags)
                .build(), Children.of(parent));
        List<Parameter> all = new ArrayList<>(List.of(auth));
        if (settings.redis().tls()) {
            String prefix = settings.tlsParameterPrefix();
            all.add(new Parameter(name + "-tls-ca", ParameterArgs.builder().name(prefix + "/ca").type("SecureString")
                    .value(args.tlsCaCertificate.get()).tags(baseTags).build(), Children.of(parent)));
            all.add(new Parameter(name + "-tls-cert", ParameterArgs.builder().name(prefix + "/cert").type("SecureString")
                    .value(args.tlsCertificate.get()).tags(baseTags).build(), Children.of(parent)));
            all.add(new Parameter(name + "-tls-key", ParameterArgs.builder().name(prefix + "/key").type("SecureString")
                    .value(args.tlsPrivateKey.get().asSecret()).tags(baseTags).build(), Children.of(parent)));
        }
        return new Declared(auth, List.copyOf(all));
    }
}
