#!/usr/bin/env bash
# Migration at size: 4096 slots holding (a) 1 GB in 4 KB values, (b) 500 MB in 256 KB values (at
# scale 1) moved to one new master (reshard) and, 8192 of them, to three new masters (rebalance with
# empty masters), by redis-cli --cluster (pipeline 10 and 1000) and by redis-ha, a fixed-rate GET/SET
# client recording latency; prints MB/s, keys/s, client p50/p99/max idle and during the move, peak RSS
# of each tool, medians over the rounds and the ratios. Every loaded key is counted afterwards.
# Usage (from the repo root): tests/bench/migration-bench.sh [scale, default 1.0] [rounds, default 1] [one|three|both]
# (scale 1.0 loads 4 GB, then 2 GB: needs ~6 GB RAM; BENCH_TIMEOUT seconds bound the run, default 5400)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl cli,tests -am package -DskipTests
exec timeout "${BENCH_TIMEOUT:-5400}" java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.MigrationBenchmark "${1:-1.0}" "${2:-1}" "${3:-both}"
