//go:build tools

// Package tools records the YAML language host main package so that go.mod and go.sum pin it.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
