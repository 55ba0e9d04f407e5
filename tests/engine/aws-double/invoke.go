package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// invoke answers the data-source functions the component, the node image and the stacks call, with
// results shaped like pulumi-aws's. Any other function is refused by name, so a test sees what is missing.
func invoke(tok string, args resource.PropertyMap, region string, cloud *cloud) (resource.PropertyMap, error) {
	str := func(key string) string {
		if v := plainValue(args[resource.PropertyKey(key)]); v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	switch tok {
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		letters := "abc"
		if region == "us-east-1" {
			letters = "abcdef" // us-east-1 has six zones
		}
		var names, ids []string
		for _, l := range letters {
			zone := region + string(l)
			names, ids = append(names, zone), append(ids, zoneID(zone))
		}
		out := resource.PropertyMap{"id": resource.NewStringProperty(region), "names": strings2(names...),
			"zoneIds": strings2(ids...), "groupNames": strings2(region), "state": resource.NewStringProperty(str("state"))}
		return withArgs(out, args, "filters", "allAvailabilityZones", "excludeNames", "excludeZoneIds"), nil
	case "aws:index/getRegion:getRegion":
		return resource.PropertyMap{"id": resource.NewStringProperty(region), "name": resource.NewStringProperty(region),
			"endpoint":    resource.NewStringProperty("ec2." + region + ".amazonaws.com"),
			"description": resource.NewStringProperty(regionDescription(region))}, nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.PropertyMap{"id": resource.NewStringProperty(account), "accountId": resource.NewStringProperty(account),
			"arn":    resource.NewStringProperty("arn:aws:iam::" + account + ":user/aws-double"),
			"userId": resource.NewStringProperty("AIDAAWSDOUBLE00000001")}, nil
	case "aws:index/getPartition:getPartition":
		return resource.PropertyMap{"id": resource.NewStringProperty("aws"), "partition": resource.NewStringProperty("aws"),
			"dnsSuffix": resource.NewStringProperty("amazonaws.com"), "reverseDnsPrefix": resource.NewStringProperty("com.amazonaws")}, nil
	case "aws:ec2/getAmi:getAmi":
		id := "ami-0a1b2c3d4e5f60718"
		return withArgs(resource.PropertyMap{"id": resource.NewStringProperty(id), "imageId": resource.NewStringProperty(id),
			"architecture": resource.NewStringProperty("x86_64"), "name": resource.NewStringProperty("al2023-ami-2023.6-kernel-6.1-x86_64"),
			"ownerId": resource.NewStringProperty("137112412989"), "rootDeviceName": resource.NewStringProperty("/dev/xvda"),
			"virtualizationType": resource.NewStringProperty("hvm")}, args, "owners", "filters", "mostRecent"), nil
	case "aws:ssm/getParameter:getParameter":
		name := str("name")
		value := "double-value-of-" + name
		if strings.Contains(name, "/ami") {
			value = "ami-0a1b2c3d4e5f60718"
		}
		if cloud != nil {
			stored, ok := cloud.parameter(name)
			if !ok && !strings.Contains(name, "/ami") {
				return nil, fmt.Errorf("ParameterNotFound: SSM parameter %s does not exist (aws double)", name)
			}
			if ok {
				value = stored
			}
		}
		return resource.PropertyMap{"id": resource.NewStringProperty(name), "name": resource.NewStringProperty(name),
			"arn":  resource.NewStringProperty("arn:aws:ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(name, "/")),
			"type": resource.NewStringProperty("String"), "version": resource.NewNumberProperty(1),
			"value": resource.MakeSecret(resource.NewStringProperty(value)), "insecureValue": resource.NewStringProperty(value)}, nil
	}
	if tok == "aws:ssm/getParametersByPath:getParametersByPath" {
		// AWS answers an empty list for a path that holds nothing; so does the double without a cloud folder
		var names, values []string
		if cloud != nil {
			names, values = cloud.parametersByPath(str("path"), plainValue(args["recursive"]).IsBool() && plainValue(args["recursive"]).BoolValue())
		}
		arns, types := []string{}, []string{}
		for _, n := range names {
			arns = append(arns, "arn:aws:ssm:"+region+":"+account+":parameter/"+strings.TrimPrefix(n, "/"))
			types = append(types, "String")
		}
		return withArgs(resource.PropertyMap{"id": resource.NewStringProperty(str("path")), "path": resource.NewStringProperty(str("path")),
			"names": strings2(names...), "values": resource.MakeSecret(strings2(values...)), "arns": strings2(arns...),
			"types": strings2(types...)}, args, "recursive", "withDecryption"), nil
	}
	return nil, fmt.Errorf("the aws double does not model the function %s: add it to tests/engine/aws-double/invoke.go", tok)
}

// withArgs echoes the named arguments, as pulumi-aws returns them with the result.
func withArgs(out resource.PropertyMap, args resource.PropertyMap, keys ...string) resource.PropertyMap {
	for _, k := range keys {
		if v, ok := args[resource.PropertyKey(k)]; ok {
			out[resource.PropertyKey(k)] = v
		}
	}
	return out
}

func regionDescription(region string) string {
	names := map[string]string{"us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
		"us-west-2": "US West (Oregon)", "eu-west-1": "Europe (Ireland)", "eu-central-1": "Europe (Frankfurt)"}
	if n, ok := names[region]; ok {
		return n
	}
	return region
}
