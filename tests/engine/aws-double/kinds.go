package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// kind is what the double knows of one pulumi-aws resource type.
type kind struct {
	// Property paths whose change replaces the resource. Source: the ForceNew flags of the matching
	// terraform-provider-aws resource schemas (internal/service/<svc>/<resource>.go), which pulumi-aws
	// 6.x bridges unchanged into its `replaces`. Paths into single-item blocks use dots
	// ("rootBlockDevice.encrypted"); a set of blocks whose every field is ForceNew is listed whole.
	replaceOnChange []string
	// A replaceOnChange list that applies only while the boolean input named by the key is true.
	replaceOnChangeIf map[string][]string
	// The input pulumi-aws fills with "<resource name>-<7 random hex>" when the program leaves it out.
	autoName string
	// Every output AWS assigns (unknown during a preview create), and the values after create.
	computed []string
	made     func(c creation) (resource.ID, resource.PropertyMap)
	// Computed outputs that a change of one of the listed inputs recomputes (unknown during a preview update).
	recomputedBy map[string][]string
	// Outputs the pulumi-aws schema marks secret.
	secretOutputs []string
	// Inputs declared in GetSchema so that YAML programs may set them; nil keeps the type out of the schema.
	schemaInputs []string
}

// withName: the name (and its prefix form) forces replacement wherever pulumi-aws autonames.
func withName(paths ...string) []string { return append([]string{"name", "namePrefix"}, paths...) }

var ec2Computed = []string{"id", "arn", "ownerId", "tagsAll"}

// kinds: the resource types the RedisCluster component, the node image and the policy-pack tests declare.
var kinds = map[string]kind{
	"aws:ec2/vpc:Vpc": {
		replaceOnChange: []string{"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
		computed:        append(ec2Computed, "mainRouteTableId", "defaultRouteTableId", "defaultSecurityGroupId", "defaultNetworkAclId", "dhcpOptionsId"),
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := "vpc-" + c.hex
			return c.ec2(id, "vpc", map[string]string{
				"mainRouteTableId": "rtb-" + c.hexOf("main"), "defaultRouteTableId": "rtb-" + c.hexOf("main"),
				"defaultSecurityGroupId": "sg-" + c.hexOf("default"), "defaultNetworkAclId": "acl-" + c.hexOf("acl"),
				"dhcpOptionsId": "dopt-" + c.hexOf("dopt")})
		},
		schemaInputs: []string{"cidrBlock", "enableDnsHostnames", "enableDnsSupport", "instanceTenancy", "tags"},
	},
	"aws:ec2/subnet:Subnet": {
		replaceOnChange: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn", "ipv6Native"},
		computed:        append(ec2Computed, "availabilityZoneId"),
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := subnetID(c.str("cidrBlock"), c.hex)
			return c.ec2(id, "subnet", map[string]string{"availabilityZoneId": zoneID(c.str("availabilityZone"))})
		},
		schemaInputs: []string{"vpcId", "cidrBlock", "availabilityZone", "mapPublicIpOnLaunch", "tags"},
	},
	"aws:ec2/routeTable:RouteTable": {
		replaceOnChange: []string{"vpcId"},
		computed:        ec2Computed,
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return c.ec2("rtb-"+c.hex, "route-table", nil)
		},
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		replaceOnChange: []string{"subnetId", "gatewayId"}, // routeTableId is replaced in place
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID("rtbassoc-" + c.hex), c.outputs(nil)
		},
	},
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		replaceOnChange: []string{"vpcId", "serviceName", "vpcEndpointType", "serviceRegion"},
		computed:        append(ec2Computed, "state", "prefixListId", "cidrBlocks", "networkInterfaceIds", "dnsEntries", "requesterManaged"),
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := "vpce-" + c.hex
			_, out := c.ec2(id, "vpc-endpoint", map[string]string{"state": "available"})
			out["requesterManaged"] = resource.NewBoolProperty(false)
			if strings.EqualFold(c.str("vpcEndpointType"), "Gateway") {
				// Only a gateway endpoint has a prefix list; an interface endpoint has none (the real
				// provider leaves prefixListId out, which once crashed the component: issue 9).
				out["prefixListId"] = resource.NewStringProperty("pl-" + c.hexOf("pl")[:8])
				out["cidrBlocks"] = strings2("52.216.0.0/15", "3.5.0.0/19")
			} else {
				out["networkInterfaceIds"] = strings2("eni-"+c.hexOf("eni-a"), "eni-"+c.hexOf("eni-b"))
				out["dnsEntries"] = resource.NewArrayProperty([]resource.PropertyValue{resource.NewObjectProperty(resource.PropertyMap{
					"dnsName":      resource.NewStringProperty(id + "." + c.str("serviceName") + ".vpce.amazonaws.com"),
					"hostedZoneId": resource.NewStringProperty("Z7HUB22UULQXV")})})
			}
			return resource.ID(id), out
		},
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		replaceOnChange: withName("description", "vpcId"),
		autoName:        "name",
		computed:        ec2Computed,
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return c.ec2("sg-"+c.hex, "security-group", nil)
		},
		schemaInputs: []string{"name", "namePrefix", "description", "vpcId", "ingress", "egress", "revokeRulesOnDelete", "tags"},
	},
	"aws:ec2/securityGroupRule:SecurityGroupRule": {
		replaceOnChange: []string{"type", "fromPort", "toPort", "protocol", "cidrBlocks", "ipv6CidrBlocks", "prefixListIds",
			"securityGroupId", "sourceSecurityGroupId", "self"}, // only description changes in place
		computed: []string{"id", "securityGroupRuleId"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID("sgrule-" + c.hexOf("rule")[:10]), c.outputs(map[string]string{"securityGroupRuleId": "sgr-" + c.hex})
		},
		schemaInputs: []string{"type", "fromPort", "toPort", "protocol", "cidrBlocks", "ipv6CidrBlocks", "prefixListIds",
			"securityGroupId", "sourceSecurityGroupId", "self", "description"},
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
		replaceOnChange: []string{"securityGroupId"}, // the framework resource modifies the rest in place
		computed:        []string{"id", "arn", "securityGroupRuleId", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := "sgr-" + c.hex
			return resource.ID(id), c.outputs(map[string]string{"arn": c.arn("ec2", "security-group-rule/"+id), "securityGroupRuleId": id})
		},
		schemaInputs: []string{"securityGroupId", "ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "prefixListId",
			"referencedSecurityGroupId", "description", "tags"},
	},
	"aws:ec2/instance:Instance": {
		replaceOnChange: []string{"ami", "associatePublicIpAddress", "availabilityZone", "subnetId", "privateIp", "keyName",
			"securityGroups", "tenancy", "placementGroup", "placementPartitionNumber", "ebsOptimized", "ebsBlockDevices",
			"ephemeralBlockDevices", "launchTemplate", "hibernation", "hostId", "ipv6AddressCount", "ipv6Addresses",
			"networkInterfaces", "privateDnsNameOptions", "cpuCoreCount", "cpuThreadsPerCore",
			"rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId"},
		// userData changes in place (stop, modify, start) unless userDataReplaceOnChange is set
		replaceOnChangeIf: map[string][]string{"userDataReplaceOnChange": {"userData", "userDataBase64"}},
		computed: append(ec2Computed, "privateIp", "privateDns", "primaryNetworkInterfaceId", "instanceState", "publicIp",
			"publicDns", "availabilityZone"),
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := "i-" + c.hex
			ip := c.str("privateIp")
			if ip == "" {
				ip = privateIP(c.str("subnetId"), c.name)
			}
			zone := c.str("availabilityZone")
			if zone == "" {
				zone = c.region + "a"
			}
			return c.ec2(id, "instance", map[string]string{
				"privateIp": ip, "privateDns": "ip-" + strings.ReplaceAll(ip, ".", "-") + ".ec2.internal",
				"primaryNetworkInterfaceId": "eni-" + c.hexOf("eni"), "instanceState": "running",
				"publicIp": "", "publicDns": "", "availabilityZone": zone})
		},
		schemaInputs: []string{"ami", "instanceType", "availabilityZone", "subnetId", "vpcSecurityGroupIds", "iamInstanceProfile",
			"associatePublicIpAddress", "metadataOptions", "rootBlockDevice", "ebsBlockDevices", "disableApiTermination",
			"userData", "userDataReplaceOnChange", "tags", "volumeTags"},
	},
	"aws:ebs/volume:Volume": {
		replaceOnChange: []string{"availabilityZone", "encrypted", "kmsKeyId", "snapshotId", "outpostArn"},
		computed:        []string{"id", "arn", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := "vol-" + c.hex
			return resource.ID(id), c.outputs(map[string]string{"arn": c.arn("ec2", "volume/"+id)})
		},
		schemaInputs: []string{"availabilityZone", "size", "type", "encrypted", "kmsKeyId", "snapshotId", "iops", "throughput", "tags"},
	},
	"aws:ssm/parameter:Parameter": {
		replaceOnChange: []string{"name", "dataType"},
		autoName:        "name",
		computed:        []string{"id", "arn", "version", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			name := c.str("name")
			out := c.outputs(map[string]string{"arn": c.arn("ssm", "parameter/"+strings.TrimPrefix(name, "/"))})
			out["version"] = resource.NewNumberProperty(1)
			return resource.ID(name), out
		},
		recomputedBy:  map[string][]string{"version": {"value", "insecureValue", "description"}},
		secretOutputs: []string{"value"},
		schemaInputs:  []string{"name", "type", "value", "insecureValue", "tier", "description", "keyId", "tags"},
	},
	"aws:ssm/document:Document": {
		replaceOnChange: []string{"name"}, // content, format and type change in place (a new document version)
		autoName:        "name",
		computed:        []string{"id", "arn", "status", "latestVersion", "defaultVersion", "documentVersion", "hash", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			name := c.str("name")
			return resource.ID(name), c.outputs(map[string]string{"arn": c.arn("ssm", "document/"+name), "status": "Active",
				"latestVersion": "1", "defaultVersion": "1", "documentVersion": "1", "hash": c.hexOf("hash")})
		},
		recomputedBy: map[string][]string{"latestVersion": {"content"}, "defaultVersion": {"content"},
			"documentVersion": {"content"}, "hash": {"content"}},
	},
	"aws:ssm/association:Association": {
		replaceOnChange: []string{"name", "instanceId"}, // targets and parameters change in place
		computed:        []string{"id", "arn", "associationId"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := uuidOf(c.hex + c.hexOf("uuid"))
			return resource.ID(id), c.outputs(map[string]string{"arn": c.arn("ssm", "association/"+id), "associationId": id})
		},
	},
	"aws:s3/bucketV2:BucketV2": {
		replaceOnChange: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		computed:        []string{"id", "arn", "bucket", "bucketDomainName", "bucketRegionalDomainName", "hostedZoneId", "region", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			bucket := c.str("bucket")
			if bucket == "" {
				prefix := c.str("bucketPrefix")
				if prefix == "" {
					prefix = "terraform-"
				}
				bucket = prefix + "2026" + c.longHexOf("bucket")[:22] // AWS-style: prefix + 26 characters
			}
			return resource.ID(bucket), c.outputs(map[string]string{"arn": "arn:aws:s3:::" + bucket, "bucket": bucket,
				"bucketDomainName": bucket + ".s3.amazonaws.com", "bucketRegionalDomainName": bucket + ".s3." + c.region + ".amazonaws.com",
				"hostedZoneId": "Z3AQBSTGFYJSTF", "region": c.region})
		},
		schemaInputs: []string{"bucket", "bucketPrefix", "forceDestroy", "tags"},
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		replaceOnChange: []string{"bucket"},
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("bucket")), c.outputs(nil)
		},
	},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {
		replaceOnChange: []string{"bucket", "expectedBucketOwner"},
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("bucket")), c.outputs(nil)
		},
	},
	"aws:s3/bucketVersioningV2:BucketVersioningV2": {
		// aws_s3_bucket_versioning: bucket and expected_bucket_owner are ForceNew; versioning_configuration and mfa change in place
		replaceOnChange: []string{"bucket", "expectedBucketOwner"},
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("bucket")), c.outputs(nil)
		},
	},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": {
		// aws_s3_bucket_lifecycle_configuration: bucket and expected_bucket_owner are ForceNew; the rules change in place
		replaceOnChange: []string{"bucket", "expectedBucketOwner"},
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("bucket")), c.outputs(nil)
		},
	},
	"aws:kms/key:Key": {
		// aws_kms_key: the key's kind is ForceNew (spec, usage, custom key store, multi-Region, XKS key); description,
		// policy, rotation, deletion window and enablement change in place
		replaceOnChange: []string{"customerMasterKeySpec", "keyUsage", "customKeyStoreId", "multiRegion", "xksKeyId"},
		computed:        []string{"id", "arn", "keyId", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := uuidOf(c.hex + c.hexOf("key"))
			return resource.ID(id), c.outputs(map[string]string{"arn": c.arn("kms", "key/"+id), "keyId": id})
		},
	},
	"aws:s3/bucketObjectv2:BucketObjectv2": {
		replaceOnChange: []string{"bucket", "key"}, // a new source is uploaded in place (new etag/versionId)
		computed:        []string{"id", "etag", "versionId", "contentType", "storageClass", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("key")), c.outputs(map[string]string{"etag": c.longHexOf("etag")[:32], "versionId": "",
				"contentType": "binary/octet-stream", "storageClass": "STANDARD"})
		},
		recomputedBy: map[string][]string{"etag": {"source", "content"}, "versionId": {"source", "content"}},
		schemaInputs: []string{"bucket", "key", "source", "content", "serverSideEncryption", "tags"},
	},
	"aws:iam/role:Role": {
		replaceOnChange: withName("path", "permissionsBoundary"),
		autoName:        "name",
		computed:        []string{"id", "arn", "uniqueId", "createDate", "tagsAll"},
		made:            iamNamed("role", "AROA"),
	},
	"aws:iam/rolePolicy:RolePolicy": {
		replaceOnChange: withName("role"),
		autoName:        "name",
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("role") + ":" + c.str("name")), c.outputs(nil)
		},
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		replaceOnChange: []string{"role", "policyArn"},
		computed:        []string{"id"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			return resource.ID(c.str("role") + "-" + c.hex), c.outputs(nil)
		},
	},
	"aws:iam/instanceProfile:InstanceProfile": {
		replaceOnChange: withName("path"),
		autoName:        "name",
		computed:        []string{"id", "arn", "uniqueId", "createDate", "tagsAll"},
		made:            iamNamed("instance-profile", "AIPA"),
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		replaceOnChange: []string{"name"}, // alarm_name
		autoName:        "name",
		computed:        []string{"id", "arn", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			name := c.str("name")
			return resource.ID(name), c.outputs(map[string]string{"arn": c.arn("cloudwatch", "alarm:"+name)})
		},
	},
	"aws:imagebuilder/component:Component": {
		replaceOnChange: withName("changeDescription", "data", "description", "kmsKeyId", "platform", "supportedOsVersions", "uri", "version"),
		autoName:        "name",
		computed:        []string{"id", "arn", "dateCreated", "encrypted", "owner", "type", "tagsAll"},
		made:            imageBuilder("component"),
	},
	"aws:imagebuilder/imageRecipe:ImageRecipe": {
		replaceOnChange: withName("blockDeviceMappings", "components", "description", "parentImage", "systemsManagerAgent",
			"userDataBase64", "version", "workingDirectory"),
		autoName: "name",
		computed: []string{"id", "arn", "dateCreated", "owner", "platform", "tagsAll"},
		made:     imageBuilder("image-recipe"),
	},
	"aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": {
		replaceOnChange: withName(),
		autoName:        "name",
		computed:        []string{"id", "arn", "dateCreated", "dateUpdated", "tagsAll"},
		made:            imageBuilder("infrastructure-configuration"),
	},
	"aws:imagebuilder/distributionConfiguration:DistributionConfiguration": {
		replaceOnChange: withName(),
		autoName:        "name",
		computed:        []string{"id", "arn", "dateCreated", "dateUpdated", "tagsAll"},
		made:            imageBuilder("distribution-configuration"),
	},
	"aws:imagebuilder/imagePipeline:ImagePipeline": {
		replaceOnChange: withName(),
		autoName:        "name",
		computed:        []string{"id", "arn", "dateCreated", "dateUpdated", "platform", "tagsAll"},
		made:            imageBuilder("image-pipeline"),
	},
	"aws:imagebuilder/image:Image": {
		replaceOnChange: []string{"containerRecipeArn", "distributionConfigurationArn", "enhancedImageMetadataEnabled",
			"executionRole", "imageRecipeArn", "imageScanningConfiguration", "imageTestsConfiguration",
			"infrastructureConfigurationArn", "workflows"}, // only tags change in place
		computed: []string{"id", "arn", "dateCreated", "name", "osVersion", "outputResources", "platform", "version", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id, out := imageBuilder("image")(c)
			ami := resource.NewObjectProperty(resource.PropertyMap{
				"accountId": resource.NewStringProperty(account), "region": resource.NewStringProperty(c.region),
				"image": resource.NewStringProperty("ami-" + c.hexOf("ami")), "name": resource.NewStringProperty(c.name + "-ami"),
				"description": resource.NewStringProperty("built by the aws double")})
			out["outputResources"] = resource.NewArrayProperty([]resource.PropertyValue{resource.NewObjectProperty(resource.PropertyMap{
				"amis": resource.NewArrayProperty([]resource.PropertyValue{ami}), "containers": resource.NewArrayProperty(nil)})})
			return id, out
		},
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		replaceOnChange: []string{"replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port", "subnetGroupName",
			"preferredCacheClusterAzs", "snapshotArns", "snapshotName", "dataTieringEnabled", "globalReplicationGroupId"},
		computed: []string{"id", "arn", "primaryEndpointAddress", "readerEndpointAddress", "configurationEndpointAddress", "memberClusters", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			id := c.str("replicationGroupId")
			host := id + "." + c.hex[:6] + ".ng.0001.use1.cache.amazonaws.com"
			return resource.ID(id), c.outputs(map[string]string{"arn": c.arn("elasticache", "replicationgroup:"+id),
				"primaryEndpointAddress": "master." + host, "readerEndpointAddress": "replica." + host,
				"configurationEndpointAddress": "clustercfg." + host})
		},
		schemaInputs: []string{"replicationGroupId", "description", "engine", "engineVersion", "nodeType", "numNodeGroups",
			"replicasPerNodeGroup", "numCacheClusters", "automaticFailoverEnabled", "multiAzEnabled", "atRestEncryptionEnabled",
			"transitEncryptionEnabled", "authToken", "port", "subnetGroupName", "securityGroupIds", "preferredCacheClusterAzs",
			"parameterGroupName", "snapshotRetentionLimit", "tags"},
	},
	"aws:memorydb/cluster:Cluster": {
		replaceOnChange: withName("port", "subnetGroupName", "tlsEnabled", "kmsKeyArn", "dataTiering", "snapshotArns", "snapshotName"),
		autoName:        "name",
		computed:        []string{"id", "arn", "clusterEndpoints", "enginePatchVersion", "shards", "tagsAll"},
		made: func(c creation) (resource.ID, resource.PropertyMap) {
			name := c.str("name")
			return resource.ID(name), c.outputs(map[string]string{"arn": c.arn("memorydb", "cluster/"+name), "enginePatchVersion": "7.1.2"})
		},
		schemaInputs: []string{"name", "namePrefix", "nodeType", "numShards", "numReplicasPerShard", "aclName", "engine",
			"engineVersion", "tlsEnabled", "port", "subnetGroupName", "securityGroupIds", "parameterGroupName",
			"snapshotRetentionLimit", "kmsKeyArn", "tags"},
	},
}

// iamNamed: an IAM entity whose id is its name, with a global arn and a unique id of the given prefix.
func iamNamed(arnType, uniquePrefix string) func(c creation) (resource.ID, resource.PropertyMap) {
	return func(c creation) (resource.ID, resource.PropertyMap) {
		name := c.str("name")
		return resource.ID(name), c.outputs(map[string]string{"arn": c.globalArn("iam", arnType+"/"+name),
			"uniqueId": uniquePrefix + strings.ToUpper(c.hex), "createDate": "2026-01-01T00:00:00Z"})
	}
}

func imageBuilder(resourceType string) func(c creation) (resource.ID, resource.PropertyMap) {
	return func(c creation) (resource.ID, resource.PropertyMap) {
		name := c.str("name")
		if name == "" {
			name = c.name
		}
		arn := c.arn("imagebuilder", resourceType+"/"+strings.ToLower(name))
		if version := c.str("version"); version != "" {
			arn += "/" + version
		}
		if resourceType == "component" || resourceType == "image" {
			arn += "/1"
		}
		out := c.outputs(map[string]string{"arn": arn, "dateCreated": "2026-01-01T00:00:00.000Z"})
		if resourceType == "component" || resourceType == "image-recipe" {
			out["owner"] = resource.NewStringProperty(account)
		}
		if resourceType == "image" {
			out["name"] = resource.NewStringProperty(name)
		}
		return resource.ID(arn), out
	}
}

// subnetID keeps the subnet's CIDR in its id (8 hex digits of the network, 2 of the prefix length, 7 of
// the id's hash), so that an instance created in a later run still gets an address inside it.
func subnetID(cidr string, hex string) string {
	var a, b, c, d, bits int
	if _, err := fmt.Sscanf(cidr, "%d.%d.%d.%d/%d", &a, &b, &c, &d, &bits); err != nil {
		return "subnet-" + hex
	}
	return fmt.Sprintf("subnet-%02x%02x%02x%02x%02x%s", a, b, c, d, bits, hex[:7])
}

// privateIP is an address inside the subnet named by subnetID. Resource names ending in "-<shard>-<replica>"
// (the component's "<cluster>-node-1-0") get distinct addresses; any other name gets one from its hash.
func privateIP(subnet string, name string) string {
	network, bits := uint32(10<<24), 16
	var a, b, c, d, n int
	if _, err := fmt.Sscanf(strings.TrimPrefix(subnet, "subnet-"), "%02x%02x%02x%02x%02x", &a, &b, &c, &d, &n); err == nil && n >= 16 && n <= 28 {
		network, bits = uint32(a<<24|b<<16|c<<8|d), n
	}
	size := uint32(1) << (32 - bits)
	var host uint32
	var shard, replica int
	parts := strings.Split(name, "-")
	if len(parts) >= 3 {
		if _, err := fmt.Sscanf(parts[len(parts)-2]+" "+parts[len(parts)-1], "%d %d", &shard, &replica); err == nil {
			host = 10 + uint32(shard)*8 + uint32(replica)
		}
	}
	if host == 0 || host >= size-1 {
		host = 4 + fnv32(name)%(size-5) // AWS reserves the first four addresses and the last
	}
	ip := network + host
	return fmt.Sprintf("%d.%d.%d.%d", ip>>24, ip>>16&255, ip>>8&255, ip&255)
}

// zoneID maps us-east-1a to use1-az1 and so on (the real mapping differs per account).
func zoneID(zone string) string {
	if len(zone) < 2 {
		return ""
	}
	region := zone[:len(zone)-1]
	short := strings.Split(region, "-")
	if len(short) != 3 {
		return ""
	}
	return fmt.Sprintf("%s%c%s-az%d", short[0], short[1][0], short[2], int(zone[len(zone)-1]-'a')+1)
}

func strings2(values ...string) resource.PropertyValue {
	out := make([]resource.PropertyValue, len(values))
	for i, v := range values {
		out[i] = resource.NewStringProperty(v)
	}
	return resource.NewArrayProperty(out)
}

func uuidOf(hex string) string {
	for len(hex) < 32 {
		hex += hex
	}
	return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:32]
}
