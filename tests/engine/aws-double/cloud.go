package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil/rpcerror"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
)

// cloud is what AWS would remember between engine runs, kept in the folder REDIS_HA_AWS_DOUBLE_CLOUD names
// (without it, nil: the double keeps nothing, as before): SSM parameter values as AWS holds them (what a node
// wrote included, whatever the engine's state says), and the converge runs the converge association starts
// on node-0-0. The double stands in for that node: a run reads the placement parameter and records, as
// `redis-ha converge --record-ssm` does, a converged run that verified every retiring and replaced node out
// of the cluster; or a failed one while the folder's `converge-failures` file counts down.
type cloud struct{ dir string }

func openCloud() *cloud {
	dir := os.Getenv("REDIS_HA_AWS_DOUBLE_CLOUD")
	if dir == "" {
		return nil
	}
	return &cloud{dir: dir}
}

func (c *cloud) parameterFile(name string) string {
	return filepath.Join(c.dir, "ssm", url.PathEscape(name))
}

func (c *cloud) putParameter(name, value string) error {
	if err := os.MkdirAll(filepath.Join(c.dir, "ssm"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(c.parameterFile(name), []byte(value), 0o644)
}

func (c *cloud) parameter(name string) (string, bool) {
	b, err := os.ReadFile(c.parameterFile(name))
	return string(b), err == nil
}

// parametersByPath lists the parameters directly under path (recursive: at any depth), sorted by name.
func (c *cloud) parametersByPath(path string, recursive bool) (names, values []string) {
	entries, _ := os.ReadDir(filepath.Join(c.dir, "ssm"))
	prefix := strings.TrimSuffix(path, "/") + "/"
	for _, e := range entries {
		name, err := url.PathUnescape(e.Name())
		if err != nil || !strings.HasPrefix(name, prefix) || (!recursive && strings.Contains(name[len(prefix):], "/")) {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	for _, n := range names {
		v, _ := c.parameter(n)
		values = append(values, v)
	}
	return names, values
}

// parameterWritten keeps a Parameter's value when a create sets it or an update changes it (an update of
// other fields leaves what a node wrote, as terraform-provider-aws sends the value only when it changed).
func (c *cloud) parameterWritten(olds, news resource.PropertyMap) error {
	name, value := plainValue(news["name"]), plainValue(news["value"])
	if c == nil || !name.IsString() || !value.IsString() {
		return nil
	}
	if olds != nil && plainValue(olds["value"]).DeepEquals(value) {
		return nil
	}
	return c.putParameter(name.StringValue(), value.StringValue())
}

// adoptParameter keeps the value a parameter has in the engine's state when the folder has none for it
// (a stack whose state was imported, not created through this double): AWS holds it.
func (c *cloud) adoptParameter(state resource.PropertyMap) {
	name, value := plainValue(state["name"]), plainValue(state["value"])
	if c == nil || !name.IsString() || !value.IsString() {
		return
	}
	if _, known := c.parameter(name.StringValue()); !known {
		_ = c.putParameter(name.StringValue(), value.StringValue())
	}
}

// convergeRun is what the association starts on the node when it is created, or updated with other inputs
// (an update that changes nothing starts nothing: a failed run is re-run only by new parameters). It returns
// an error when the run fails, as waitForSuccessTimeoutSeconds does.
func (c *cloud) convergeRun(log *callLog, urn string, olds, news resource.PropertyMap) error {
	if c == nil || (olds != nil && plainValues(olds).DeepEquals(plainValues(news))) {
		return nil
	}
	params := plainValue(news["parameters"])
	if !params.IsObject() {
		return nil
	}
	get := func(key string) string {
		if v := params.ObjectValue()[resource.PropertyKey(key)]; v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	recordName, plan := get("recordParameter"), get("planParameter")
	if recordName == "" {
		return nil // a document without a record (not redis-ha's converge)
	}
	placement, ok := c.parameter(plan)
	if !ok {
		return fmt.Errorf("converge on the node: SSM parameter %s does not exist", plan)
	}
	var parsed struct {
		Retiring  map[string]string `json:"retiring"`
		Replacing map[string]string `json:"replacing"`
	}
	if err := json.Unmarshal([]byte(placement), &parsed); err != nil {
		return fmt.Errorf("converge on the node: %s is not a placement: %v", plan, err)
	}
	sum := sha256.Sum256([]byte(placement))
	attempt, _ := strconv.Atoi(get("attempt"))
	record := map[string]any{"placementDigest": hex.EncodeToString(sum[:]), "attempt": attempt,
		"retiring": parsed.Retiring, "replacing": parsed.Replacing}
	failed := c.takeFailure()
	if failed {
		record["status"], record["error"] = "failed", "converge failed (the double's converge-failures)"
	} else {
		forgotten := []string{}
		for _, group := range []map[string]string{parsed.Retiring, parsed.Replacing} {
			for _, address := range group {
				forgotten = append(forgotten, address)
			}
		}
		sort.Strings(forgotten)
		record["status"], record["forgotten"] = "converged", forgotten
	}
	text, _ := json.Marshal(record)
	if err := c.putParameter(recordName, string(text)); err != nil {
		return err
	}
	log.record(entry{Op: "run", Type: "aws:ssm/association:Association", URN: urn, Changes: []string{"attempt=" + strconv.Itoa(attempt),
		record["status"].(string)}})
	if failed {
		return fmt.Errorf("association run failed: converge on the node exited 1 (attempt %d)", attempt)
	}
	return nil
}

// takeFailure counts down the folder's converge-failures file: true while runs are to fail.
func (c *cloud) takeFailure() bool {
	file := filepath.Join(c.dir, "converge-failures")
	b, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n <= 0 {
		return false
	}
	_ = os.WriteFile(file, []byte(strconv.Itoa(n-1)), 0o644)
	return true
}

// initFailed is how a bridged provider reports a resource that exists but did not become ready (an
// association whose run failed): the engine keeps its new state, marked with the error.
func initFailed(id resource.ID, props resource.PropertyMap, err error) error {
	state, merr := plugin.MarshalProperties(props, plugin.MarshalOptions{KeepSecrets: true, KeepUnknowns: true})
	if merr != nil {
		return err
	}
	return rpcerror.WithDetails(rpcerror.New(codes.Unknown, err.Error()),
		&pulumirpc.ErrorResourceInitFailed{Id: string(id), Properties: state, Reasons: []string{err.Error()}})
}
