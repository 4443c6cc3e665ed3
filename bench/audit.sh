#!/usr/bin/env bash
# bench/audit.sh: the audit trail at volume, against a running `./sts up` cluster (ADR 022).
#
#   ./sts up                       # the cluster to measure
#   bench/audit.sh [options]
#
# Phases, each printing RESULT lines with the load average beside them:
#   ingest   --events N session events (default 1,000,000) produced to sts.session-events.v1 as
#            fast as an acks=all producer goes; audit-service's sts_audit_records_stored_total
#            (/q/metrics), sampled every second, gives the sustained ingest rate, hash chain and
#            indexes included (target >= 10,000 events/s). Also the CPU time per event of
#            audit-service, PostgreSQL, Kafka and the load generator, which a busy machine inflates
#            far less than wall time: 2 cores / CPU per event bounds the rate on an idle machine. The events stay: after a default run the
#            log holds at least 1,000,000 records for the next phases.
#   latency  --rate N events/s (default 10,000) for --latency-seconds S (default 30), with a probe
#            event every 20 ms: broker acknowledgement -> first LookupEvents answer containing it
#            (p50/p99; target p99 <= 1 s under that load). The reader tails each partition's
#            probes every 50 ms (only those not seen yet), so a latency is overstated by up to 50 ms.
#            First --warmup-seconds S (default 10) at a fifth of the rate, not measured, then until
#            audit-service has no lag: the generator's own JIT warm-up would otherwise leave a
#            backlog that the measured run inherits. Prints p50/max per 5 s window as well.
#   lookup   LookupEvents with filters over everything stored, 20 pages of 50 each: ms per page
#            (target <= 50 ms).
#   verify   VerifyChain over the whole log: seconds.
# Options: --events N, --rate N, --latency-seconds S, --warmup-seconds S, --pages N, --skip ingest,latency,lookup,verify
#
# The load generator runs on the same machine and costs CPU there; the load average is printed so
# that a number measured on a busy machine is recognised as such. Measure on a quiet machine.
# Environment: the ./sts variables (STS_STATE_DIR, STS_AUDIT_PORT, STS_KAFKA_PORT).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
root=$PWD
die() { echo "bench: $*" >&2; exit 1; }
case "${1:-}" in -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

state=${STS_STATE_DIR:-$root/.sts}
prop() { sed -n "s/^$1=//p" "$state/cluster.properties" 2>/dev/null | head -n1; }
audit_port=${STS_AUDIT_PORT:-$(prop audit-service.port)}; audit_port=${audit_port:-8083}
kafka_port=${STS_KAFKA_PORT:-$(prop kafka.port)}; kafka_port=${kafka_port:-19092}
token_file=$state/credentials/admin.token
[[ -f $token_file ]] || die "no $token_file: start the cluster with ./sts up"
curl -fsS "http://127.0.0.1:$audit_port/q/health/ready" >/dev/null 2>&1 \
  || die "audit-service on port $audit_port is not ready (./sts status)"

helper_jar=$(ls bench/target/sts-bench-*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -n1 || true)
if [[ -z "$helper_jar" || ! -d bench/target/lib ]]; then
  echo "building bench helpers (./mvnw -o -pl bench -am package)..."
  ./mvnw -B -o -q -pl bench -am package -DskipTests >/dev/null || die "build of bench/ failed"
  helper_jar=$(ls bench/target/sts-bench-*.jar | grep -v -- '-sources\|-tests' | head -n1)
fi

echo "audit benchmark: $(date -u +%FT%TZ), $(nproc) cores, $(uname -sr)"
echo "audit-service: port $audit_port, pid $(cat "$state/pids/audit-service.pid" 2>/dev/null || echo '?');" \
  "max-poll-records ${STS_AUDIT_CONSUMER_MAX_POLL_RECORDS:-default}"
pid_of() { local p; p=$(cat "$state/pids/$1.pid" 2>/dev/null || true); [[ -n $p ]] && echo "--pid $1=$p"; }
# PostgreSQL's server runs detached from its launcher: its postmaster (and backends below it).
postmaster() { local p; p=$(head -n1 "$state/postgres/postmaster.pid" 2>/dev/null || true); [[ -n $p ]] && echo "--pid postgres=$p"; }
# shellcheck disable=SC2046
exec java -Xmx1g -XX:+UseParallelGC -cp "$helper_jar:bench/target/lib/*" dev.sts.bench.BenchTool audit \
  --bootstrap "127.0.0.1:$kafka_port" --audit-port "$audit_port" --token-file "$token_file" \
  $(pid_of audit-service) $(pid_of kafka) $(postmaster) "$@"
