package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

const instanceType = "aws:ec2/instance:Instance"

func str(s string) resource.PropertyValue { return resource.NewStringProperty(s) }
func secret(s string) resource.PropertyValue {
	return resource.MakeSecret(resource.NewStringProperty(s))
}
func unknown() resource.PropertyValue                   { return resource.MakeComputed(resource.NewStringProperty("")) }
func obj(m resource.PropertyMap) resource.PropertyValue { return resource.NewObjectProperty(m) }

func urnOf(typ, name string) resource.URN {
	return resource.NewURN("dev", "redis-ha", "", tokens.Type(typ), name)
}

// node: an instance's inputs as the component declares them, with one change applied.
func node(change func(resource.PropertyMap)) resource.PropertyMap {
	m := resource.PropertyMap{
		"ami":          str("ami-0123456789abcdef0"),
		"instanceType": str("t3.medium"),
		"subnetId":     str("subnet-0a2a00001400000aa"),
		"userData":     str("#!/bin/sh\necho node-0-0\n"),
		"rootBlockDevice": obj(resource.PropertyMap{"volumeSize": resource.NewNumberProperty(20),
			"encrypted": resource.NewBoolProperty(true)}),
		"ebsBlockDevices": resource.NewArrayProperty([]resource.PropertyValue{obj(resource.PropertyMap{
			"deviceName": str("/dev/sdf"), "volumeSize": resource.NewNumberProperty(50)})}),
		"tags": obj(resource.PropertyMap{"Name": str("dev-node-0-0"), "Secretish": secret("x")}),
	}
	if change != nil {
		change(m)
	}
	return m
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name     string
		typ      string
		olds     resource.PropertyMap
		news     resource.PropertyMap
		changes  plugin.DiffChanges
		replaces []string
	}{
		{"same inputs, nested and secret", instanceType, node(nil), node(nil), plugin.DiffNone, nil},
		{"only the secret marker differs", instanceType, node(nil),
			node(func(m resource.PropertyMap) { m["ami"] = secret("ami-0123456789abcdef0") }), plugin.DiffNone, nil},
		{"absent equals null", instanceType, node(nil),
			node(func(m resource.PropertyMap) { m["keyName"] = resource.NewNullProperty() }), plugin.DiffNone, nil},
		{"ami forces replacement", instanceType, node(nil),
			node(func(m resource.PropertyMap) { m["ami"] = str("ami-0fedcba9876543210") }), plugin.DiffSome, []string{"ami"}},
		{"an unknown subnet forces replacement", instanceType, node(nil),
			node(func(m resource.PropertyMap) { m["subnetId"] = unknown() }), plugin.DiffSome, []string{"subnetId"}},
		{"instanceType changes in place", instanceType, node(nil),
			node(func(m resource.PropertyMap) { m["instanceType"] = str("r6i.xlarge") }), plugin.DiffSome, nil},
		{"userData changes in place", instanceType, node(nil),
			node(func(m resource.PropertyMap) { m["userData"] = str("#!/bin/sh\necho changed\n") }), plugin.DiffSome, nil},
		{"userData replaces when userDataReplaceOnChange", instanceType,
			node(func(m resource.PropertyMap) { m["userDataReplaceOnChange"] = resource.NewBoolProperty(true) }),
			node(func(m resource.PropertyMap) {
				m["userDataReplaceOnChange"] = resource.NewBoolProperty(true)
				m["userData"] = str("#!/bin/sh\necho changed\n")
			}), plugin.DiffSome, []string{"userData"}},
		{"root volume size changes in place", instanceType, node(nil), node(func(m resource.PropertyMap) {
			m["rootBlockDevice"] = obj(resource.PropertyMap{"volumeSize": resource.NewNumberProperty(40),
				"encrypted": resource.NewBoolProperty(true)})
		}), plugin.DiffSome, nil},
		{"root volume encryption forces replacement", instanceType, node(nil), node(func(m resource.PropertyMap) {
			m["rootBlockDevice"] = obj(resource.PropertyMap{"volumeSize": resource.NewNumberProperty(20),
				"encrypted": resource.NewBoolProperty(false)})
		}), plugin.DiffSome, []string{"rootBlockDevice.encrypted"}},
		{"a data volume size forces replacement", instanceType, node(nil), node(func(m resource.PropertyMap) {
			m["ebsBlockDevices"] = resource.NewArrayProperty([]resource.PropertyValue{obj(resource.PropertyMap{
				"deviceName": str("/dev/sdf"), "volumeSize": resource.NewNumberProperty(100)})})
		}), plugin.DiffSome, []string{"ebsBlockDevices"}},
		{"subnet CIDR forces replacement", "aws:ec2/subnet:Subnet",
			resource.PropertyMap{"cidrBlock": str("10.42.0.0/20"), "vpcId": str("vpc-1")},
			resource.PropertyMap{"cidrBlock": str("10.42.16.0/20"), "vpcId": str("vpc-1")}, plugin.DiffSome, []string{"cidrBlock"}},
		{"security group description forces replacement", "aws:ec2/securityGroup:SecurityGroup",
			resource.PropertyMap{"description": str("a"), "name": str("sg-x")},
			resource.PropertyMap{"description": str("b"), "name": str("sg-x")}, plugin.DiffSome, []string{"description"}},
		{"association targets change in place", "aws:ssm/association:Association",
			resource.PropertyMap{"name": str("doc"), "parameters": obj(resource.PropertyMap{"placementDigest": str("1")})},
			resource.PropertyMap{"name": str("doc"), "parameters": obj(resource.PropertyMap{"placementDigest": str("2")})},
			plugin.DiffSome, nil},
		{"bucket versioning status changes in place", "aws:s3/bucketVersioningV2:BucketVersioningV2",
			resource.PropertyMap{"bucket": str("b"), "versioningConfiguration": obj(resource.PropertyMap{"status": str("Enabled")})},
			resource.PropertyMap{"bucket": str("b"), "versioningConfiguration": obj(resource.PropertyMap{"status": str("Suspended")})},
			plugin.DiffSome, nil},
		{"bucket versioning of another bucket replaces", "aws:s3/bucketVersioningV2:BucketVersioningV2",
			resource.PropertyMap{"bucket": str("b")}, resource.PropertyMap{"bucket": str("c")}, plugin.DiffSome, []string{"bucket"}},
		{"lifecycle rules change in place", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
			resource.PropertyMap{"bucket": str("b"), "rules": resource.NewArrayProperty([]resource.PropertyValue{obj(resource.PropertyMap{
				"expiration": obj(resource.PropertyMap{"days": resource.NewNumberProperty(7)})})})},
			resource.PropertyMap{"bucket": str("b"), "rules": resource.NewArrayProperty([]resource.PropertyValue{obj(resource.PropertyMap{
				"expiration": obj(resource.PropertyMap{"days": resource.NewNumberProperty(14)})})})},
			plugin.DiffSome, nil},
		{"a lifecycle of another bucket replaces", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
			resource.PropertyMap{"bucket": str("b")}, resource.PropertyMap{"bucket": str("c")}, plugin.DiffSome, []string{"bucket"}},
		{"kms key rotation and description change in place", "aws:kms/key:Key",
			resource.PropertyMap{"description": str("a"), "enableKeyRotation": resource.NewBoolProperty(false)},
			resource.PropertyMap{"description": str("b"), "enableKeyRotation": resource.NewBoolProperty(true)}, plugin.DiffSome, nil},
		{"kms key usage replaces", "aws:kms/key:Key",
			resource.PropertyMap{"keyUsage": str("ENCRYPT_DECRYPT")}, resource.PropertyMap{"keyUsage": str("SIGN_VERIFY")},
			plugin.DiffSome, []string{"keyUsage"}},
		{"association schedule changes in place", "aws:ssm/association:Association",
			resource.PropertyMap{"name": str("doc"), "scheduleExpression": str("rate(1 day)")},
			resource.PropertyMap{"name": str("doc"), "scheduleExpression": str("cron(0 3 * * ? *)")}, plugin.DiffSome, nil},
		{"a type outside the table never replaces", "aws:sns/topic:Topic",
			resource.PropertyMap{"name": str("a")}, resource.PropertyMap{"name": str("b")}, plugin.DiffSome, nil},
	}
	d := newDouble(nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := d.Diff(context.Background(), plugin.DiffRequest{URN: urnOf(c.typ, "r"), Type: tokens.Type(c.typ),
				OldInputs: c.olds, OldOutputs: c.olds, NewInputs: c.news})
			if err != nil {
				t.Fatal(err)
			}
			if got.Changes != c.changes {
				t.Errorf("changes = %v, want %v", got.Changes, c.changes)
			}
			if replaces := keyStrings(got.ReplaceKeys); !reflect.DeepEqual(replaces, append([]string{}, c.replaces...)) {
				t.Errorf("replaces = %v, want %v", replaces, c.replaces)
			}
		})
	}
}

// The engine's no-op up depends on DIFF_NONE reaching it over gRPC, not only on the Go value.
func TestDiffOverTheWire(t *testing.T) {
	server := plugin.NewProviderServer(newDouble(nil))
	marshal := func(m resource.PropertyMap) *structpb.Struct {
		s, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepSecrets: true, KeepUnknowns: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	urn := string(urnOf(instanceType, "dev-node-0-0"))
	for _, c := range []struct {
		news     resource.PropertyMap
		want     pulumirpc.DiffResponse_DiffChanges
		replaces []string
	}{
		{node(nil), pulumirpc.DiffResponse_DIFF_NONE, nil},
		{node(func(m resource.PropertyMap) { m["ami"] = str("ami-new") }), pulumirpc.DiffResponse_DIFF_SOME, []string{"ami"}},
	} {
		resp, err := server.Diff(context.Background(), &pulumirpc.DiffRequest{Urn: urn, Id: "i-1", Type: instanceType,
			Name: "dev-node-0-0", OldInputs: marshal(node(nil)), Olds: marshal(node(nil)), News: marshal(c.news)})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Changes != c.want || strings.Join(resp.Replaces, ",") != strings.Join(c.replaces, ",") {
			t.Errorf("got %v %v, want %v %v", resp.Changes, resp.Replaces, c.want, c.replaces)
		}
	}
}

func TestPreviewCreateLeavesComputedOutputsUnknown(t *testing.T) {
	d := newDouble(nil)
	cases := []struct {
		typ     string
		inputs  resource.PropertyMap
		unknown []string
		known   []string
	}{
		{instanceType, node(nil), []string{"arn", "privateIp", "privateDns", "primaryNetworkInterfaceId", "availabilityZone"},
			[]string{"ami", "tags", "tagsAll"}},
		{"aws:ec2/vpcEndpoint:VpcEndpoint", resource.PropertyMap{"vpcEndpointType": str("Interface")},
			[]string{"prefixListId", "arn"}, []string{"vpcEndpointType"}},
		{"aws:ssm/parameter:Parameter", resource.PropertyMap{"name": str("/redis-ha/dev/auth"), "value": secret("pw")},
			[]string{"arn", "version"}, []string{"name", "value"}},
	}
	for _, c := range cases {
		resp, err := d.Create(context.Background(), plugin.CreateRequest{URN: urnOf(c.typ, "r"), Name: "r",
			Type: tokens.Type(c.typ), Properties: c.inputs, Preview: true})
		if err != nil {
			t.Fatal(err)
		}
		if resp.ID != "" {
			t.Errorf("%s: preview id = %q, want empty (unknown)", c.typ, resp.ID)
		}
		for _, k := range c.unknown {
			if !resp.Properties[resource.PropertyKey(k)].IsComputed() {
				t.Errorf("%s: %s = %v, want unknown", c.typ, k, resp.Properties[resource.PropertyKey(k)])
			}
		}
		for _, k := range c.known {
			if v := resp.Properties[resource.PropertyKey(k)]; v.IsComputed() || v.IsNull() {
				t.Errorf("%s: %s = %v, want the known input", c.typ, k, v)
			}
		}
	}
}

func create(t *testing.T, d *double, typ, name string, inputs resource.PropertyMap) plugin.CreateResponse {
	t.Helper()
	resp, err := d.Create(context.Background(), plugin.CreateRequest{URN: urnOf(typ, name), Name: name,
		Type: tokens.Type(typ), Properties: inputs})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestCreateGivesTheOutputsTheComponentReads(t *testing.T) {
	d := newDouble(nil)
	subnet := create(t, d, "aws:ec2/subnet:Subnet", "dev-subnet-1", resource.PropertyMap{
		"cidrBlock": str("10.42.16.0/20"), "availabilityZone": str("us-east-1b")})
	if !strings.HasPrefix(string(subnet.ID), "subnet-") || len(subnet.ID) != len("subnet-")+17 {
		t.Errorf("subnet id %q is not shaped like subnet-<17 hex>", subnet.ID)
	}
	if z := subnet.Properties["availabilityZoneId"].StringValue(); z != "use1-az2" {
		t.Errorf("availabilityZoneId = %s", z)
	}
	ips := map[string]string{}
	for _, name := range []string{"dev-node-0-0", "dev-node-0-1", "dev-node-1-0", "dev-node-2-1"} {
		inst := create(t, d, instanceType, name, node(func(m resource.PropertyMap) { m["subnetId"] = str(string(subnet.ID)) }))
		ip := inst.Properties["privateIp"].StringValue()
		_, network, _ := net.ParseCIDR("10.42.16.0/20")
		if !network.Contains(net.ParseIP(ip)) {
			t.Errorf("%s: privateIp %s is outside the subnet 10.42.16.0/20", name, ip)
		}
		if other, dup := ips[ip]; dup {
			t.Errorf("%s and %s share the address %s", name, other, ip)
		}
		ips[ip] = name
		if !strings.HasPrefix(inst.Properties["arn"].StringValue(), "arn:aws:ec2:us-east-1:123456789012:instance/i-") {
			t.Errorf("instance arn = %s", inst.Properties["arn"].StringValue())
		}
	}

	iface := create(t, d, "aws:ec2/vpcEndpoint:VpcEndpoint", "dev-ssm-endpoint", resource.PropertyMap{"vpcEndpointType": str("Interface")})
	if _, has := iface.Properties["prefixListId"]; has {
		t.Errorf("an Interface endpoint has a prefixListId: %v", iface.Properties["prefixListId"])
	}
	gateway := create(t, d, "aws:ec2/vpcEndpoint:VpcEndpoint", "dev-s3-endpoint", resource.PropertyMap{"vpcEndpointType": str("Gateway")})
	if pl := gateway.Properties["prefixListId"]; !pl.IsString() || !strings.HasPrefix(pl.StringValue(), "pl-") {
		t.Errorf("a Gateway endpoint's prefixListId = %v", pl)
	}

	param := create(t, d, "aws:ssm/parameter:Parameter", "dev-auth", resource.PropertyMap{
		"name": str("/redis-ha/dev/auth"), "type": str("SecureString"), "value": secret("pw")})
	if arn := param.Properties["arn"].StringValue(); arn != "arn:aws:ssm:us-east-1:123456789012:parameter/redis-ha/dev/auth" {
		t.Errorf("parameter arn = %s", arn)
	}
	if !param.Properties["value"].IsSecret() {
		t.Errorf("the parameter value lost its secret marker")
	}
	plain := create(t, d, "aws:ssm/parameter:Parameter", "dev-placement", resource.PropertyMap{
		"name": str("/redis-ha/dev/placement"), "type": str("String"), "value": str("{}")})
	if !plain.Properties["value"].IsSecret() {
		t.Errorf("pulumi-aws marks a parameter's value output secret; the double did not")
	}

	image := create(t, d, "aws:imagebuilder/image:Image", "dev-image", resource.PropertyMap{})
	amis := image.Properties["outputResources"].ArrayValue()[0].ObjectValue()["amis"].ArrayValue()
	if r := amis[0].ObjectValue()["region"].StringValue(); r != "us-east-1" {
		t.Errorf("image AMI region = %s", r)
	}

	key := create(t, d, "aws:kms/key:Key", "prod-backups-key", resource.PropertyMap{"enableKeyRotation": resource.NewBoolProperty(true)})
	if arn := key.Properties["arn"].StringValue(); arn != "arn:aws:kms:us-east-1:123456789012:key/"+string(key.ID) ||
		key.Properties["keyId"].StringValue() != string(key.ID) {
		t.Errorf("kms key arn = %s, keyId = %v, id = %s", arn, key.Properties["keyId"], key.ID)
	}

	generic := create(t, d, "aws:sns/topic:Topic", "alarms", resource.PropertyMap{"name": str("alarms")})
	if generic.ID == "" || generic.Properties["name"].StringValue() != "alarms" {
		t.Errorf("a generic type should echo its inputs with an id: %v %v", generic.ID, generic.Properties)
	}
}

func TestCreateIdsAreStableAndChangeWithReplacingInputs(t *testing.T) {
	d := newDouble(nil)
	a := create(t, d, instanceType, "dev-node-0-0", node(nil))
	b := create(t, d, instanceType, "dev-node-0-0", node(nil))
	c := create(t, d, instanceType, "dev-node-0-0", node(func(m resource.PropertyMap) { m["ami"] = str("ami-new") }))
	if a.ID != b.ID || a.ID == c.ID {
		t.Errorf("ids %s %s %s: want the first two equal and the third new", a.ID, b.ID, c.ID)
	}
}

func TestUpdateKeepsAssignedOutputsAndRecomputesDependents(t *testing.T) {
	d := newDouble(nil)
	olds := resource.PropertyMap{"name": str("/redis-ha/dev/placement"), "type": str("String"), "value": str("{\"a\":1}")}
	created := create(t, d, "aws:ssm/parameter:Parameter", "dev-placement", olds)
	news := olds.Copy()
	news["value"] = str("{\"a\":2}")
	for _, preview := range []bool{true, false} {
		resp, err := d.Update(context.Background(), plugin.UpdateRequest{URN: urnOf("aws:ssm/parameter:Parameter", "dev-placement"),
			Type: "aws:ssm/parameter:Parameter", ID: created.ID, OldInputs: olds, OldOutputs: created.Properties,
			NewInputs: news, Preview: preview})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Properties["arn"].StringValue() != created.Properties["arn"].StringValue() {
			t.Errorf("preview=%v: the arn changed on an in-place update", preview)
		}
		version := resp.Properties["version"]
		if preview && !version.IsComputed() {
			t.Errorf("preview: version = %v, want unknown", version)
		}
		if !preview && (!version.IsNumber() || version.NumberValue() != 2) {
			t.Errorf("update: version = %v, want 2", version)
		}
	}
}

func TestCheckAutonamesLikePulumiAws(t *testing.T) {
	d := newDouble(nil)
	typ := "aws:iam/role:Role"
	check := func(olds, news resource.PropertyMap, seed string) string {
		resp, err := d.Check(context.Background(), plugin.CheckRequest{URN: urnOf(typ, "dev-node-role"), Name: "dev-node-role",
			Type: tokens.Type(typ), Olds: olds, News: news, RandomSeed: []byte(seed)})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Properties["name"].StringValue()
	}
	first := check(nil, resource.PropertyMap{}, "seed-1")
	if !strings.HasPrefix(first, "dev-node-role-") || len(first) != len("dev-node-role-")+7 {
		t.Errorf("autoname = %q", first)
	}
	if again := check(resource.PropertyMap{"name": str(first)}, resource.PropertyMap{}, "seed-2"); again != first {
		t.Errorf("a later run renamed the role: %s -> %s", first, again)
	}
	if given := check(nil, resource.PropertyMap{"name": str("mine")}, "seed-1"); given != "mine" {
		t.Errorf("a given name was replaced by %s", given)
	}
}

func TestInvoke(t *testing.T) {
	cases := []struct {
		region string
		tok    string
		key    string
		want   any
	}{
		{"us-east-1", "aws:index/getAvailabilityZones:getAvailabilityZones", "names",
			[]any{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"}},
		{"eu-west-1", "aws:index/getAvailabilityZones:getAvailabilityZones", "names", []any{"eu-west-1a", "eu-west-1b", "eu-west-1c"}},
		{"eu-west-1", "aws:index/getRegion:getRegion", "name", "eu-west-1"},
		{"us-east-1", "aws:index/getCallerIdentity:getCallerIdentity", "accountId", "123456789012"},
		{"us-east-1", "aws:index/getPartition:getPartition", "partition", "aws"},
	}
	for _, c := range cases {
		d := newDouble(nil)
		if _, err := d.Configure(context.Background(), plugin.ConfigureRequest{Inputs: resource.PropertyMap{"region": str(c.region)}}); err != nil {
			t.Fatal(err)
		}
		resp, err := d.Invoke(context.Background(), plugin.InvokeRequest{Tok: tokens.ModuleMember(c.tok), Args: resource.PropertyMap{}})
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Properties[resource.PropertyKey(c.key)].Mappable(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s in %s: %s = %v, want %v", c.tok, c.region, c.key, got, c.want)
		}
	}
	if _, err := newDouble(nil).Invoke(context.Background(), plugin.InvokeRequest{Tok: "aws:rds/getEngineVersion:getEngineVersion"}); err == nil ||
		!strings.Contains(err.Error(), "aws:rds/getEngineVersion:getEngineVersion") {
		t.Errorf("an unmodelled function should be refused by name, got %v", err)
	}
}

func TestCallLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.jsonl")
	t.Setenv(logEnv, path)
	d := newDouble(callLogFromEnv())
	create(t, d, instanceType, "dev-node-0-0", node(nil))
	if _, err := d.Diff(context.Background(), plugin.DiffRequest{URN: urnOf(instanceType, "dev-node-0-0"), Type: instanceType,
		OldInputs: node(nil), NewInputs: node(func(m resource.PropertyMap) { m["ami"] = str("ami-new") })}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Delete(context.Background(), plugin.DeleteRequest{URN: urnOf(instanceType, "dev-node-0-0"), Type: instanceType}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []entry
	for s := bufio.NewScanner(f); s.Scan(); {
		var e entry
		if err := json.Unmarshal(s.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", s.Text(), err)
		}
		got = append(got, e)
	}
	ops := []string{}
	for _, e := range got {
		ops = append(ops, e.Op)
	}
	if !reflect.DeepEqual(ops, []string{"create", "diff", "delete"}) || !reflect.DeepEqual(got[1].Replaces, []string{"ami"}) {
		t.Errorf("log = %+v", got)
	}
}

func TestSchemaServesThePolicyTypes(t *testing.T) {
	var schema struct {
		Name      string                     `json:"name"`
		Version   string                     `json:"version"`
		Resources map[string]json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(packageSchema(), &schema); err != nil {
		t.Fatal(err)
	}
	if schema.Name != "aws" || schema.Version != version {
		t.Errorf("schema %s %s", schema.Name, schema.Version)
	}
	for _, typ := range []string{"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", instanceType, "aws:ec2/securityGroup:SecurityGroup",
		"aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
		"aws:elasticache/replicationGroup:ReplicationGroup", "aws:memorydb/cluster:Cluster"} {
		if _, ok := schema.Resources[typ]; !ok {
			t.Errorf("schema lacks %s", typ)
		}
	}
}

// Every kind's create outputs are among its declared computed outputs (else a preview would miss them).
func TestMadeOutputsAreDeclaredComputed(t *testing.T) {
	for typ, k := range kinds {
		c := newCreation(urnOf(typ, "r"), "r", resource.PropertyMap{"name": str("r"), "vpcEndpointType": str("Gateway")}, "us-east-1")
		_, out := k.made(c)
		declared := map[string]bool{}
		for _, n := range k.computed {
			declared[n] = true
		}
		for key := range out {
			if _, input := c.inputs[key]; !input && !declared[string(key)] {
				t.Errorf("%s: output %s is made but not declared computed", typ, key)
			}
		}
	}
}
