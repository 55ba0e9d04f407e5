package io.redisha.backup;

import io.redisha.topology.InvalidInputException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** A place for backups as a user types it: a folder, or {@code s3://bucket/prefix}. */
public record BackupLocation(Optional<Path> folder, Optional<String> bucket, String prefix) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Any URI scheme: only s3:// is a store; anything else would silently become a local folder named after it. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    /**
     * @param option the CLI option or argument it came from, named in the error
     * @throws InvalidInputException when an {@code s3://} location has no valid bucket name
     */
    public static BackupLocation parse(String option, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(option, String.valueOf(text), "a folder or s3://bucket/prefix");
        }
        if (!text.startsWith("s3://") && SCHEME.matcher(text).matches()) {
            throw new InvalidInputException(option, text, "a folder or s3://bucket/prefix (no other storage scheme is supported)");
        }
        if (!text.startsWith("s3://")) {
            return new BackupLocation(Optional.of(Path.of(text).toAbsolutePath().normalize()), Optional.empty(), "");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new InvalidInputException(option, text, "s3://BUCKET/prefix with a bucket name of 3-63 lower-case letters, digits, dots and hyphens");
        }
        return new BackupLocation(Optional.empty(), Optional.of(bucket), prefix);
    }

    public boolean isS3() {
        return bucket.isPresent();
    }

    /** The location one folder down, as a user types it. */
    public String child(String name) {
        return folder.map(f -> f.resolve(name).toString())
                .orElseGet(() -> "s3://" + bucket.get() + "/" + (prefix.isEmpty() ? "" : prefix + "/") + name);
    }

    @Override
    public String toString() {
        return folder.map(Path::toString).orElseGet(() -> "s3://" + bucket.get() + (prefix.isEmpty() ? "" : "/" + prefix));
    }
}
