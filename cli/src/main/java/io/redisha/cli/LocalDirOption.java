package io.redisha.cli;

import io.redisha.cluster.ClusterEngine;
import io.redisha.local.LocalCluster;
import io.redisha.local.LocalRegistry;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --dir} of every {@code local} command, resolved the same way everywhere (see {@link LocalRegistry}). */
final class LocalDirOption {
    @Option(names = "--dir", paramLabel = "DIR", description = "Where configs, data and the state file live. Default: .redis-ha/local"
            + " when it holds a cluster, else the one running local cluster 'local up' registered.")
    Optional<Path> dir = Optional.empty();

    LocalCluster cluster() {
        return new LocalCluster(LocalRegistry.resolve(dir), new ClusterEngine());
    }
}
