# Sourced by the benchmark scripts: start_service HTTP_PORT PG_PORT [VAR=value ...] starts a copy of the packaged
# service (built first if missing) on a fresh embedded PostgreSQL in a temporary folder, with the extra settings
# given as environment assignments (the Hawtio console off: it is not measured, and its fixed port 8054 would keep
# a second benchmark or a running service from starting), and waits until /health says healthy. It uses WORK (made
# if unset, so a caller can name files in it before the call) for service.log and postgres/, and sets PID (the
# service's JVM); at exit the service is stopped and WORK removed.
start_service() {
  local port=$1 pg_port=$2
  shift 2
  local jar=target/pattern-traceability.jar
  [ -f "$jar" ] || ./mvnw -q -B package -DskipTests
  WORK=${WORK:-$(mktemp -d)}
  cp "$jar" "$WORK/service.jar"
  env TRACEABILITY_HTTP_PORT="$port" TRACEABILITY_HTTP_HOST=127.0.0.1 TRACEABILITY_DB_EMBEDDED_PORT="$pg_port" \
    TRACEABILITY_DB_EMBEDDED_DATA_DIR="$WORK/postgres" TRACEABILITY_DB_URL_EXTERNAL= \
    TRACEABILITY_CONSOLE_ENABLED=false "$@" \
    java -jar "$WORK/service.jar" > "$WORK/service.log" 2>&1 &
  PID=$!
  # || true: under set -e a JVM ended by SIGTERM (status 143) would stop the trap before the folder is removed
  trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
  for _ in $(seq 240); do
    curl -fs "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '^{"status":"healthy"' && return 0
    sleep 0.5
  done
}

# ensure_database ADMIN_URL DB_URL creates the database DB_URL names (on the server ADMIN_URL reaches) if it is missing:
# for the benchmarks that keep a seeded database on a PostgreSQL of their own between runs.
ensure_database() {
  local name=${2##*/}
  psql -qAt "$1" -c "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || psql -q "$1" -c "CREATE DATABASE $name"
}
