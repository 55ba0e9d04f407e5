#!/usr/bin/env bash
# Forms 6 fresh loopback nodes (3 masters x 1 replica) with redis-cli --cluster create and with
# redis-ha's engine, several rounds each, and prints both medians and the ratio ours/redis-cli.
# Usage (from the repo root): tests/bench/create-bench.sh [rounds, default 5]
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl cli,tests -am package -DskipTests
exec java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.CreateBenchmark "${1:-5}"
