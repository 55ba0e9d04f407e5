#!/usr/bin/env bash
# Migration at size: 4096 slots holding (a) 1 GB in 4 KB values, (b) 500 MB in 256 KB values (at
# scale 1) moved to a new master by redis-cli --cluster reshard (pipeline 10 and 1000) and by
# redis-ha reshard, a fixed-rate GET/SET client recording latency; prints MB/s, keys/s, client
# p50/p99/max idle and during the move, peak RSS of each tool, and the ratios.
# Usage (from the repo root): tests/bench/migration-bench.sh [scale, default 1.0]   (loads 4 GB, then 2 GB, at 1.0: needs ~6 GB RAM)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl bootstrap,tests -am package -DskipTests
exec timeout 2400 java -cp bootstrap/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.MigrationBenchmark "${1:-1.0}"
