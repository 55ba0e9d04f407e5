package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
)

const associationType = "aws:ssm/association:Association"

func association(attempt string) resource.PropertyMap {
	return resource.PropertyMap{"name": str("dev-converge"), "parameters": obj(resource.PropertyMap{
		"planParameter": str("/redis-ha/dev/placement"), "recordParameter": str("/redis-ha/dev/converge/state"),
		"placementDigest": str("d"), "attempt": str(attempt)})}
}

func record(t *testing.T, c *cloud) map[string]any {
	t.Helper()
	v, ok := c.parameter("/redis-ha/dev/converge/state")
	if !ok {
		t.Fatal("no converge record")
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestConvergeRunsRecordLikeConvergeAndFailAsAskedWithAnInitError(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("REDIS_HA_AWS_DOUBLE_CLOUD", dir)
	d := newDouble(nil)
	placement := `{"plan":{},"addresses":{"node-0-0":"10.0.1.20:6379"},"replacing":{"node-0-0":"10.0.1.10:6379"}}`
	create(t, d, "aws:ssm/parameter:Parameter", "dev-placement", resource.PropertyMap{
		"name": str("/redis-ha/dev/placement"), "value": str(placement)})

	// one failing run: the create reports an init error, and the record says failed at attempt 0
	if err := os.WriteFile(filepath.Join(dir, "converge-failures"), []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := d.Create(context.Background(), plugin.CreateRequest{URN: urnOf(associationType, "dev-converge-association"),
		Name: "dev-converge-association", Type: tokens.Type(associationType), Properties: association("0")})
	if err == nil || len(rpcerror.Convert(err).Details()) != 1 {
		t.Fatalf("a failed run is an init error with the resource's state: %v", err)
	}
	if r := record(t, d.cloud); r["status"] != "failed" || r["attempt"] != float64(0) {
		t.Errorf("record after the failed run: %v", r)
	}

	// the same inputs again start nothing; a new attempt runs, and converges with the old node forgotten
	if _, err := d.Update(context.Background(), plugin.UpdateRequest{URN: urnOf(associationType, "a"), Type: tokens.Type(associationType),
		OldInputs: association("0"), NewInputs: association("0"), OldOutputs: association("0")}); err != nil {
		t.Fatal(err)
	}
	if r := record(t, d.cloud); r["status"] != "failed" {
		t.Errorf("an update without a change ran converge: %v", r)
	}
	if _, err := d.Update(context.Background(), plugin.UpdateRequest{URN: urnOf(associationType, "a"), Type: tokens.Type(associationType),
		OldInputs: association("0"), NewInputs: association("1"), OldOutputs: association("0")}); err != nil {
		t.Fatal(err)
	}
	r := record(t, d.cloud)
	if r["status"] != "converged" || r["attempt"] != float64(1) || len(r["forgotten"].([]any)) != 1 || r["forgotten"].([]any)[0] != "10.0.1.10:6379" {
		t.Errorf("record after the second attempt: %v", r)
	}

	// a deployment's update of the record parameter's other fields keeps what the node wrote
	if err := d.cloud.parameterWritten(resource.PropertyMap{"name": str("/redis-ha/dev/converge/state"), "value": str("{}")},
		resource.PropertyMap{"name": str("/redis-ha/dev/converge/state"), "value": str("{}"), "description": str("new")}); err != nil {
		t.Fatal(err)
	}
	if record(t, d.cloud)["status"] != "converged" {
		t.Error("the node's record was overwritten")
	}

	// a stack imported from elsewhere: the state's value is what AWS holds, unless AWS already holds one
	d.cloud.adoptParameter(resource.PropertyMap{"name": str("/redis-ha/imported/placement"), "value": secret("{\"plan\":{}}")})
	if v, ok := d.cloud.parameter("/redis-ha/imported/placement"); !ok || v != "{\"plan\":{}}" {
		t.Errorf("adopted parameter: %q %v", v, ok)
	}
	d.cloud.adoptParameter(resource.PropertyMap{"name": str("/redis-ha/dev/converge/state"), "value": str("{}")})
	if record(t, d.cloud)["status"] != "converged" {
		t.Error("adopting overwrote what the node wrote")
	}

	// read back by path, as the component does
	out, err := invoke("aws:ssm/getParametersByPath:getParametersByPath", resource.PropertyMap{"path": str("/redis-ha/dev/converge/")}, "us-east-1", d.cloud)
	if err != nil || len(out["names"].ArrayValue()) != 1 || out["names"].ArrayValue()[0].StringValue() != "/redis-ha/dev/converge/state" {
		t.Errorf("getParametersByPath: %v %v", out, err)
	}
	if out, _ := invoke("aws:ssm/getParametersByPath:getParametersByPath", resource.PropertyMap{"path": str("/redis-ha/other/")}, "us-east-1", d.cloud); len(out["names"].ArrayValue()) != 0 {
		t.Errorf("another path lists nothing: %v", out)
	}
}
