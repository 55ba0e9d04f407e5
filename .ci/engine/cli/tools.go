//go:build tools

// Package tools records the Pulumi CLI main package so that go.mod and go.sum pin its dependencies.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
