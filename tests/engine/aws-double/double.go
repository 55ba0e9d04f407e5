package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
)

const (
	// version is that of the com.pulumi:aws jar the component is built with: its children ask for it.
	version = "6.83.0"
	account = "123456789012"
)

// double is the AWS provider test double: no AWS call is made; state lives only in the engine's state.
type double struct {
	plugin.UnimplementedProvider
	log   *callLog
	cloud *cloud

	mu     sync.Mutex
	region string
}

func newDouble(log *callLog) *double {
	return &double{log: log, cloud: openCloud(), region: defaultRegion()}
}

func defaultRegion() string {
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := os.Getenv(env); r != "" {
			return r
		}
	}
	return "us-east-1"
}

func (d *double) currentRegion() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.region
}

func (d *double) GetPluginInfo(context.Context) (plugin.PluginInfo, error) {
	v := semver.MustParse(version)
	return plugin.PluginInfo{Version: &v}, nil
}

func (d *double) GetSchema(context.Context, plugin.GetSchemaRequest) (plugin.GetSchemaResponse, error) {
	return plugin.GetSchemaResponse{Schema: packageSchema()}, nil
}

func (d *double) CheckConfig(_ context.Context, req plugin.CheckConfigRequest) (plugin.CheckConfigResponse, error) {
	return plugin.CheckConfigResponse{Properties: req.News}, nil
}

func (d *double) DiffConfig(_ context.Context, req plugin.DiffConfigRequest) (plugin.DiffConfigResponse, error) {
	if changed := plainValues(req.OldInputs).Diff(plainValues(req.NewInputs)); changed != nil {
		return plugin.DiffResult{Changes: plugin.DiffSome, ChangedKeys: changed.ChangedKeys()}, nil
	}
	return plugin.DiffResult{Changes: plugin.DiffNone}, nil
}

func (d *double) Configure(_ context.Context, req plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
	if r := plainValues(req.Inputs)["region"]; r.IsString() && r.StringValue() != "" {
		d.mu.Lock()
		d.region = r.StringValue()
		d.mu.Unlock()
	}
	return plugin.ConfigureResponse{}, nil
}

// Check echoes the inputs (secrets stay secrets) and, like pulumi-aws, fills an autonamed name: the old
// one when there is one, else the engine's proposal or "<name>-<7 hex>" from the engine's random seed.
func (d *double) Check(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
	news := req.News.Copy()
	if k, ok := kinds[string(req.Type)]; ok && k.autoName != "" {
		key := resource.PropertyKey(k.autoName)
		_, given := news[key]
		_, prefixed := news[key+"Prefix"]
		if !given && !prefixed {
			if old, had := req.Olds[key]; had {
				news[key] = old
			} else {
				news[key] = resource.NewStringProperty(autoName(req))
			}
		}
	}
	return plugin.CheckResponse{Properties: news}, nil
}

func autoName(req plugin.CheckRequest) string {
	if req.Autonaming != nil && req.Autonaming.ProposedName != "" {
		return req.Autonaming.ProposedName
	}
	seed := sha256.Sum256(append([]byte(req.URN), req.RandomSeed...))
	return req.Name + "-" + hex.EncodeToString(seed[:])[:7]
}

// Diff compares the old and new inputs as pulumi-aws does: secretness alone is no change, an unknown new
// value is a change, and a change at a replaceOnChange path is a replacement.
func (d *double) Diff(_ context.Context, req plugin.DiffRequest) (plugin.DiffResponse, error) {
	if string(req.Type) == "aws:ssm/parameter:Parameter" {
		d.cloud.adoptParameter(req.OldOutputs) // a stack imported from elsewhere: AWS holds what its state says
	}
	result := diffInputs(string(req.Type), req.OldInputs, req.NewInputs)
	d.log.record(entry{Op: "diff", Type: string(req.Type), URN: string(req.URN), Replaces: keyStrings(result.ReplaceKeys),
		Changes: keyStrings(result.ChangedKeys)})
	return result, nil
}

func diffInputs(typ string, olds, news resource.PropertyMap) plugin.DiffResult {
	oldPlain, newPlain := plainValues(olds), plainValues(news)
	changed := oldPlain.Diff(newPlain)
	if changed == nil {
		return plugin.DiffResult{Changes: plugin.DiffNone}
	}
	result := plugin.DiffResult{Changes: plugin.DiffSome, ChangedKeys: changed.ChangedKeys()}
	k := kinds[typ]
	paths := append([]string{}, k.replaceOnChange...)
	for flag, extra := range k.replaceOnChangeIf {
		if v := newPlain[resource.PropertyKey(flag)]; v.IsBool() && v.BoolValue() {
			paths = append(paths, extra...)
		}
	}
	for _, path := range paths {
		if !valueAt(oldPlain, path).DeepEquals(valueAt(newPlain, path)) {
			result.ReplaceKeys = append(result.ReplaceKeys, resource.PropertyKey(path))
		}
	}
	sort.Slice(result.ReplaceKeys, func(i, j int) bool { return result.ReplaceKeys[i] < result.ReplaceKeys[j] })
	return result
}

// valueAt reads a dotted path; a missing or null value reads as null, so that absent == null.
func valueAt(props resource.PropertyMap, path string) resource.PropertyValue {
	v := resource.NewObjectProperty(props)
	for _, part := range strings.Split(path, ".") {
		if !v.IsObject() {
			return resource.NewNullProperty()
		}
		next, ok := v.ObjectValue()[resource.PropertyKey(part)]
		if !ok {
			return resource.NewNullProperty()
		}
		v = next
	}
	return v
}

// plainValues drops secret markers (the provider compares values, as Terraform does) and keeps unknowns.
func plainValues(props resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range props {
		out[k] = plainValue(v)
	}
	return out
}

func plainValue(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return plainValue(v.SecretValue().Element)
	case v.IsOutput():
		if !v.OutputValue().Known {
			return resource.MakeComputed(resource.NewStringProperty(""))
		}
		return plainValue(v.OutputValue().Element)
	case v.IsArray():
		items := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, item := range v.ArrayValue() {
			items[i] = plainValue(item)
		}
		return resource.NewArrayProperty(items)
	case v.IsObject():
		return resource.NewObjectProperty(plainValues(v.ObjectValue()))
	}
	return v
}

func (d *double) Create(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
	d.log.record(entry{Op: "create", Type: string(req.Type), URN: string(req.URN), Preview: req.Preview})
	k, known := kinds[string(req.Type)]
	c := newCreation(req.URN, req.Name, req.Properties, d.currentRegion())
	if req.Preview {
		out := c.outputs(nil)
		for _, name := range k.computed {
			// id comes back empty (the engine shows it unknown); a computed output the program set is known
			if _, set := out[resource.PropertyKey(name)]; !set && name != "id" {
				out[resource.PropertyKey(name)] = resource.MakeComputed(resource.NewStringProperty(""))
			}
		}
		return plugin.CreateResponse{Properties: out}, nil
	}
	if !known {
		return plugin.CreateResponse{ID: resource.ID(genericID(string(req.Type), c.hex)), Properties: c.outputs(nil)}, nil
	}
	id, out := k.made(c)
	for _, name := range k.secretOutputs {
		if v, ok := out[resource.PropertyKey(name)]; ok && !v.IsSecret() {
			out[resource.PropertyKey(name)] = resource.MakeSecret(v)
		}
	}
	if err := d.afterWrite(string(req.Type), string(req.URN), nil, req.Properties); err != nil {
		return plugin.CreateResponse{}, initFailed(id, out, err)
	}
	return plugin.CreateResponse{ID: id, Properties: out}, nil
}

func genericID(typ string, hex string) string {
	name := typ[strings.LastIndex(typ, ":")+1:]
	return strings.ToLower(name) + "-" + hex
}

// Update keeps the outputs AWS assigned at create (as a Terraform plan does) over the new inputs; an output
// that one of the changed inputs recomputes is unknown during the preview and refreshed after.
func (d *double) Update(_ context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
	d.log.record(entry{Op: "update", Type: string(req.Type), URN: string(req.URN), Preview: req.Preview})
	k := kinds[string(req.Type)]
	out := req.OldOutputs.Copy()
	for key := range req.OldInputs {
		if _, still := req.NewInputs[key]; !still {
			delete(out, key)
		}
	}
	for key, v := range req.NewInputs {
		out[key] = v
	}
	out["tagsAll"] = tagsAll(req.NewInputs)
	if out["tagsAll"].IsNull() {
		delete(out, "tagsAll")
	}
	changed := map[resource.PropertyKey]bool{}
	if diff := plainValues(req.OldInputs).Diff(plainValues(req.NewInputs)); diff != nil {
		for _, key := range diff.ChangedKeys() {
			changed[key] = true
		}
	}
	for output, inputs := range k.recomputedBy {
		for _, input := range inputs {
			if changed[resource.PropertyKey(input)] {
				out[resource.PropertyKey(output)] = recomputed(req.Preview, req.OldOutputs[resource.PropertyKey(output)])
				break
			}
		}
	}
	for _, name := range k.secretOutputs {
		if v, ok := out[resource.PropertyKey(name)]; ok && !v.IsSecret() && !v.IsComputed() {
			out[resource.PropertyKey(name)] = resource.MakeSecret(v)
		}
	}
	if !req.Preview {
		if err := d.afterWrite(string(req.Type), string(req.URN), req.OldInputs, req.NewInputs); err != nil {
			return plugin.UpdateResponse{}, initFailed(req.ID, out, err)
		}
	}
	return plugin.UpdateResponse{Properties: out}, nil
}

// afterWrite is what AWS does beyond storing a resource (only with a cloud folder): keep a parameter's
// value, run the converge association.
func (d *double) afterWrite(typ, urn string, olds, news resource.PropertyMap) error {
	switch typ {
	case "aws:ssm/parameter:Parameter":
		return d.cloud.parameterWritten(olds, news)
	case "aws:ssm/association:Association":
		return d.cloud.convergeRun(d.log, urn, olds, news)
	}
	return nil
}

// recomputed: unknown in a preview; after the update a version counter goes up and anything else is
// re-derived by the double as a new hash.
func recomputed(preview bool, old resource.PropertyValue) resource.PropertyValue {
	switch {
	case preview:
		return resource.MakeComputed(resource.NewStringProperty(""))
	case old.IsNumber():
		return resource.NewNumberProperty(old.NumberValue() + 1)
	case old.IsString() && isDigits(old.StringValue()):
		var n int
		fmt.Sscanf(old.StringValue(), "%d", &n)
		return resource.NewStringProperty(fmt.Sprint(n + 1))
	case old.IsString() && old.StringValue() != "":
		sum := sha256.Sum256([]byte(old.StringValue()))
		return resource.NewStringProperty(hex.EncodeToString(sum[:])[:min(len(old.StringValue()), 64)])
	}
	return old
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func (d *double) Delete(_ context.Context, req plugin.DeleteRequest) (plugin.DeleteResponse, error) {
	d.log.record(entry{Op: "delete", Type: string(req.Type), URN: string(req.URN)})
	return plugin.DeleteResponse{}, nil
}

// Read returns the stored state unchanged: nothing drifts in the double's world.
func (d *double) Read(_ context.Context, req plugin.ReadRequest) (plugin.ReadResponse, error) {
	d.log.record(entry{Op: "read", Type: string(req.Type), URN: string(req.URN)})
	return plugin.ReadResponse{ReadResult: plugin.ReadResult{ID: req.ID, Inputs: req.Inputs, Outputs: req.State},
		Status: resource.StatusOK}, nil
}

func (d *double) Invoke(_ context.Context, req plugin.InvokeRequest) (plugin.InvokeResponse, error) {
	d.log.record(entry{Op: "invoke", Type: string(req.Tok), Preview: req.Preview})
	out, err := invoke(string(req.Tok), req.Args, d.currentRegion(), d.cloud)
	if err != nil {
		return plugin.InvokeResponse{}, err
	}
	return plugin.InvokeResponse{Properties: out}, nil
}

// creation is what a type's `made` function works from.
type creation struct {
	name   string
	inputs resource.PropertyMap
	region string
	// 17 hex digits from the URN and the inputs: stable for the same resource, new when a changed input
	// replaces it.
	hex string
}

func newCreation(urn resource.URN, name string, inputs resource.PropertyMap, region string) creation {
	canonical, _ := json.Marshal(plainValues(inputs).Mappable())
	sum := sha256.Sum256(append([]byte(urn+"\x00"), canonical...))
	return creation{name: name, inputs: inputs, region: region, hex: hex.EncodeToString(sum[:])[:17]}
}

// str is a known input string, or "" (also for unknown and secret-free absent values).
func (c creation) str(key string) string {
	v := plainValue(c.inputs[resource.PropertyKey(key)])
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// hexOf derives a further 17-hex id from this resource's, e.g. for its network interface.
func (c creation) hexOf(what string) string { return c.longHexOf(what)[:17] }

// longHexOf: 64 hex digits derived from this resource's id, for etags and generated names.
func (c creation) longHexOf(what string) string {
	sum := sha256.Sum256([]byte(c.hex + what))
	return hex.EncodeToString(sum[:])
}

func (c creation) arn(service, resourcePart string) string {
	return "arn:aws:" + service + ":" + c.region + ":" + account + ":" + resourcePart
}

func (c creation) globalArn(service, resourcePart string) string {
	return "arn:aws:" + service + "::" + account + ":" + resourcePart
}

// outputs: the inputs echoed, tagsAll from tags, and the given computed strings.
func (c creation) outputs(computed map[string]string) resource.PropertyMap {
	out := c.inputs.Copy()
	if tags := tagsAll(c.inputs); !tags.IsNull() {
		out["tagsAll"] = tags
	}
	for k, v := range computed {
		out[resource.PropertyKey(k)] = resource.NewStringProperty(v)
	}
	return out
}

// ec2: the outputs every EC2 resource has (arn, ownerId) plus the given ones.
func (c creation) ec2(id string, arnType string, computed map[string]string) (resource.ID, resource.PropertyMap) {
	all := map[string]string{"arn": c.arn("ec2", arnType+"/"+id), "ownerId": account}
	for k, v := range computed {
		all[k] = v
	}
	return resource.ID(id), c.outputs(all)
}

// tagsAll is the tags (the double has no provider default tags); null when there are none.
func tagsAll(inputs resource.PropertyMap) resource.PropertyValue {
	if tags, ok := inputs["tags"]; ok && !tags.IsNull() {
		return tags
	}
	return resource.NewNullProperty()
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func keyStrings(keys []resource.PropertyKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out
}
