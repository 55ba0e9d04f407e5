package io.redisha.components;

import com.pulumi.aws.ssm.SsmFunctions;
import com.pulumi.aws.ssm.inputs.GetParameterPlainArgs;
import com.pulumi.aws.ssm.inputs.GetParametersByPathArgs;
import com.pulumi.aws.ssm.inputs.GetParametersByPathPlainArgs;
import com.pulumi.core.Output;
import com.pulumi.core.internal.Internal;
import io.redisha.topology.ConvergeRecord;
import io.redisha.topology.PlannedNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the last converge run recorded ({@link ConvergeRecord}, written by the node into the stack's SSM
 * state), read back by the next deployment for two decisions: run converge again after a failed run
 * ({@link ConvergeRecord#nextAttempt}), and allow the drain phases' deletions only when converge verified
 * the nodes to delete out of the cluster ({@link #requireRemovalVerified}).
 */
final class ConvergeRuns {
    private ConvergeRuns() {
    }

    /**
     * The last record, read by path so that a stack that never converged (or was deployed before records
     * existed) reads as none instead of failing. Asked on a new stack too: a first deployment whose
     * converge failed exported no outputs, and its next {@code pulumi up} must still run converge again.
     */
    static Output<Optional<ConvergeRecord>> last(String name) {
        // the path holds only the record (ConvergeRecord.parameterName)
        Output<Optional<ConvergeRecord>> record = SsmFunctions.getParametersByPath(GetParametersByPathArgs.builder()
                        .path(ConvergeRecord.parameterPath(name)).withDecryption(false).build())
                .applyValue(found -> found.values() == null ? Optional.<ConvergeRecord>empty()
                        : found.values().stream().map(ConvergeRecord::parse).flatMap(Optional::stream).findFirst());
        // pulumi-aws marks every value of a path secret; the record (digests, attempts, node addresses) is not,
        // and a secret here would hide the converge association's parameters in every preview and state
        return Internal.of(record).withIsSecret(CompletableFuture.completedFuture(false));
    }

    /**
     * Refuses, before anything is declared, a deployment whose drain phase deletes instances (a roll's
     * retired generation, or a scale-in's retiring nodes) that the last converge did not verify out of
     * the cluster. Asks SSM once, and waits for the answer: only drain phases pay for it.
     *
     * @throws InvalidClusterArgsException naming the flag, what it deletes and what is missing
     */
    static void requireRemovalVerified(ClusterSettings settings) {
        Optional<Integer> generation = settings.generations().removing();
        List<String> removing = generation.isPresent()
                ? settings.plan().nodes().stream().map(PlannedNode::name).toList() : settings.scaleIn().removing();
        if (removing.isEmpty()) {
            return;
        }
        String what = generation.map(g -> "retiredGenerationDrained=true deletes the " + removing.size()
                + " instances of generation " + g).orElse("retiredNodesDrained=true deletes " + removing);
        Optional<ConvergeRecord> record = SsmFunctions.getParametersByPathPlain(GetParametersByPathPlainArgs.builder()
                        .path(ConvergeRecord.parameterPath(settings.name())).withDecryption(false).build())
                .thenApply(found -> found.values() == null ? Optional.<ConvergeRecord>empty()
                        : found.values().stream().map(ConvergeRecord::parse).flatMap(Optional::stream).findFirst())
                .join();
        Optional<String> why = record.isEmpty()
                ? Optional.of("no converge run is recorded in " + ConvergeRecord.parameterName(settings.name())
                        + "; run `pulumi up` without the drain flag so converge runs and records it")
                // the placement the last deployment (phase 1) published: the addresses of the instances deleted now
                : record.get().missingForRemoval(removing, generation.isPresent(), ConvergeRecord.digestOf(
                        SsmFunctions.getParameterPlain(GetParameterPlainArgs.builder().name(settings.placementParameter()).build())
                                .join().value()));
        if (why.isPresent()) {
            throw new InvalidClusterArgsException(settings.name(), List.of(what + ", but " + why.get()));
        }
    }
}
