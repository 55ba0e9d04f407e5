package io.redisha.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisha.topology.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupLocationTest {
    @Test
    void s3UriSplitsIntoBucketAndPrefix() {
        BackupLocation l = BackupLocation.parse("to", "s3://my-backups/prod/cache/");
        assertEquals(Optional.of("my-backups"), l.bucket());
        assertEquals("prod/cache", l.prefix());
        assertEquals("s3://my-backups/prod/cache/20261207T031725Z", l.child("20261207T031725Z"));
        assertEquals("s3://my-backups/x", BackupLocation.parse("to", "s3://my-backups").child("x"));
    }

    @Test
    void aFolderIsAnAbsolutePath() {
        BackupLocation l = BackupLocation.parse("to", "backups");
        assertTrue(l.folder().orElseThrow().isAbsolute());
        assertTrue(l.child("b1").endsWith("backups/b1"));
    }

    @Test
    void anotherStorageSchemeIsRefusedInsteadOfBecomingAFolder() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackupLocation.parse("to", "gs://bucket/prefix"));
        org.junit.jupiter.api.Assertions.assertEquals(
                "to=gs://bucket/prefix is not valid: a folder or s3://bucket/prefix (no other storage scheme is supported)", e.getMessage());
    }

    @Test
    void aBadBucketNameIsRefusedNamingTheOption() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BackupLocation.parse("to", "s3://My_Bucket/x"));
        assertTrue(e.getMessage().contains("to") && e.getMessage().contains("s3://My_Bucket/x") && e.getMessage().contains("bucket name"),
                e.getMessage());
    }

    @Test
    void rdbFormatsByRelease() {
        assertEquals(10, RdbVersions.readable("7.0.15"));
        assertEquals(11, RdbVersions.readable("7.2.4"));
        assertEquals(12, RdbVersions.readable("7.4.2"));
        assertEquals(12, RdbVersions.readable("8.2.1"));
        assertEquals(9, RdbVersions.readable("6.2.14"));
    }
}
