package io.redisha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The AWS services a backup command line calls: what a node in a VPC without internet needs endpoints for. */
class BackupServicesTest {
    @Test
    void s3ForAnS3DestinationOrSourceAndCloudWatchForPublish() {
        assertEquals(Set.of("s3", "monitoring"), RedisHaCli.awsServicesCalled(List.of("backup", "10.0.1.5:6379", "--to", "s3://b/p", "--publish", "RedisHA")));
        assertEquals(Set.of(), RedisHaCli.awsServicesCalled(List.of("backup", "10.0.1.5:6379", "--to", "/var/backups")));
        assertEquals(Set.of("s3"), RedisHaCli.awsServicesCalled(List.of("restore", "s3://b/p/20261207T031725Z", "--into", "10.0.2.9:6379")));
        assertEquals(Set.of("s3"), RedisHaCli.awsServicesCalled(List.of("backup", "verify", "s3://b/p/20261207T031725Z")));
        assertEquals(Set.of("ssm", "s3"), RedisHaCli.awsServicesCalled(List.of("backup", "10.0.1.5:6379", "--to", "s3://b/p", "--password-ssm", "/x/auth")));
    }
}
