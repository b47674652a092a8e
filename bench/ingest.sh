#!/usr/bin/env bash
# Ingest benchmark: events/s committed through single HTTP events (32 clients), HTTP batches of 1,000, an NDJSON
# inbox file, next to COPY of the same rows; then (full run) a 1,000,000-line file with the service heap at 256 MB.
# Starts its own service on free ports with temporary folders and stops it at the end. Prints a table.
# Usage: bench/ingest.sh [--quick] [--big] [--no-big] [--no-inbox] [--client=shared|per-thread]
#        (builds the jar first if it is missing; see bench/IngestBench.java for what each scenario measures)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/pattern-traceability.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
# Run against a copy of the jar: a rebuild during the run (mvn package rewrites target/) would otherwise pull
# classes out from under the benchmark's JVM. The program makes its own copy for the service processes.
SNAPSHOT=$(mktemp -d)
trap 'rm -rf "$SNAPSHOT"' EXIT
cp "$JAR" "$SNAPSHOT/pattern-traceability.jar"
touch -r "$JAR" "$SNAPSHOT/pattern-traceability.jar"
java -cp "$SNAPSHOT/pattern-traceability.jar" bench/IngestBench.java "$@"
