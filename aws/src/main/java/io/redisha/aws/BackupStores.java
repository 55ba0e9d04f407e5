package io.redisha.aws;

import io.redisha.backup.BackupLocation;
import io.redisha.backup.FolderStore;
import io.redisha.backup.ObjectStore;
import java.util.Optional;

/**
 * Opens a {@link BackupLocation}: a folder, or S3 through {@link S3Objects}. It lives beside the S3
 * store so that the backup module never depends on AWS (this module depends on it, one way).
 */
public final class BackupStores {
    private BackupStores() {
    }

    /**
     * Opens the store; S3 from the default region and credentials chain ({@code AWS_ENDPOINT_URL} honoured).
     *
     * @param kmsKey SSE-KMS key for the objects written (S3 only); empty for the bucket's default encryption
     */
    public static ObjectStore open(BackupLocation location, Optional<String> kmsKey) {
        if (location.folder().isPresent()) {
            return new FolderStore(location.folder().get());
        }
        return S3Objects.fromEnvironment(location.bucket().get(), location.prefix(), kmsKey);
    }
}
