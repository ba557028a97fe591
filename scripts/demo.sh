#!/usr/bin/env bash
# A short tour, each step as separate JVM processes sharing a segment: the FloatChannel (arrays of
# doubles through a ring-buffer channel), a robust lock whose holder is killed, and the counter
# with and without a lock. Builds first if needed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_built
exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$(examples_classpath)" io.shm.examples.Examples --tour
