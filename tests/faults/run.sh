#!/usr/bin/env bash
# The fault harness: faults as they happen in a region, on real redis-server processes, with a
# history checker. Usage: bash tests/faults/run.sh [--json] [SCENARIO...]  (default: all scenarios)
#
# Three zones, each a Linux network namespace (rhf-z1..3) joined by a bridge in a fourth one
# (rhf-hub); nothing is added to the host's own network. Each zone holds 4 nodes with their own
# addresses (2 masters, 2 replicas of other zones' masters: 6 shards), a client (HistoryClient:
# writers + reader) and, in modes that have one, the watchdog (`redis-ha watchdog --ec2`, as the
# node image runs it, against an EC2 double that reports every instance `impaired`).
# Partitions are nftables rules inside the zones' namespaces (drop; reject where a refusal is the
# point), pauses SIGSTOP/SIGCONT, crashes SIGKILL.
#
# Each scenario runs in every mode of RHF_MODES (default "plain safe"):
#   plain     Redis Cluster alone, plain writes (SET acknowledged by the master).
#   watchdog  plus our watchdog beside every zone's nodes, plain writes.
#   safe      watchdog + safe write mode: min-replicas-to-write 1 on every node and the client
#             pattern SET then WAIT 1 <ms>: a write counts as acknowledged only when WAIT says a
#             replica has it.
# A scenario breaks its promise (exit 1) when: an acknowledged write is lost in safe mode, or in
# the other modes outside the bound stated for it; a watchdog asks CLUSTER FAILOVER FORCE for a
# master that was not killed; a key cannot be read after the cluster settled; or the cluster does
# not settle (every node cluster_state:ok, all nodes agree on the slots).
# Environment: RHF_MODES, RHF_NODE_TIMEOUT_MS (default 3000), RHF_FLAP_SECONDS (default 60),
# RHF_JAR (the jar whose watchdog runs; default cli/target/redis-ha-node.jar, the jar EC2 nodes run).
# Needs root (namespaces, nftables) and installs iproute2 and nftables from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

ALL_SCENARIOS=(refused-probe pause zone-cut never-synced asymmetric double-kill roll-kill flapping)
MODES=(${RHF_MODES:-plain safe})
NT=${RHF_NODE_TIMEOUT_MS:-3000}
FLAP_SECONDS=${RHF_FLAP_SECONDS:-60}
NET=10.219.77          # a private /24 that exists only on our bridge, inside our namespaces
PORT=7000              # every node has its own address, so all use the same port (bus: 17000)
EC2_PORT=8773
NOBODY=65534           # the watchdogs run as this user, so that nftables can match their packets

json=false
scenarios=()
for arg in "$@"; do
  case "$arg" in
    --json) json=true ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *)
      if [[ " ${ALL_SCENARIOS[*]} " != *" $arg "* ]]; then
        echo "run.sh: unknown scenario '$arg'; valid: ${ALL_SCENARIOS[*]}" >&2
        exit 2
      fi
      scenarios+=("$arg") ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=("${ALL_SCENARIOS[@]}")
for m in "${MODES[@]}"; do
  case "$m" in plain|watchdog|safe) ;; *) echo "run.sh: RHF_MODES: unknown mode '$m'; valid: plain watchdog safe" >&2; exit 2 ;; esac
done
if [ "$(id -u)" != 0 ]; then
  echo "run.sh: needs root (network namespaces, nftables); CI runs it as root" >&2
  exit 2
fi

# --- tools ---------------------------------------------------------------------------------------
if ! command -v nft >/dev/null || ! command -v ip >/dev/null; then
  echo "faults: installing iproute2 and nftables from Debian"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 nftables >/dev/null
fi
for tool in redis-server redis-cli java python3 setpriv; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 2; }
done
JAR=${RHF_JAR:-$ROOT/cli/target/redis-ha-node.jar}   # RHF_JAR: run another build's watchdog (e.g. to see an old one fail)
CLASSES=$ROOT/tests/target/test-classes
if [ ! -s "$JAR" ] || [ ! -f "$CLASSES/io/redisha/faults/HistoryClient.class" ]; then
  echo "faults: building the CLI jar and the harness client (mvn)"
  mvn -B -q -pl cli -am install -DskipTests
  mvn -B -q -pl tests test-compile
fi

# --- cleanup, even when killed ------------------------------------------------------------------
# One harness at a time on a machine: the namespaces' names are fixed, a second run would tear down the first's.
exec 9>/run/rhf-faults.lock
if ! flock -n 9; then
  echo "run.sh: another fault harness run holds /run/rhf-faults.lock; wait for it to finish" >&2
  exit 2
fi
WORK=$(mktemp -d /tmp/rhf.XXXXXX)
chmod 755 "$WORK"
cp "$JAR" "$WORK/redis-ha.jar"   # readable by the watchdogs' user
chmod 644 "$WORK/redis-ha.jar"

# Every process of ours runs inside one of our namespaces: killing what is in them is killing ours.
teardown_net() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^rhf-' || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  done
  sleep 0.2
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^rhf-' || true); do
    ip netns del "$ns" 2>/dev/null || true
  done
}
cleanup() {
  teardown_net
  if [ "${RHF_KEEP:-}" = "" ]; then rm -rf "$WORK"; else echo "faults: kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the network ---------------------------------------------------------------------------------
zone_ns() { echo "rhf-z$1"; }
node_ip() { echo "$NET.$1$2"; }          # zone 1..3, node 1..4: 10.219.77.11 .. 34
client_ip() { echo "$NET.${1}9"; }
all_node_ips() { local z n; for z in 1 2 3; do for n in 1 2 3 4; do node_ip $z $n; done; done; }
in_zone() { local z=$1; shift; ip netns exec "$(zone_ns "$z")" "$@"; }

build_net() {
  teardown_net
  ip netns add rhf-hub
  ip -n rhf-hub link set lo up
  ip -n rhf-hub link add rhf-br type bridge
  ip -n rhf-hub link set rhf-br up
  local z n ns
  for z in 1 2 3; do
    ns=$(zone_ns $z)
    ip netns add "$ns"
    ip link add "rhf-z$z-a" netns "$ns" type veth peer name "rhf-z$z-b" netns rhf-hub
    ip -n rhf-hub link set "rhf-z$z-b" master rhf-br up
    # The client's address first: it is the source of every connection the zone's client opens.
    ip -n "$ns" addr add "$(client_ip $z)/24" dev "rhf-z$z-a"
    for n in 1 2 3 4; do ip -n "$ns" addr add "$(node_ip $z $n)/24" dev "rhf-z$z-a"; done
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "rhf-z$z-a" up
    in_zone $z nft -f - <<EOF
table inet rhf {
  chain input { type filter hook input priority 0; policy accept; }
  chain output { type filter hook output priority 0; policy accept; }
}
EOF
  done
}
rules() { local z=$1; shift; printf '%s\n' "$@" | in_zone "$z" nft -f -; }
heal_all() { local z; for z in 1 2 3; do in_zone $z nft flush table inet rhf; done; }

# --- nodes, cluster, clients, watchdogs ----------------------------------------------------------
# Shard i: master MASTERS[i], replica REPLICAS[i] (another zone). Each zone: 2 masters, 2 replicas.
MASTERS=(11 12 21 22 31 32)
REPLICAS=(33 24 13 34 23 14)
zone_of() { echo "${1:0:1}"; }           # "12" -> 1
addr() { echo "$NET.$1:$PORT"; }
pid_of() { cat "$RUN/node-$1/pid"; }

start_node() {
  local id=$1 z=${1:0:1} dir="$RUN/node-$1"
  mkdir -p "$dir"
  if [ ! -f "$dir/redis.conf" ]; then
    cat > "$dir/redis.conf" <<EOF
bind $NET.$id
bind-source-addr $NET.$id
port $PORT
protected-mode no
daemonize no
dir $dir
logfile $dir/redis.log
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout $NT
cluster-require-full-coverage yes
appendonly yes
appendfsync everysec
save ""
repl-diskless-sync yes
repl-diskless-sync-delay 0
enable-debug-command yes
EOF
    if [ "$MODE" = safe ]; then
      printf 'min-replicas-to-write 1\nmin-replicas-max-lag 10\n' >> "$dir/redis.conf"
    fi
  fi
  # ip execs redis-server: $! is its pid (a shell function in the background would be a subshell's)
  ip netns exec "$(zone_ns "$z")" redis-server "$dir/redis.conf" >/dev/null 2>&1 &
  echo $! > "$dir/pid"
  disown
}
cli() { local id=$1; shift; in_zone "${id:0:1}" timeout 5 redis-cli -h "$NET.$id" -p $PORT "$@" 2>/dev/null; }
# info_field ID COMMAND... FIELD: one "field:value" line of an INFO-style answer.
info_field() { local id=$1 field=${*: -1}; cli "$id" "${@:2:$(($# - 2))}" | tr -d '\r' | sed -n "s/^$field://p"; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls every 0.2 s; returns 1 (with a note) on timeout.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out after ${limit}s waiting until $what" >> "$RUN/problems"; return 1; fi
    sleep 0.2
  done
}
all_answer() { local id; for id in "${MASTERS[@]}" "${REPLICAS[@]}"; do cli $id ping | grep -q PONG || return 1; done; }
all_known() { local id; for id in "${MASTERS[@]}" "${REPLICAS[@]}"; do [ "$(info_field $id cluster info cluster_known_nodes)" = 12 ] || return 1; done; }
replicas_linked() { local id; for id in "${REPLICAS[@]}"; do [ "$(info_field $id info master_link_status)" = up ] || return 1; done; }
settled() {
  local id out
  for id in "${MASTERS[@]}" "${REPLICAS[@]}"; do
    [ "$(info_field $id cluster info cluster_state)" = ok ] || return 1
  done
  out=$(in_zone 1 timeout 10 redis-cli --cluster check "$(addr 11)" 2>/dev/null) || true
  grep -q "All nodes agree about slots configuration" <<<"$out" && grep -q "All 16384 slots covered" <<<"$out" \
    && ! grep -q "\[ERR\]\|\[WARNING\]" <<<"$out"
}

form_cluster() {
  local i id
  for i in "${!MASTERS[@]}"; do
    cli "${MASTERS[$i]}" cluster addslotsrange $((i * 16384 / 6)) $(((i + 1) * 16384 / 6 - 1)) >/dev/null
  done
  for id in "${MASTERS[@]:1}" "${REPLICAS[@]}"; do cli 11 cluster meet "$NET.$id" $PORT >/dev/null; done
  wait_for 30 "every node knows the 12" all_known || return 1
  for i in "${!MASTERS[@]}"; do
    cli "${REPLICAS[$i]}" cluster replicate "$(cli "${MASTERS[$i]}" cluster myid | tr -d '\r')" >/dev/null
  done
  wait_for 60 "every replica synced" replicas_linked && wait_for 60 "the new cluster is ok" settled
}

start_watchdogs() {
  local z seeds
  for z in 1 2 3; do
    in_zone $z python3 "$ROOT/tests/faults/ec2_double.py" $EC2_PORT >/dev/null 2>&1 &
    seeds=$(for n in 1 2 3 4; do printf '%s ' "$(addr $z$n)"; done)
    # shellcheck disable=SC2086
    in_zone $z setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups env HOME=/tmp AWS_ENDPOINT_URL=http://127.0.0.1:$EC2_PORT \
      AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
      java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$WORK/redis-ha.jar" watchdog $seeds --ec2 --json \
      > "$RUN/watchdog-z$z.log" 2>&1 &
  done
}

start_clients() {
  local z seeds others
  for z in 1 2 3; do
    seeds=$(for n in 1 2 3 4; do printf '%s,' "$(addr $z$n)"; done)
    others=$(for o in 1 2 3; do [ $o = $z ] && continue; for n in 1 2 3 4; do printf '%s,' "$(addr $o$n)"; done; done)
    in_zone $z java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CLASSES:$WORK/redis-ha.jar" io.redisha.faults.HistoryClient \
      --zone z$z --seeds "${seeds}${others%,}" --dir "$RUN" --out "$RUN/result-z$z.json" $([ "$MODE" = safe ] && echo --safe) \
      > "$RUN/client-z$z.log" 2>&1 &
  done
}
clients_started() { [ -f "$RUN/started-z1" ] && [ -f "$RUN/started-z2" ] && [ -f "$RUN/started-z3" ]; }
clients_done() { [ -s "$RUN/result-z1.json" ] && [ -s "$RUN/result-z2.json" ] && [ -s "$RUN/result-z3.json" ]; }
watchdogs_started() { grep -q started "$RUN/watchdog-z1.log" && grep -q started "$RUN/watchdog-z2.log" && grep -q started "$RUN/watchdog-z3.log"; }

# --- the scenarios --------------------------------------------------------------------------------
# Each sets KILLED (addresses a watchdog may legitimately have forced) and PROMISE (shown in the table),
# applies its fault, and heals (restarting what it killed).
hold() { sleep "$(awk "BEGIN{print $1/1000}")"; }

scenario_refused_probe() {
  PROMISE="no FORCE; 0 lost"; BOUND_MS=0
  # Every watchdog's own connections to master 11's ports are refused; its clients and the cluster see it healthy.
  local z
  for z in 1 2 3; do
    rules $z "add rule inet rhf output meta skuid $NOBODY ip daddr $NET.11 tcp dport { $PORT, $((PORT + 10000)) } reject with tcp reset"
  done
  hold $((2 * NT)); heal_all
}

scenario_pause() {
  PROMISE="no FORCE (EC2 says impaired); safe: 0 lost"; BOUND_MS=$((2 * NT))
  local pid; pid=$(pid_of 11)
  kill -STOP "$pid"; sleep 2; kill -CONT "$pid"
  hold $((NT + 1000))
  kill -STOP "$pid"; hold $((2 * NT)); kill -CONT "$pid"
}

scenario_zone_cut() {
  PROMISE="safe: 0 lost; plain: lost only in the cut masters' last node timeout"; BOUND_MS=$((2 * NT))
  rules 1 "add rule inet rhf input iifname rhf-z1-a drop" "add rule inet rhf output oifname rhf-z1-a drop"
  hold $((2 * NT)); heal_all
}

scenario_asymmetric() {
  PROMISE="safe: 0 lost; plain: lost only in the cut master's last node timeout"; BOUND_MS=$((2 * NT))
  local others; others=$(all_node_ips | grep -v "^$NET.11$" | paste -sd, -)
  rules 1 "add rule inet rhf output ip saddr $NET.11 ip daddr { $others } drop" \
          "add rule inet rhf input ip saddr { $others } ip daddr $NET.11 drop"
  hold $((2 * NT)); heal_all
}

scenario_never_synced() {
  PROMISE="watchdog holds back (no FORCE); 0 lost"; BOUND_MS=0
  # Shard 0's only replica (33) restarts while its master (11) is paused, so it never completes a
  # sync; then the master dies. FORCE would promote a replica whose data Redis itself refuses.
  local master; master=$(pid_of 11)
  kill -STOP "$master"
  kill -9 "$(pid_of 33)"; sleep 0.3; start_node 33
  wait_for 20 "the restarted replica connects" bash -c "[ \"\$(ip netns exec rhf-z3 redis-cli -h $NET.33 -p $PORT info replication 2>/dev/null | tr -d '\r' | sed -n 's/^master_link_down_since_seconds://p')\" = -1 ]" || true
  kill -9 "$master"
  hold $((3 * NT))
  start_node 11
}

scenario_double_kill() {
  PROMISE="both shards recovered; safe: 0 lost"; BOUND_MS=2000
  KILLED="$NET.11:$PORT $NET.21:$PORT"
  kill -9 "$(pid_of 11)"; sleep 0.15; kill -9 "$(pid_of 21)"
  wait_for 30 "both replicas serve" bash -c "[ \"\$(ip netns exec rhf-z3 redis-cli -h $NET.33 -p $PORT role 2>/dev/null | head -1)\" = master ] && [ \"\$(ip netns exec rhf-z1 redis-cli -h $NET.13 -p $PORT role 2>/dev/null | head -1)\" = master ]" || true
  start_node 11; start_node 21
}

scenario_roll_kill() {
  PROMISE="recovered; safe: 0 lost"; BOUND_MS=2000
  KILLED="$NET.22:$PORT"
  # The roll's step for shard 1: graceful failover to its replica (24), then the old master (12) is replaced
  # (stopped, started again); while it is down, master 22 of shard 3 is killed.
  cli 24 cluster failover >/dev/null
  wait_for 20 "24 took over shard 1 gracefully" bash -c "[ \"\$(ip netns exec rhf-z2 redis-cli -h $NET.24 -p $PORT role 2>/dev/null | head -1)\" = master ]" || true
  kill -TERM "$(pid_of 12)"; sleep 0.5
  kill -9 "$(pid_of 22)"
  hold $((NT / 2)); start_node 12
  hold $((2 * NT)); start_node 22
}

scenario_flapping() {
  PROMISE="converges after; safe: 0 lost"; BOUND_MS=$((2 * NT))
  local end=$((SECONDS + FLAP_SECONDS))
  while [ $SECONDS -lt $end ]; do
    rules 1 "add rule inet rhf input iifname rhf-z1-a drop" "add rule inet rhf output oifname rhf-z1-a drop"
    sleep $((1 + RANDOM % 3)); heal_all
    sleep $((1 + RANDOM % 3))
  done
}

# --- one run: a scenario in a mode ---------------------------------------------------------------
phase() { echo "$(date +%T.%N | cut -c1-12) $1" >> "$RUN/phases"; }
run_one() {
  local scenario=$1
  RUN=$WORK/$scenario-$MODE
  mkdir -p "$RUN"; chmod 755 "$RUN"
  KILLED=""; PROMISE=""; BOUND_MS=0
  build_net
  phase "net"
  local id; for id in "${MASTERS[@]}" "${REPLICAS[@]}"; do start_node $id; done
  # The JVMs start while the cluster forms; the clients begin writing once told to (go).
  [ "$MODE" = plain ] || start_watchdogs
  start_clients
  if ! wait_for 30 "every node answers" all_answer || ! form_cluster; then echo "cluster did not form" >> "$RUN/problems"; return; fi
  phase "formed"
  touch "$RUN/go"
  wait_for 90 "the clients started" clients_started || return
  [ "$MODE" = plain ] || wait_for 60 "the watchdogs started" watchdogs_started || return
  phase "started"
  sleep 1
  phase "fault"
  "scenario_${scenario//-/_}" || echo "a step of the scenario failed" >> "$RUN/problems"
  phase "healed"
  heal_all
  wait_for 90 "the cluster settled after the fault" settled || true
  phase "settled"
  sleep 1
  touch "$RUN/stop"
  wait_for 30 "the cluster settled after the fault" settled || true
  touch "$RUN/check"
  wait_for 120 "the clients' verdicts" clients_done || true
  phase "checked"
}

# The verdict of one run as a JSON line, and whether it kept its promise.
judge() {
  python3 - "$RUN" "$scenario" "$MODE" "$BOUND_MS" "$KILLED" "$PROMISE" <<'EOF'
import json, os, sys
run, scenario, mode, bound, killed, promise = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5].split(), sys.argv[6]
results, problems = [], []
for z in (1, 2, 3):
    path = os.path.join(run, "result-z%d.json" % z)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        results.append(json.load(open(path)))
    else:
        problems.append("no verdict from zone %d's client" % z)
if os.path.exists(os.path.join(run, "problems")):
    problems += [l.strip() for l in open(os.path.join(run, "problems")) if l.strip()]
forced, held = [], 0
for z in (1, 2, 3):
    path = os.path.join(run, "watchdog-z%d.log" % z)
    if not os.path.exists(path):
        continue
    for line in open(path):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if e.get("kind") == "FAILOVER_REQUESTED":
            forced.append(e["master"])
        if e.get("kind") == "HELD_BACK":
            held += 1
total = lambda k: sum(r.get(k, 0) for r in results)
lost, window = total("lost"), max([r.get("lostWindowMs", 0) for r in results] or [0])
live_forced = [m for m in forced if m not in killed]
if live_forced:
    problems.append("a watchdog forced a live master: " + ", ".join(live_forced))
if total("unread"):
    problems.append("%d acknowledged writes could not be read after the cluster settled" % total("unread"))
if mode == "safe" and lost:
    problems.append("%d acknowledged writes lost in safe mode" % lost)
if mode != "safe" and lost and (bound == 0 or window > bound):
    problems.append("%d writes lost over %d ms, bound %d ms" % (lost, window, bound))
print(json.dumps({"scenario": scenario, "mode": mode, "promise": promise, "acknowledged": total("acknowledged"), "lost": lost,
                  "lostWindowMs": window, "stale": total("stale"), "reads": total("reads"), "unconfirmed": total("unconfirmed"),
                  "unavailableSeconds": {r["zone"]: r["unavailableSeconds"] for r in results}, "forced": forced, "heldBack": held,
                  "kept": not problems, "problems": problems, "lostSample": [r["lostSample"] for r in results if r.get("lostSample")]}))
EOF
}

started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
began=$SECONDS
verdicts=$WORK/verdicts.jsonl
: > "$verdicts"
for scenario in "${scenarios[@]}"; do
  for MODE in "${MODES[@]}"; do
    $json || printf 'faults: %-13s %-8s ...' "$scenario" "$MODE"
    t0=$SECONDS
    run_one "$scenario"
    teardown_net
    judge >> "$verdicts"
    $json || echo " $((SECONDS - t0)) s"
  done
done

python3 - "$verdicts" "$json" "$started_at" "$((SECONDS - began))" "$NT" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
if sys.argv[2] == "true":
    print(json.dumps({"started": sys.argv[3], "seconds": int(sys.argv[4]), "nodeTimeoutMs": int(sys.argv[5]), "runs": rows}))
else:
    print("\nFault harness, %s, node timeout %s ms, %s s in all" % (sys.argv[3], sys.argv[5], sys.argv[4]))
    head = "%-13s %-8s %8s %6s %8s %6s %8s  %-17s %-6s %-5s %s" % ("scenario", "mode", "acked", "lost", "lost-ms", "stale", "unconf", "unavail z1/z2/z3 s", "forced", "kept", "promise")
    print(head); print("-" * len(head))
    for r in rows:
        u = r["unavailableSeconds"]
        print("%-13s %-8s %8d %6d %8d %6d %8d  %-17s %-6d %-5s %s" % (r["scenario"], r["mode"], r["acknowledged"], r["lost"], r["lostWindowMs"], r["stale"],
              r["unconfirmed"], "/".join(str(u.get("z%d" % z, "-")) for z in (1, 2, 3)), len(r["forced"]), "yes" if r["kept"] else "NO", r["promise"]))
        for p in r["problems"]:
            print("    ! " + p)
EOF
python3 -c 'import json,sys; sys.exit(0 if all(json.loads(l)["kept"] for l in open(sys.argv[1])) else 1)' "$verdicts"
