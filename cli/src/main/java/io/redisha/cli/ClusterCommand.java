package io.redisha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to live nodes and can answer in JSON: the same {@link ConnectionOptions} and
 * {@code --json} everywhere, declared once (picocli reads a superclass's options too).
 */
abstract class ClusterCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--json", description = "Print JSON.")
    boolean json;
}
