#!/usr/bin/env bash
# Runs the cross-process workloads with shm and its peers in one run and writes the tables into
# perf/RESULTS.md. Builds what it needs (the Java modules, the C reference). Options:
#   --quick    fewer iterations (a few minutes at most)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_built
if [ ! -f "$ROOT/perf/target/benchmarks.jar" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
mkdir -p "$ROOT/perf/target"
SHMREF="$ROOT/perf/target/shmref"
if [ ! -x "$SHMREF" ] || [ "$ROOT/perf/src/main/c/shmref.c" -nt "$SHMREF" ]; then
    echo "compiling the C reference (gcc -O2 -pthread)..." >&2
    gcc -O2 -Wall -pthread -o "$SHMREF" "$ROOT/perf/src/main/c/shmref.c"
fi
PEERS=()
if command -v python3 >/dev/null 2>&1; then
    PEERS=(--python-peers "$ROOT/perf/src/main/python/mp_peers.py")
else
    echo "python3 not found: Python multiprocessing peers are skipped" >&2
fi
cd "$ROOT"
exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$ROOT/perf/target/benchmarks.jar" io.shm.perf.xproc.PerfHarness \
    --shmref "$SHMREF" "${PEERS[@]}" --results "$ROOT/perf/RESULTS.md" "$@"
