package io.redisha.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a backup holds, written last (a backup without its manifest is incomplete and is never
 * restored). Each shard's snapshot is consistent in itself; the shards were taken at about the same
 * time but not at one point in time across shards ({@link #CONSISTENCY}).
 *
 * @param startedAt  UTC, ISO-8601, when the first shard's snapshot was asked for
 * @param finishedAt UTC, ISO-8601, when the last one was complete
 */
public record BackupManifest(int format, String clusterId, String backupId, String startedAt, String finishedAt,
                             String redisVersion, String consistency, List<Shard> shards) {
    public static final int FORMAT = 1;
    public static final String FILE = "manifest.json";
    public static final String CONSISTENCY = "each shard is one consistent snapshot; shards were taken in parallel,"
            + " not at one point in time across shards (a multi-key write across shards may be in one shard and not the other)";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BackupManifest {
        shards = List.copyOf(shards);
    }

    /**
     * One shard's snapshot.
     *
     * @param slots             slot ranges the shard owned while its snapshot was taken ({@code 0-5460})
     * @param sourceRole        {@code replica}, or {@code master} when no healthy replica existed and the user allowed it
     * @param replicationOffset the source's replication offset the snapshot stands for (PSYNC's FULLRESYNC answer)
     * @param redisVersion      the Redis version that wrote the snapshot (the RDB's redis-ver field)
     * @param keys              keys in the snapshot, from the RDB's own header; -1 when the header did not say
     * @param volatileKeys      of those, keys with a TTL; -1 when unknown
     */
    public record Shard(int index, List<String> slots, String masterId, String sourceId, String sourceAddress, String sourceRole,
                        String replicationId, long replicationOffset, String redisVersion, int rdbVersion, String object, long bytes,
                        long keys, long volatileKeys, String sha256) {
        public Shard {
            slots = List.copyOf(slots);
        }
    }

    public long keys() {
        return shards.stream().mapToLong(s -> Math.max(0, s.keys())).sum();
    }

    public long bytes() {
        return shards.stream().mapToLong(Shard::bytes).sum();
    }

    public int maxRdbVersion() {
        return shards.stream().mapToInt(Shard::rdbVersion).max().orElse(0);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with the text */
    public static BackupManifest fromJson(byte[] json, String where) {
        BackupManifest m;
        try {
            m = JSON.readValue(json, BackupManifest.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(where + " is not a redis-ha backup manifest: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (m.format() != FORMAT) {
            throw new IllegalArgumentException(where + " has manifest format " + m.format() + "; this redis-ha reads format " + FORMAT);
        }
        if (m.shards().isEmpty()) {
            throw new IllegalArgumentException(where + " lists no shards");
        }
        return m;
    }
}
