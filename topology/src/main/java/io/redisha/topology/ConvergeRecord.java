package io.redisha.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the last converge run on a stack's cluster recorded, in the stack's SSM state parameter
 * ({@code /redis-ha/<name>/converge/state}): the placement it worked on (its SHA-256), the attempt,
 * and how it ended. Converge writes it before it touches a node ({@code converging}) and again when
 * it ends ({@code converged} or {@code failed}); the component reads it back on the next deployment to
 * run converge again after a failure ({@link #nextAttempt}) and to allow the drain phases' deletions
 * only when converge verified that the nodes to delete are out of the cluster ({@link #missingForRemoval}).
 *
 * @param retiring  the placement's retiring nodes (scale-in), by planned name: {@code host:port}
 * @param replacing the placement's replaced nodes (roll), by the planned name of their successor: {@code host:port}
 * @param forgotten the retiring and replaced addresses that no planned node knew when converge ended
 *                  (verified after converge, not assumed), with every slot served by the planned masters
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConvergeRecord(String placementDigest, int attempt, String status, Map<String, String> retiring,
                             Map<String, String> replacing, List<String> forgotten, String error, String at) {
    public static final String CONVERGING = "converging";
    public static final String CONVERGED = "converged";
    public static final String FAILED = "failed";

    public ConvergeRecord {
        retiring = retiring == null ? Map.of() : Map.copyOf(retiring);
        replacing = replacing == null ? Map.of() : Map.copyOf(replacing);
        forgotten = forgotten == null ? List.of() : List.copyOf(forgotten);
    }

    /** The SSM parameter converge records its runs in, for cluster {@code name}. */
    public static String parameterName(String name) {
        return "/redis-ha/" + name + "/converge/state";
    }

    /** The path {@link #parameterName} lies under: read by path, a stack that never converged has none. */
    public static String parameterPath(String name) {
        return "/redis-ha/" + name + "/converge/";
    }

    /** Written before converge touches anything: the placement it works on and the attempt. */
    public static ConvergeRecord started(String placementJson, Placement placement, int attempt) {
        Map<String, String> retiring = new LinkedHashMap<>();
        placement.retiring().forEach((n, a) -> retiring.put(n, a.toString()));
        Map<String, String> replacing = new LinkedHashMap<>();
        placement.replacing().forEach((n, a) -> replacing.put(n, a.toString()));
        return new ConvergeRecord(digestOf(placementJson), attempt, CONVERGING, retiring, replacing, List.of(), null,
                Instant.now().toString());
    }

    /** Converge ended with the cluster at the placement; {@code forgotten} verified out of the cluster. */
    public ConvergeRecord converged(Collection<NodeAddress> forgottenNow) {
        return new ConvergeRecord(placementDigest, attempt, CONVERGED, retiring, replacing,
                forgottenNow.stream().map(NodeAddress::toString).sorted().toList(), null, Instant.now().toString());
    }

    /** Converge stopped with {@code error}; the next deployment runs it again. */
    public ConvergeRecord failed(String why) {
        return new ConvergeRecord(placementDigest, attempt, FAILED, retiring, replacing, List.of(), why, Instant.now().toString());
    }

    public boolean isConverged() {
        return CONVERGED.equals(status);
    }

    /**
     * The {@code attempt} the next deployment passes to converge for the placement {@code digest}: one
     * more than the last when the last run on that placement did not converge (so the association's
     * parameters change and SSM runs it again), else the last one (nothing changes, nothing re-runs).
     */
    public static int nextAttempt(Optional<ConvergeRecord> last, String digest) {
        if (last.isEmpty()) {
            return 0;
        }
        return last.get().placementDigest().equals(digest) && !last.get().isConverged() ? last.get().attempt() + 1 : last.get().attempt();
    }

    /**
     * Why deleting the nodes {@code names} (planned names: the retiring nodes of a scale-in, or the
     * planned nodes whose replaced twins a roll retires) is not yet safe, or empty when this record
     * shows a converge that verified each of them out of the cluster.
     *
     * @param replaced          true for a roll's retired generation ({@link #replacing}), false for a scale-in ({@link #retiring})
     * @param publishedDigest   {@link #digestOf} the placement published now (the last deployment's, phase 1's): the
     *                          record must be about it, so the addresses it verified are those of the instances to delete
     */
    public Optional<String> missingForRemoval(Collection<String> names, boolean replaced, String publishedDigest) {
        String what = replaced ? "the replaced generation's twins of" : "the retiring nodes";
        if (!isConverged()) {
            return Optional.of("the last converge run (attempt " + attempt + ", " + status + (error == null ? "" : ": " + error)
                    + ") did not finish; run `pulumi up` without the drain flag so converge runs again, then retry");
        }
        if (!placementDigest.equals(publishedDigest)) {
            return Optional.of("the last converge record is about placement " + abbreviated(placementDigest) + ", not the one"
                    + " published now (" + abbreviated(publishedDigest) + "); run `pulumi up` without the drain flag first (phase 1)");
        }
        Map<String, String> listed = replaced ? replacing : retiring;
        List<String> notListed = names.stream().filter(n -> !listed.containsKey(n)).sorted().toList();
        if (!notListed.isEmpty()) {
            return Optional.of("the last converge did not work on a placement that retires " + what + " " + notListed
                    + ": run `pulumi up` without the drain flag first (phase 1), so converge moves the cluster off them");
        }
        List<String> stillKnown = names.stream().filter(n -> !forgotten.contains(listed.get(n))).sorted()
                .map(n -> n + " (" + listed.get(n) + ")").toList();
        if (!stillKnown.isEmpty()) {
            return Optional.of("converge did not verify " + what + " " + stillKnown + " out of the cluster");
        }
        return Optional.empty();
    }

    private static String abbreviated(String digest) {
        return digest.length() > 12 ? digest.substring(0, 12) : digest;
    }

    public String toJson() {
        try {
            return Json.MAPPER.writer().withoutFeatures(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a converge record always serialises", e);
        }
    }

    /** The record in {@code json}, or empty when it is not one (a parameter never written by converge). */
    public static Optional<ConvergeRecord> parse(String json) {
        try {
            ConvergeRecord r = Json.MAPPER.readValue(json, ConvergeRecord.class);
            return r.placementDigest() == null || r.status() == null ? Optional.empty() : Optional.of(r);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** SHA-256 of a placement's JSON text, in hex: what the component and converge compare. */
    public static String digestOf(String placementJson) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(placementJson.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
