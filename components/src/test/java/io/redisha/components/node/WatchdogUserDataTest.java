package io.redisha.components.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class WatchdogUserDataTest {
    private static final MetricsTimer.Spec PLAIN = new MetricsTimer.Spec("prod", "bucket-1", "redis-ha/prod/redis-ha.jar",
            "/redis-ha/prod/placement", "/redis-ha/prod/auth", false);

    @Test
    void writesTheUnitsEnvironmentAndEnablesTheBakedUnit() {
        String ud = WatchdogUserData.userData(PLAIN);
        assertTrue(ud.contains("> /etc/redis-ha/watchdog.env\n"), ud);
        assertTrue(ud.contains("'/opt/redis-ha/metrics/redis-ha.jar' '/redis-ha/prod/auth' ''"), "jar, password parameter, no TLS: " + ud);
        assertTrue(ud.contains("aws s3 cp 's3://bucket-1/redis-ha/prod/redis-ha.jar' /opt/redis-ha/metrics/redis-ha.jar.tmp"), ud);
        assertTrue(ud.endsWith("systemctl enable --now redis-ha-watchdog.service\n"), ud);
        assertFalse(ud.contains("requirepass"), "the password stays in SSM");
    }

    @Test
    void passesTheTlsOptionsWhenTheClusterUsesTls() {
        MetricsTimer.Spec tls = new MetricsTimer.Spec("prod", "b", "k", "/p", "/a", true);
        assertTrue(WatchdogUserData.userData(tls).contains("'" + ConvergeDocument.TLS_OPTIONS + "' > /etc/redis-ha/watchdog.env"));
    }

    @Test
    void policyGrantsOnlyTheTwoReadOnlyEc2Calls() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(WatchdogUserData.POLICY);
        assertEquals(1, doc.get("Statement").size());
        JsonNode actions = doc.get("Statement").get(0).get("Action");
        assertEquals("[\"ec2:DescribeInstances\",\"ec2:DescribeInstanceStatus\"]", actions.toString());
        assertEquals("Allow", doc.get("Statement").get(0).get("Effect").asText());
    }
}
