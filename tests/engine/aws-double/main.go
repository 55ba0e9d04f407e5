// Command pulumi-resource-aws is a TEST DOUBLE of the Pulumi AWS provider (pulumi-aws 6.83.0, the version
// of the com.pulumi:aws jar): it lets the real Pulumi engine run redis-ha's RedisCluster component here,
// where the real provider plugin cannot be had. It makes no AWS call. It models what the engine tests
// need of the bridged provider: computed outputs unknown in a preview, replacement for the properties
// pulumi-aws marks ForceNew (kinds.go), known deterministic outputs after create, the data-source
// functions the component calls (invoke.go), a minimal schema for YAML programs (schema.go), and a JSON
// call log in the file named by REDIS_HA_AWS_DOUBLE_LOG. Any other aws: type is accepted generically.
//
// Build:   cd tests/engine/aws-double && go build -o $OUT .
// Install: pulumi plugin install resource aws 6.83.0 --file $OUT
// Test:    cd tests/engine/aws-double && go test ./...
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	// provider.Main serves gRPC on 127.0.0.1 only and prints the port on stdout, as the engine expects.
	err := provider.Main("aws", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return plugin.NewProviderServer(newDouble(callLogFromEnv())), nil
	})
	if err != nil {
		cmdutil.ExitError("aws double: " + err.Error())
	}
}
