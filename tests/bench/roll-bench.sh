#!/usr/bin/env bash
# The write pause a client sees at each master handover of `redis-ha roll` (a 3x1 cluster rolled onto
# new redis-server processes under one sequential writer), next to the same graceful failover done by
# hand with `redis-cli CLUSTER FAILOVER`, in the same run; prints medians, the ratio and lost writes.
# Usage (from the repo root): tests/bench/roll-bench.sh [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -o -pl cli -am package -DskipTests
mvn -q -B -o -pl tests -am test-compile
exec java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.RollBenchmark "${1:-3}"
