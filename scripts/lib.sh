# Shared by the scripts: the repository root, a build when one is missing, and the java command line.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Agrona 2.x needs jdk.internal.misc opened; every JVM that maps a segment gets this.
JVM_FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED)

# Builds the modules (without tests) unless their classes and the examples' class path are there.
ensure_built() {
    if [ ! -f "$ROOT/shm-examples/target/classpath.txt" ] || [ ! -d "$ROOT/shm-examples/target/classes" ] \
        || [ -n "$(find "$ROOT" -path '*/src/main/*' -newer "$ROOT/shm-examples/target/classpath.txt" -print -quit)" ]; then
        echo "building shm (mvn -B -q -DskipTests package)..." >&2
        (cd "$ROOT" && mvn -B -q -DskipTests package) >&2
        touch "$ROOT/shm-examples/target/classpath.txt"
    fi
}

# The class path of the examples: their classes, the other modules' classes, and the dependencies.
examples_classpath() {
    echo "$ROOT/shm-examples/target/classes:$ROOT/shm-sync/target/classes:$ROOT/shm-core/target/classes:$(cat "$ROOT/shm-examples/target/classpath.txt")"
}
