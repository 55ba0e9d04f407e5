package main

import (
	"encoding/json"
	"sort"
)

// providerInputs: the provider settings a program or stack config may give; the double uses only region.
var providerInputs = []string{"region", "profile", "accessKey", "secretKey", "token", "defaultTags", "ignoreTags",
	"endpoints", "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation", "skipRequestingAccountId",
	"s3UsePathStyle", "allowedAccountIds", "assumeRole", "maxRetries"}

// functionsInSchema: the functions a YAML program may call through fn::invoke.
var functionsInSchema = []string{
	"aws:index/getAvailabilityZones:getAvailabilityZones",
	"aws:index/getRegion:getRegion",
	"aws:index/getCallerIdentity:getCallerIdentity",
	"aws:index/getPartition:getPartition",
}

// packageSchema is a minimal package schema for "aws": every type with schemaInputs in the kinds table,
// all of its inputs and outputs free-form (pulumi.json#/Any), enough for YAML programs and policy tests.
func packageSchema() []byte {
	anyProps := func(names ...[]string) map[string]any {
		props := map[string]any{}
		for _, list := range names {
			for _, n := range list {
				props[n] = map[string]any{"$ref": "pulumi.json#/Any"}
			}
		}
		return props
	}
	resources := map[string]any{}
	for token, k := range kinds {
		if k.schemaInputs == nil {
			continue
		}
		var outputs []string
		for _, name := range k.computed {
			if name != "id" {
				outputs = append(outputs, name)
			}
		}
		resources[token] = map[string]any{
			"description":     "Served by the AWS provider test double (no AWS call is made).",
			"inputProperties": anyProps(k.schemaInputs),
			"properties":      anyProps(k.schemaInputs, outputs),
		}
	}
	functions := map[string]any{}
	for _, token := range functionsInSchema {
		functions[token] = map[string]any{
			"inputs":  map[string]any{"type": "object", "properties": anyProps([]string{"state", "filters", "name"})},
			"outputs": map[string]any{"type": "object", "properties": anyProps([]string{"id", "names", "zoneIds", "name", "accountId", "arn", "userId", "partition", "dnsSuffix", "endpoint", "description"})},
		}
	}
	config := anyProps(providerInputs)
	out, err := json.Marshal(map[string]any{
		"name":        "aws",
		"displayName": "AWS (test double)",
		"version":     version,
		"description": "A test double of the pulumi-aws provider for redis-ha's engine tests: no AWS call is made.",
		"meta":        map[string]any{"moduleFormat": "(.*)(?:/[^/]*)"},
		"config":      map[string]any{"variables": config},
		"provider":    map[string]any{"inputProperties": config, "properties": map[string]any{}},
		"resources":   resources,
		"functions":   functions,
	})
	if err != nil {
		panic(err) // only plain maps and strings above
	}
	return out
}

// schemaTypes lists the resource tokens served in the schema (sorted), for tests and the README.
func schemaTypes() []string {
	var out []string
	for token, k := range kinds {
		if k.schemaInputs != nil {
			out = append(out, token)
		}
	}
	sort.Strings(out)
	return out
}
