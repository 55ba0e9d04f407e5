package io.redisha.components;

import java.util.List;

/**
 * The AWS services a node calls, each of which needs a VPC endpoint in the component's own VPC
 * (private subnets, no NAT, no internet). One list, used to declare the endpoints; a test derives
 * the services from the rendered user data and SSM documents and compares.
 */
public final class NodeEndpoints {
    /**
     * Interface endpoints: the SSM agent (ssm, ssmmessages, ec2messages: the converge association
     * and Session Manager), the AUTH password and placement parameters (ssm), the metrics timer's
     * PutMetricData (monitoring = CloudWatch), and the watchdog's DescribeInstances and
     * DescribeInstanceStatus (ec2: without it every call from a private subnet times out, and the
     * watchdog could never learn that an instance is stopped or terminated).
     */
    public static final List<String> INTERFACE = List.of("ssm", "ssmmessages", "ec2messages", "monitoring", "ec2");

    /** Gateway endpoint: the bootstrap jar the converge document and the metrics timer fetch with {@code aws s3 cp}. */
    public static final String GATEWAY = "s3";

    private NodeEndpoints() {
    }
}
