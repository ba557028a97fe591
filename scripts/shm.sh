#!/usr/bin/env bash
# Lists, shows and cleans up segments (builds first if needed).
#   scripts/shm.sh list  [--dir DIR]      segments: size, creator, processes attached, objects
#   scripts/shm.sh show  NAME [--dir DIR] a segment's objects
#   scripts/shm.sh clean [--dir DIR]      removes the segments no live process has open
#   scripts/shm.sh rm    NAME [--dir DIR] removes a segment's name
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_built
exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$(examples_classpath)" io.shm.cli.ShmTool "$@"
