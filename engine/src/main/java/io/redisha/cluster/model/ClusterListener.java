package io.redisha.cluster.model;

/** Hears what a long cluster operation is doing, to show progress; the engine never prints. */
public interface ClusterListener {
    ClusterListener SILENT = new ClusterListener() { };

    /** A step begins: {@code total} units of work (nodes, commands) to do. */
    default void step(String name, int total) {
    }

    /** {@code done} of the current step's units are finished. */
    default void progress(int done) {
    }

    /** A change was made, or a notable fact found: one line a person reads. */
    default void info(String message) {
    }
}
