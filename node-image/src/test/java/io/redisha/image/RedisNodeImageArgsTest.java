package io.redisha.image;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisNodeImageArgsTest {

    private static RedisNodeImageArgs.Builder valid() {
        return RedisNodeImageArgs.builder().regions("us-east-1");
    }

    @Test
    void defaultsAreValid() {
        var args = valid().build();
        assertEquals(List.of(), args.problems("prod"));
        assertEquals(RedisNodeImageArgs.DEFAULT_PARENT_IMAGE, args.parentImage());
        assertTrue(args.rebuildSchedule().isEmpty());
        assertEquals("aws", args.partition());
    }

    @Test
    void acceptsEveryParentImageForm() {
        for (String parent : List.of("ami-0123456789abcdef0",
                "ssm:/aws/service/debian/release/12/latest/amd64",
                "arn:aws:imagebuilder:us-east-1:aws:image/ubuntu-server-24-lts-x86/x.x.x")) {
            assertEquals(List.of(), valid().parentImage(parent).build().problems("prod"), parent);
        }
    }

    @Test
    void eachBadInputNamesItselfItsValueAndWhatIsValid() {
        Map<RedisNodeImageArgs, String> cases = Map.of(
                valid().version("v1").build(), "version='v1' is not a semantic version; use MAJOR.MINOR.PATCH",
                RedisNodeImageArgs.builder().build(), "regions=[] is empty",
                valid().regions("us-east-1", "mars-1").build(), "regions contains 'mars-1'",
                valid().regions("us-east-1", "us-east-1").build(), "lists a region twice",
                valid().instanceTypes(List.of()).build(), "instanceTypes=[] is empty",
                valid().instanceTypes(List.of("large")).build(), "instanceTypes contains 'large'",
                valid().rebuildSchedule("cron(0 3 * * *)").build(), "rebuildSchedule='cron(0 3 * * *)' is not an Image Builder cron expression with six fields",
                valid().imageTestsTimeoutMinutes(5).build(), "imageTestsTimeoutMinutes=5 is out of range; Image Builder accepts 60 to 1440",
                valid().tags(Map.of("redis-ha:tunings", "x")).build(), "the redis-ha: prefix is reserved");
        cases.forEach((args, message) -> {
            var e = assertThrows(IllegalArgumentException.class, () -> args.validate("prod"));
            assertTrue(e.getMessage().startsWith("RedisNodeImage 'prod': "), e.getMessage());
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    @Test
    void engineAndVersionPickANamedSourceOrAreRefused() {
        assertEquals(ServerSource.UBUNTU_ARCHIVE, valid().build().serverSource(), "default: Ubuntu's redis 7.0");
        assertEquals(ServerSource.REDIS_APT, valid().engineVersion("8.2").build().validate("prod").serverSource());
        assertEquals(ServerSource.VALKEY_RELEASE, valid().engine("valkey").engineVersion("8.1.4").build().validate("prod").serverSource());
        Map<RedisNodeImageArgs, String> refused = Map.of(
                valid().engine("memcached").build(), "engine=memcached is not valid: redis or valkey",
                valid().engineVersion("latest").build(), "engineVersion=latest is not valid: a version like 7.0.15 or 8.1",
                valid().engineVersion("6.2").build(), "runs redis 6.2.0; redis-ha supports redis >= 7.0, valkey >= 7.2",
                valid().engineVersion("7.0.1").build(), "engineVersion='7.0.1' is not valid for engine=redis: the 7.0 line comes from",
                valid().engine("valkey").engineVersion("8.1").build(), "engineVersion='8.1' is not valid for engine=valkey: give the exact release");
        refused.forEach((args, message) -> {
            var e = assertThrows(IllegalArgumentException.class, () -> args.validate("prod"));
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    @Test
    void badComponentNameIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> valid().build().validate("Prod_Image"));
        assertTrue(e.getMessage().contains("name='Prod_Image' is not valid"), e.getMessage());
    }

    @Test
    void partitionFollowsTheHomeRegion() {
        assertEquals("aws-cn", valid().regions("cn-north-1").build().partition());
        assertEquals("aws-us-gov", valid().regions("us-gov-west-1").build().partition());
    }

    @Test
    void arm64BuildsFromTheArm64ParentOnGravitonAndRefusesMismatches() {
        var arm = valid().architecture("arm64").build().validate("prod");
        assertEquals(RedisNodeImageArgs.ARM64_PARENT_IMAGE, arm.parentImage());
        assertEquals(java.util.List.of("t4g.medium"), arm.instanceTypes());
        var mixed = assertThrows(IllegalArgumentException.class, () -> valid().architecture("arm64").instanceTypes(java.util.List.of("t3.medium"))
                .parentImage(RedisNodeImageArgs.DEFAULT_PARENT_IMAGE).build().validate("prod"));
        assertTrue(mixed.getMessage().contains("instanceTypes contains 't3.medium', an x86_64 type"), mixed.getMessage());
        assertTrue(mixed.getMessage().contains("is for amd64, but architecture is arm64"), mixed.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> valid().architecture("sparc").build().validate("prod"));
        assertTrue(bad.getMessage().contains("architecture='sparc' is not valid; use x86_64 or arm64"), bad.getMessage());
    }
}
