#!/usr/bin/env bash
# No idle floors: formation of 6 and 90 nodes, and growth 3x1 -> 4x1 with 200k keys under a writer,
# redis-cli against redis-ha in one run, to the same end point (every slot served, every replica in
# sync); prints medians and ratios.
# Usage (from the repo root): tests/bench/idle-floors-bench.sh [rounds, default 3] [sizes, default 6,90] [formation|growth]
# ('formation' leaves the growth rounds out, 'growth' the formation rounds)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Reactor build, no install: other checkouts' SNAPSHOT jars in ~/.m2 stay untouched.
mvn -q -B -o -pl cli,tests -am package -DskipTests
exec timeout 1800 java -cp cli/target/redis-ha.jar:tests/target/test-classes io.redisha.bench.FormationBenchmark "${1:-3}" "${2:-6,90}" ${3:+"$3"}
