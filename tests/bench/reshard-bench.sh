#!/usr/bin/env bash
# The guide's reshard (3 masters, 200k keys of 64 bytes, 4096 slots to a new 4th master) timed with
# redis-cli --cluster reshard (default pipeline, and --cluster-pipeline 1000) and with redis-ha's
# SlotMover under a writer; a fresh cluster for every run; prints medians, ratios and lost writes.
# Usage (from the repo root): tests/bench/reshard-bench.sh [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl cli,tests -am package -DskipTests
exec java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.ReshardBenchmark "${1:-3}"
