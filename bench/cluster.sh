#!/bin/bash
# Regenerates bench/results/cluster.md: real `nas node` processes on loopback sharing a throwaway PostgreSQL
# (fsync on: durable), a search submitted with `nas submit`, its trials done by the fake evaluator (NAS_FAULTS):
#   1. durable trials/s with 1 and 3 node processes and 64 trainers, no-op trials (fake:0ms);
#   2. trainer utilisation with 1, 3 and 6 node processes of 8 trainers, trials that sleep 200 ms (fake:200ms);
#   3. `nas bench projection`: one coordinator serving 1,000 and 10,000 simulated trainers, 10-minute trials.
# Node 1 is coordinator+trainer (it hosts the search), the others are trainer nodes. Every process runs under
# `nice -n 10`. Figures come from the journal: the rows' `created` stamps (first lease → last completion).
# Needs Debian's postgresql, curl, and a Release build (made here).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
THROUGHPUT_TRIALS=${THROUGHPUT_TRIALS:-20000}
UTILISATION_SECONDS=${UTILISATION_SECONDS:-30}
WARMUP_TRIALS=${WARMUP_TRIALS:-10000}  # each untimed search a throughput row's nodes run first (0: none)
MAX_WARMUPS=${MAX_WARMUPS:-6}          # untimed searches at most, until one adds under JIT_SETTLED seconds of JIT
JIT_SETTLED=${JIT_SETTLED:-0.2}        # ... compilation time (all nodes' system_runtime_dotnet_jit_compilation_time, /metrics)
OUT=${OUT:-bench/results/cluster.md}
CONFIGURATION=${CONFIGURATION:-Release}

[ "${SKIP_BUILD:-}" = 1 ] || dotnet build -c "$CONFIGURATION" src/NasActors.Cli -v q -nologo >/dev/null
NAS=(nice -n 10 dotnet "$REPO/src/NasActors.Cli/bin/$CONFIGURATION/net10.0/nas.dll")
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/nas-bench-cluster.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
NODES=()
stop_nodes() { for pid in "${NODES[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; for pid in "${NODES[@]}"; do wait "$pid" 2>/dev/null || true; done; NODES=(); }
# run() executes in a process substitution, so its NODES are not this shell's: the nodes of an interrupted row are found
# by their working folder under $WORK
stray_nodes() { for pid in $(pgrep -f 'nas.dll node' || true); do [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$WORK"/* ]] && echo "$pid"; done; }
cleanup() { stop_nodes; for pid in $(stray_nodes); do kill -9 "$pid" 2>/dev/null || true; done; as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown -R postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U nas --auth=trust -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
psql_at() { psql -h 127.0.0.1 -p "$PGPORT" -U nas -d "$1" -At -c "$2"; }

# CPU seconds (user + system, with reaped children) of a process; PostgreSQL's: the postmaster and its live backends
TICKS=$(getconf CLK_TCK)
proc_cpu() { awk -v t="$TICKS" '{print ($14 + $15 + $16 + $17) / t}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sum_cpu() { for pid in "$@"; do proc_cpu "$pid"; done | awk '{s += $1} END {printf "%.2f\n", s}'; }
pg_cpu() { local pm; pm=$(head -1 "$WORK/pg/postmaster.pid"); sum_cpu "$pm" $(cat /proc/"$pm"/task/*/children 2>/dev/null); }

# run LABEL PROCESSES TRAINERS FAKE TRIALS → "seconds completed persists persist_seconds node_cpu pg_cpu": seconds and
# trials from the journal; the search coordinator's persist calls and the seconds from each call to its confirmation,
# from node 1's /metrics (nasactors_engine_journal_write_seconds); CPU seconds of the node processes and of PostgreSQL
# from the submission to the search's end
run() {
    local label=$1 processes=$2 trainers=$3 fake=$4 trials=$5 warmup=$6
    local db="nas_$label" dir="$WORK/$label"
    mkdir -p "$dir"
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U nas "$db"
    local seed_port admin_port admins=()
    seed_port=$(free_port); admin_port=$(free_port)
    for ((i = 0; i < processes; i++)); do
        local port=$seed_port admin=$admin_port roles=coordinator,trainer
        if [ "$i" -gt 0 ]; then port=$(free_port); admin=$(free_port); roles=trainer; fi
        admins+=("$admin")
        local share=$(( trainers / processes + (i < trainers % processes ? 1 : 0) ))
        (cd "$dir" && NAS_FAULTS="fake:$fake" NAS__Node__ConnectionString="Host=127.0.0.1;Port=$PGPORT;Username=nas;Database=$db" \
            exec "${NAS[@]}" node --config "$REPO/cluster-config" --store postgres --roles "$roles" --port "$port" \
            --seeds "127.0.0.1:$seed_port" --admin-port "$admin" --trainers "$share" >"node-$i.out" 2>&1) &
        NODES+=($!)
    done
    for ((t = 0; t < 600; t++)); do
        [ "$(curl -s "http://127.0.0.1:$admin_port/api/cluster/members" | grep -o '"Up"' | wc -l)" = "$processes" ] && break
        sleep 0.5
    done
    write_spec() { cat >"$dir/$1.yaml" <<SPEC
name: $1
seed: 1
space: {type: mlp, depth: [1, 2, 3], widths: [16, 32, 64, 128], activations: [relu, tanh], dropout: [0.0, 0.1]}
dataset: {path: $REPO/data/datasets/sklearn/digits.csv.gz}
training: {epochs: 1, batch_size: 32}
strategy: {name: random}
budget: {trials: $2}
execution: {trainers: $trainers, lease_seconds: 30}
SPEC
    }
    # submit_and_wait NAME TRIALS FINISHED: submits the search NAME and waits until the journal holds FINISHED search ends
    submit_and_wait() {
        write_spec "$1" "$2"
        (cd "$dir" && "${NAS[@]}" submit "$1.yaml" --cluster "127.0.0.1:$admin_port" >"submit-$1.out" 2>&1)
        local waited=0
        until [ "$(psql_at "$db" "select count(*) from journal where manifest like 'search-finished%'")" = "$3" ]; do
            sleep 1; waited=$((waited + 1))
            [ "$waited" -lt 900 ] || { echo "$label: the search $1 did not finish in 900 s; see $dir" >&2; exit 1; }
        done
    }
    journal_writes() {
        curl -s "http://127.0.0.1:$admin_port/metrics" |
            awk '/^nasactors_engine_journal_write_seconds_count/ {c = $2} /^nasactors_engine_journal_write_seconds_sum/ {s = $2} END {printf "%s %s\n", c + 0, s + 0}'
    }
    # JIT compilation seconds so far, all nodes: the runtime's meter on each node's /metrics
    jit_seconds() {
        for admin in "${admins[@]}"; do curl -s "http://127.0.0.1:$admin/metrics" | awk '/^system_runtime_dotnet_jit_compilation_time / {print $2}'; done |
            awk '{s += $1} END {printf "%.3f\n", s}'
    }
    # A running cluster is warm: untimed searches first, until one adds under JIT_SETTLED seconds of JIT compilation, so
    # the timed one does not pay each process's tiered compilation. A profile of a cluster warmed by one 5,000-trial
    # search still put 20-30 % of the timed search's CPU in the coordinator's JIT thread: methods are promoted in stages
    # (instrumented, then optimised) and only after 100 ms without new methods, which a busy process rarely has.
    local finished=0 jit_before warmups=0
    while [ "$warmup" -gt 0 ] && [ "$warmups" -lt "$MAX_WARMUPS" ]; do
        jit_before=$(jit_seconds); warmups=$((warmups + 1)); finished=$((finished + 1))
        submit_and_wait "warmup$warmups" "$warmup" "$finished"
        python3 -c "import sys; sys.exit(0 if $(jit_seconds) - $jit_before < $JIT_SETTLED else 1)" && break
    done
    finished=$((finished + 1))
    local jit_start; jit_start=$(jit_seconds)
    local node_cpu pg_before writes_before
    node_cpu=$(sum_cpu "${NODES[@]}"); pg_before=$(pg_cpu); writes_before=$(journal_writes)
    submit_and_wait bench "$trials" "$finished"
    node_cpu=$(python3 -c "print(round($(sum_cpu "${NODES[@]}") - $node_cpu, 2))")
    local pg_used; pg_used=$(python3 -c "print(round($(pg_cpu) - $pg_before, 2))")
    # created: .NET ticks (100 ns) when that large, else milliseconds
    psql_at "$db" "select round((max(created) filter (where manifest like 'trial-completed%') - min(created) filter (where manifest like 'trial-leased%'))
                                / (case when max(created) > 1e16 then 1e7 else 1e3 end), 3),
                          count(*) filter (where manifest like 'trial-completed%') from journal where persistence_id like '%-bench-%'" | tr '|' ' ' | tr '\n' ' '
    read -r writes_after_count writes_after_seconds < <(journal_writes)
    read -r writes_before_count writes_before_seconds <<<"$writes_before"
    python3 -c "print($writes_after_count - $writes_before_count, round($writes_after_seconds - $writes_before_seconds, 3), end=' ')"
    python3 -c "print($warmups, round($(jit_seconds) - $jit_start, 2), end=' ')"
    echo "$node_cpu $pg_used"
    stop_nodes
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
# Where the time goes. persist ms: mean from the coordinator's persist call to the journal's confirmation (queueing
# behind the batch in flight included); waiting on journal: trials whose exchange waited for it, on average (Little's
# law: persist seconds ÷ run seconds); CPU ms per trial: the node processes' and PostgreSQL's CPU ÷ trials.
PROFILE_COLUMNS="persist ms | waiting on journal | node CPU ms/trial | PostgreSQL CPU ms/trial | warm-up searches | JIT s during the run"
profile_cells() { python3 -c "w, s, t, sec, n, pg = $1, $2, $3, $4, $5, $6; print(f'{1000 * s / max(w, 1):.1f} | {s / sec:.1f} | {1000 * n / t:.2f} | {1000 * pg / t:.2f} | $7 | $8')"; }
echo "| node processes | trainers | trials | seconds | durable trials/s | $PROFILE_COLUMNS | load before |" >"$WORK/throughput.md"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|" >>"$WORK/throughput.md"
for processes in 1 3; do
    before=$(load)
    read -r seconds completed persists persist_seconds warmups jit node_cpu pg_cpu_used < <(run "throughput_$processes" "$processes" 64 0ms "$THROUGHPUT_TRIALS" "$WARMUP_TRIALS")
    rate=$(python3 -c "print(round($completed / $seconds))")
    echo "throughput: $processes process(es), 64 trainers: $completed trials in $seconds s = $rate/s; $persists persists, $persist_seconds s; CPU nodes $node_cpu s, PostgreSQL $pg_cpu_used s"
    echo "| $processes | 64 | $completed | $seconds | $rate | $(profile_cells "$persists" "$persist_seconds" "$completed" "$seconds" "$node_cpu" "$pg_cpu_used" "$warmups" "$jit") | $before |" >>"$WORK/throughput.md"
done

echo "| node processes | trainers | trials | seconds | utilisation (trials × 0.2 s ÷ trainers × seconds) | $PROFILE_COLUMNS | load before |" >"$WORK/utilisation.md"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|" >>"$WORK/utilisation.md"
for processes in 1 3 6; do
    trainers=$((8 * processes))
    trials=$((trainers * UTILISATION_SECONDS * 5))
    before=$(load)
    read -r seconds completed persists persist_seconds warmups jit node_cpu pg_cpu_used < <(run "utilisation_$processes" "$processes" "$trainers" 200ms "$trials" $((trainers * 5)))
    utilisation=$(python3 -c "print(f'{100 * $completed * 0.2 / ($trainers * $seconds):.1f}%')")
    echo "utilisation: $processes process(es), $trainers trainers: $completed trials in $seconds s = $utilisation; $persists persists, $persist_seconds s; CPU nodes $node_cpu s, PostgreSQL $pg_cpu_used s"
    echo "| $processes | $trainers | $completed | $seconds | $utilisation | $(profile_cells "$persists" "$persist_seconds" "$completed" "$seconds" "$node_cpu" "$pg_cpu_used" "$warmups" "$jit") | $before |" >>"$WORK/utilisation.md"
done

# PROJECTION: a table `nas bench projection` wrote earlier (it needs no PostgreSQL and may run beside this script).
if [ -n "${PROJECTION:-}" ]; then cp "$PROJECTION" "$WORK/projection.md"
else "${NAS[@]}" bench projection --trainers 1000,10000 --rounds 2 --trial-minutes 10 --lease-seconds 600 --out "$WORK/projection.md"; fi

{
    echo "# Cluster throughput and utilisation (nas node processes, PostgreSQL)"
    echo
    echo "Command: \`bench/cluster.sh\` (THROUGHPUT_TRIALS=$THROUGHPUT_TRIALS, UTILISATION_SECONDS=$UTILISATION_SECONDS, WARMUP_TRIALS=$WARMUP_TRIALS, MAX_WARMUPS=$MAX_WARMUPS, JIT_SETTLED=$JIT_SETTLED, CONFIGURATION=$CONFIGURATION)  "
    echo "Each row's nodes first run untimed searches (WARMUP_TRIALS no-op trials each for throughput, 5 per trainer for utilisation) until one adds under JIT_SETTLED seconds of JIT compilation on all nodes together (at most MAX_WARMUPS), so the rows measure a warm cluster, not each process's tiered compilation; the figures are from the timed search's journal rows and the CPU used while it ran, and *JIT s during the run* is what compilation remained.  "
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), PostgreSQL $(basename "$(dirname "$PGBIN")") on loopback with fsync on; measured $(date -u +%Y-%m-%d) under \`nice -n 10\`, while other builds and tests shared the cores (the load average before each row is in its last column)."
    echo
    echo "## Durable trials per second (no-op trials: NAS_FAULTS=fake:0ms)"
    echo
    cat "$WORK/throughput.md"
    echo
    echo "## Trainer utilisation (trials that sleep 200 ms: NAS_FAULTS=fake:200ms; 8 trainers per process)"
    echo
    cat "$WORK/utilisation.md"
    echo
    echo "## Projection: one coordinator, 10-minute trials (virtual clock)"
    echo
    cat "$WORK/projection.md"
} >"$OUT.new"
mv "$OUT.new" "$OUT"
echo "written: $OUT"
