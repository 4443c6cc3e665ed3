#!/usr/bin/env bash
# bench/assume-role.sh: AssumeRole throughput and latency of a running `./sts up` cluster, the
# checks an internal service makes with a warm session token (ValidateSessionToken, Authorize), and
# Keycloak's client-credentials issuance and introspection beside it, on the same machine and Java.
#
#   ./sts up                                   # the cluster to measure (JAVA_HOME picks its Java)
#   bench/assume-role.sh [options]
#
# Options (defaults in brackets):
#   --runs N             measured runs per target; the table shows their median [3]
#   --duration S         seconds per measured run [20]
#   --warmup S           seconds of load before the first measured run of each target [30]
#   --connections N      h2load connections [4]
#   --streams N          concurrent requests per connection (h2c streams; Keycloak: connections x N
#                        HTTP/1.1 connections) [16]
#   --rate N             also a fixed-rate run at N requests/s for its p99 (0: none) [1000]
#   --rate-warmup S      seconds at that rate, not measured, before the fixed-rate run [10]: it
#                        follows the saturating AssumeRole runs, and for about 20 s after those the
#                        p50 is 3.0-3.2 ms instead of 1.9-2.3 (docs/adr/032)
#   --jfr                during the fixed-rate run, record token-service with JFR (settings=profile)
#                        and print its GC pauses and CPU samples by thread and area of code
#   --no-checks          skip ValidateSessionToken / Authorize
#   --no-keycloak        sts only
#   --keycloak-only      Keycloak only (needs the cluster's PostgreSQL)
#   --keep-keycloak      leave Keycloak running afterwards
#
# Needs h2load (Debian: apt-get install nghttp2-client). The load generator is calibrated first:
# a trivial RPC (GetCallerIdentity) must go much faster than the target, or the numbers measure
# h2load. h2load counts HTTP statuses only, and a gRPC error is an HTTP 200 with a grpc-status
# trailer; success is therefore counted from the session-event topic (every credential token-service
# hands out has a SessionIssued record, stored before the answer) and by a grpc-java client.
# ValidateSessionToken and Authorize send one fixed token (assumed once, 1 h) as the admin
# credential; a grpc-java client checks afterwards that they answer OK and Allow. During the
# fixed-rate run the CPU time of every cluster process is read from /proc, so the output says which
# process had the cores (the audit pipeline, Kafka and PostgreSQL share them with token-service).
#
# Environment: the ./sts variables (STS_STATE_DIR, STS_ROLE_PORT, STS_TOKEN_PORT, STS_PG_PORT,
# STS_KAFKA_PORT, STS_ACCOUNT_ID); KC_PORT [18080], KC_MANAGEMENT_PORT [19000];
# BENCH_JAVA_HOME: the Java Keycloak runs on [the Java of the running token-service].
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
root=$PWD

runs=3 duration=20 warmup=30 conns=4 streams=16 rate=1000 rate_warmup=10
do_sts=true do_kc=true keep_kc=false do_jfr=false do_checks=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --connections) conns=$2; shift ;;
    --streams) streams=$2; shift ;;
    --rate) rate=$2; shift ;;
    --rate-warmup) rate_warmup=$2; shift ;;
    --no-keycloak) do_kc=false ;;
    --keycloak-only) do_sts=false ;;
    --keep-keycloak) keep_kc=true ;;
    --jfr) do_jfr=true ;;
    --no-checks) do_checks=false ;;
    -h|--help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "bench: $*" >&2; exit 1; }
command -v h2load >/dev/null || die "h2load not found: apt-get install -y nghttp2-client"

state=${STS_STATE_DIR:-$root/.sts}
prop() { sed -n "s/^$1=//p" "$state/cluster.properties" 2>/dev/null | head -n1; }
role_port=${STS_ROLE_PORT:-$(prop role-service.port)}; role_port=${role_port:-8081}
token_port=${STS_TOKEN_PORT:-$(prop token-service.port)}; token_port=${token_port:-8082}
pg_port=${STS_PG_PORT:-$(prop postgres.port)}; pg_port=${pg_port:-15432}
kafka_port=${STS_KAFKA_PORT:-$(prop kafka.port)}; kafka_port=${kafka_port:-19092}
account=${STS_ACCOUNT_ID:-$(prop account.id)}; account=${account:-000000000000}
kc_port=${KC_PORT:-18080}
kc_mgmt_port=${KC_MANAGEMENT_PORT:-19000}
work=$state/bench
mkdir -p "$work"
role_arn="arn:aws:iam::$account:role/BenchRole"

# --- the Java of the running token-service (Keycloak runs on the same one) ----------------------
token_pid=$(cat "$state/pids/token-service.pid" 2>/dev/null || true)
if [[ -n "$token_pid" && -e /proc/$token_pid/exe ]]; then
  service_java=$(readlink -f "/proc/$token_pid/exe")
elif $do_sts; then
  die "token-service is not running (start the cluster with ./sts up)"
else
  service_java=$(command -v java)
fi
kc_java_home=${BENCH_JAVA_HOME:-$(dirname "$(dirname "$service_java")")}
java_version() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.\(vm\.vendor\|runtime\.version\) = //p' | tac | paste -sd' '; }

# --- the helper jar (bench/pom.xml) ----------------------------------------------------------------
helper_jar=$(ls bench/target/sts-bench-*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -n1 || true)
if [[ -z "$helper_jar" || ! -d bench/target/lib ]]; then
  echo "building bench helpers (./mvnw -o -pl bench -am package)..."
  ./mvnw -B -o -q -pl bench -am package -DskipTests >/dev/null || die "build of bench/ failed"
  helper_jar=$(ls bench/target/sts-bench-*.jar | grep -v -- '-sources\|-tests' | head -n1)
fi
helper() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$helper_jar:bench/target/lib/*" dev.sts.bench.BenchTool "$@"; }

# --- h2load runs -----------------------------------------------------------------------------------
# p50/p99 in ms from h2load's --log-file (start µs, status, duration µs per request).
percentiles() {
  sort -t$'\t' -k3,3n "$1" | awk -F'\t' '{d[NR]=$3} END {
    if (NR == 0) { print "- -"; exit }
    i50 = int(NR*0.50); if (i50 < 1) i50 = 1; i99 = int(NR*0.99); if (i99 < 1) i99 = 1;
    printf "%.1f %.1f\n", d[i50]/1000, d[i99]/1000 }'
}
# h2load_run NAME LOG ARGS... -> prints "req/s total 2xx" on stdout, keeps h2load's output in $work
h2load_run() {
  local name=$1 log=$2; shift 2
  local out=$work/$name.h2load.txt
  # h2load appends to an existing log file: without this, a second bench run's percentiles would
  # include the first run's requests.
  [[ -n "$log" ]] && rm -f "$log"
  h2load "$@" ${log:+--log-file="$log"} >"$out" 2>&1 || { cat "$out" >&2; die "h2load failed ($name)"; }
  local rps total ok
  rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$out")
  total=$(sed -n 's/^requests: \([0-9]*\) total.*/\1/p' "$out")
  ok=$(sed -n 's/^status codes: \([0-9]*\) 2xx.*/\1/p' "$out")
  echo "${rps:-0} ${total:-0} ${ok:-0}"
}
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

rows=()
row() { rows+=("$(printf '| %-44s | %9s | %8s | %8s | %s |' "$@")"); }
print_rows() {
  printf '| %-44s | %9s | %8s | %8s | %s |\n' "what" "req/s" "p50 ms" "p99 ms" "success"
  printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "-----------" "----------" "----------" "--------"
  printf '%s\n' "${rows[@]}"
}

# Measures one target: warm-up, then $runs runs; adds the median row. Success per run from $3 (a
# command printing "ok total"), or h2load's 2xx count when empty.
measure() {
  local label=$1 name=$2 success_cmd=$3; shift 3
  echo "  $label: warm-up ${warmup}s" >&2
  h2load_run "$name-warmup" "" -D "$warmup" "$@" >/dev/null
  local r rps_all=() p50_all=() p99_all=() succ_all=()
  for r in $(seq 1 "$runs"); do
    uptime_now=$(cut -d' ' -f1-3 /proc/loadavg)
    [[ -n "$success_cmd" ]] && helper snapshot --bootstrap "127.0.0.1:$kafka_port" --out "$work/offsets" >/dev/null
    read -r rps total ok < <(h2load_run "$name-$r" "$work/$name-$r.log" -D "$duration" "$@")
    read -r p50 p99 < <(percentiles "$work/$name-$r.log")
    local success="$ok/$total HTTP 2xx"
    if [[ -n "$success_cmd" ]]; then success="$($success_cmd) of $total requests"; fi
    echo "    run $r: $rps req/s, p50 $p50 ms, p99 $p99 ms, $success (load before: $uptime_now)" >&2
    rps_all+=("$rps"); p50_all+=("$p50"); p99_all+=("$p99"); succ_all+=("$success")
  done
  row "$label" "$(median "${rps_all[@]}")" "$(median "${p50_all[@]}")" "$(median "${p99_all[@]}")" \
    "${succ_all[$((runs / 2))]}"
}
# CPU seconds (user + system, with reaped children) of a process and its live descendants.
tree_cpu() {
  local pid=$1 hz total=0 p
  hz=$(getconf CLK_TCK)
  for p in $pid $(ps -o pid= --ppid "$pid" 2>/dev/null; for c in $(ps -o pid= --ppid "$pid" 2>/dev/null); do ps -o pid= --ppid "$c" 2>/dev/null; done); do
    [[ -r /proc/$p/stat ]] || continue
    total=$(( total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13 + $14 + $15}') ))
  done
  echo "$total $hz" | awk '{printf "%.2f\n", $1 / $2}'
}
# cpu_snapshot FILE: "name cpu-seconds" per cluster process, and the machine's busy CPU seconds.
cpu_snapshot() {
  local f name
  : >"$1"
  for f in "$state"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    name=$(basename "$f" .pid)
    kill -0 "$(cat "$f")" 2>/dev/null && echo "$name $(tree_cpu "$(cat "$f")")" >>"$1"
  done
  awk '/^cpu / {printf "machine %.2f\n", ($2 + $3 + $4 + $7 + $8) / '"$(getconf CLK_TCK)"'}' /proc/stat >>"$1"
  echo "wall $(date +%s.%N)" >>"$1"
}
# cpu_report BEFORE AFTER: each process's share of the machine's cores between the two snapshots.
cpu_report() {
  local cores; cores=$(nproc)
  join <(sort "$1") <(sort "$2") | awk -v n="$cores" '
    { d[$1] = $3 - $2 }
    END {
      line = ""; sum = 0; s = d["wall"]
      for (k in d) if (k != "machine" && k != "wall") { line = line sprintf("%s %.0f%%, ", k, 100 * d[k] / (s * n)); sum += d[k] }
      printf "%sother processes (h2load, anything else on the machine) %.0f%%, idle %.0f%% (of %d cores x %.1f s)\n",
        line, 100 * (d["machine"] - sum) / (s * n), 100 - 100 * d["machine"] / (s * n), n, s }'
}
issued_count() {
  helper count --bootstrap "127.0.0.1:$kafka_port" --since "$work/offsets" --role-arn "$role_arn"
}

echo "== machine"
echo "cores: $(nproc); cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sts services' java: $service_java ($(java_version "$service_java"))"
echo "h2load: $(h2load --version | head -n1); c=$conns m=$streams; runs=$runs x ${duration}s after ${warmup}s warm-up"

if $do_sts; then
  echo "== sts (token-service 127.0.0.1:$token_port)"
  helper prepare --roles "127.0.0.1:$role_port" --tokens "127.0.0.1:$token_port" \
    --admin-token "$state/credentials/admin.token" --caller-token "$state/credentials/ec2.token" \
    --account "$account" --out "$work" | sed 's/^/  /'
  grpc_headers=(-H 'content-type: application/grpc' -H 'te: trailers'
    -H "authorization: Bearer $(tr -d '\n' <"$state/credentials/ec2.token")")
  h2c=(-c "$conns" -m "$streams" -t 1 "${grpc_headers[@]}")
  measure "calibration: GetCallerIdentity (trivial RPC)" calib "" \
    "${h2c[@]}" -d "$work/get-caller-identity.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/GetCallerIdentity"
  measure "sts AssumeRole" assume issued_count \
    "${h2c[@]}" -d "$work/assume-role.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/AssumeRole"
  if [[ "$rate" -gt 0 ]]; then
    per_client=$(( (rate + conns - 1) / conns ))
    if [[ "$rate_warmup" -gt 0 ]]; then
      echo "  fixed $rate/s: warm-up ${rate_warmup}s at that rate" >&2
      h2load_run assume-rate-warmup "" -D "$rate_warmup" --rps "$per_client" \
        "${h2c[@]}" -d "$work/assume-role.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/AssumeRole" >/dev/null
    fi
    helper snapshot --bootstrap "127.0.0.1:$kafka_port" --out "$work/offsets" >/dev/null
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    if $do_jfr; then
      rm -f "$work/token-service-rate.jfr"
      "$(dirname "$service_java")/jcmd" "$token_pid" JFR.start name=bench-rate settings=profile \
        duration="${duration}s" filename="$work/token-service-rate.jfr" >/dev/null
    fi
    cpu_snapshot "$work/cpu-before"
    read -r rps total ok < <(h2load_run assume-rate "$work/assume-rate.log" -D "$duration" --rps "$per_client" \
      "${h2c[@]}" -d "$work/assume-role.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/AssumeRole")
    cpu_snapshot "$work/cpu-after"
    read -r p50 p99 < <(percentiles "$work/assume-rate.log")
    issued=$(issued_count)
    echo "  fixed $rate/s: $rps req/s, p50 $p50 ms, p99 $p99 ms, $issued of $total requests (load before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "  CPU during the fixed-rate run: $(cpu_report "$work/cpu-before" "$work/cpu-after")"
    row "sts AssumeRole at a fixed $rate/s" "$rps" "$p50" "$p99" "$issued of $total requests"
    if $do_jfr; then
      for _ in $(seq 1 30); do [[ -s "$work/token-service-rate.jfr" ]] && break; sleep 1; done
      if [[ -s "$work/token-service-rate.jfr" ]]; then
        # Read with the Java that wrote it.
        "$service_java" -cp "$helper_jar:bench/target/lib/*" dev.sts.bench.BenchTool jfr-breakdown \
          "$work/token-service-rate.jfr" | sed 's/^/  /'
      else
        echo "  (no JFR recording was written)"
      fi
    fi
  fi
  # One call at a time: the latency of an AssumeRole on an otherwise idle service.
  helper snapshot --bootstrap "127.0.0.1:$kafka_port" --out "$work/offsets" >/dev/null
  read -r rps total ok < <(h2load_run assume-serial "$work/assume-serial.log" -D 10 -c 1 -m 1 -t 1 \
    "${grpc_headers[@]}" -d "$work/assume-role.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/AssumeRole")
  read -r p50 p99 < <(percentiles "$work/assume-serial.log")
  issued=$(issued_count)
  echo "  one call at a time: $rps req/s, p50 $p50 ms, p99 $p99 ms, $issued of $total requests (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
  row "sts AssumeRole, one call at a time" "$rps" "$p50" "$p99" "$issued of $total requests"
  helper check --tokens "127.0.0.1:$token_port" --caller-token "$state/credentials/ec2.token" \
    --body "$work/assume-role.bin" --calls 500 | sed 's/^/  /'

  if $do_checks; then
    # The checks an internal service makes per request it serves, for one warm token: the verified-
    # token cache (ADR 014) answers after the first verification, so these measure the cache, the
    # revocation check, the caller's own authentication and, for Authorize, the policy engine.
    helper prepare-session --roles "127.0.0.1:$role_port" --tokens "127.0.0.1:$token_port" \
      --admin-token "$state/credentials/admin.token" --caller-token "$state/credentials/ec2.token" \
      --account "$account" --out "$work" | sed 's/^/  /'
    admin_h2c=(-c "$conns" -m "$streams" -t 1 -H 'content-type: application/grpc' -H 'te: trailers'
      -H "authorization: Bearer $(tr -d '\n' <"$state/credentials/admin.token")")
    measure "sts ValidateSessionToken, warm token" validate "" \
      "${admin_h2c[@]}" -d "$work/validate-session-token.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/ValidateSessionToken"
    measure "sts Authorize s3:GetObject, warm token" authorize "" \
      "${admin_h2c[@]}" -d "$work/authorize.bin" "http://127.0.0.1:$token_port/sts.v1.TokenService/Authorize"
    helper check-session --tokens "127.0.0.1:$token_port" --caller-token "$state/credentials/admin.token" \
      --out "$work" --calls 200 | sed 's/^/  /'
  fi
fi

if $do_kc; then
  kc_version=26.5.6
  kc_home=$work/keycloak-$kc_version
  if [[ ! -x "$kc_home/bin/kc.sh" ]]; then
    zip=$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$kc_version/keycloak-quarkus-dist-$kc_version.zip
    if [[ ! -f "$zip" ]]; then
      echo "downloading Keycloak $kc_version (Maven Central)..."
      ./mvnw -B -q -f proto/pom.xml dependency:copy \
        -Dartifact=org.keycloak:keycloak-quarkus-dist:$kc_version:zip -DoutputDirectory="$work" >/dev/null \
        || die "could not download org.keycloak:keycloak-quarkus-dist:$kc_version:zip"
      zip=$work/keycloak-quarkus-dist-$kc_version.zip
    fi
    (cd "$work" && rm -rf "keycloak-$kc_version" && unzip -q "$zip")
  fi
  echo "== Keycloak $kc_version (127.0.0.1:$kc_port, production mode, PostgreSQL database keycloak)"
  echo "Keycloak's java: $kc_java_home/bin/java ($(java_version "$kc_java_home/bin/java"))"
  helper create-database --port "$pg_port" --name keycloak | sed 's/^/  /'
  kc_pid_file=$work/keycloak.pid
  stop_kc() {
    if [[ -f "$kc_pid_file" ]]; then
      kill -- "-$(cat "$kc_pid_file")" 2>/dev/null || kill "$(cat "$kc_pid_file")" 2>/dev/null || true
      rm -f "$kc_pid_file"
    fi
  }
  $keep_kc || trap stop_kc EXIT
  if [[ -f "$kc_pid_file" ]] && kill -0 "$(cat "$kc_pid_file")" 2>/dev/null; then
    echo "  Keycloak already running (pid $(cat "$kc_pid_file"))"
  else
    # The bootstrap admin is created on Keycloak's first start only: one password per database.
    if [[ ! -s "$work/keycloak-admin.password" ]]; then
      head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$work/keycloak-admin.password"
    fi
    kc_admin_password=$(cat "$work/keycloak-admin.password")
    JAVA_HOME=$kc_java_home KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$kc_admin_password \
      JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
      setsid "$kc_home/bin/kc.sh" start --db postgres --db-url "jdbc:postgresql://127.0.0.1:$pg_port/keycloak" \
      --db-username postgres --db-password postgres --http-enabled true --http-host 127.0.0.1 \
      --http-port "$kc_port" --hostname-strict false --health-enabled true \
      --http-management-port "$kc_mgmt_port" >"$work/keycloak.log" 2>&1 &
    echo $! >"$kc_pid_file"
    echo "  starting Keycloak (log $work/keycloak.log)..."
    for _ in $(seq 1 180); do
      curl -fs "http://127.0.0.1:$kc_mgmt_port/health/ready" >/dev/null 2>&1 && break
      kill -0 "$(cat "$kc_pid_file")" 2>/dev/null || { tail -20 "$work/keycloak.log"; die "Keycloak exited"; }
      sleep 1
    done
    curl -fs "http://127.0.0.1:$kc_mgmt_port/health/ready" >/dev/null || die "Keycloak not ready after 180 s"
  fi
  kc_admin_password=$(cat "$work/keycloak-admin.password")
  kcadm() { JAVA_HOME=$kc_java_home "$kc_home/bin/kcadm.sh" "$@"; }
  kcadm config credentials --server "http://127.0.0.1:$kc_port" --realm master --user admin \
    --password "$kc_admin_password" --config "$work/kcadm.config" >/dev/null 2>&1
  if ! kcadm get realms/bench --config "$work/kcadm.config" >/dev/null 2>&1; then
    # ES256 as the realm's default signature, from an ecdsa-generated P-256 key provider.
    kcadm create realms --config "$work/kcadm.config" -s realm=bench -s enabled=true \
      -s defaultSignatureAlgorithm=ES256 -s accessTokenLifespan=3600 >/dev/null 2>&1
    realm_id=$(kcadm get realms/bench --config "$work/kcadm.config" --fields id --format csv --noquotes)
    kcadm create components --config "$work/kcadm.config" -r bench -s name=es256 -s providerId=ecdsa-generated \
      -s providerType=org.keycloak.keys.KeyProvider -s parentId="$realm_id" \
      -s 'config.priority=["200"]' -s 'config.ecdsaEllipticCurveKey=["P-256"]' \
      -s 'config.ecGenerateCertificate=["true"]' >/dev/null 2>&1
    kcadm create clients --config "$work/kcadm.config" -r bench -s clientId=bench -s enabled=true \
      -s publicClient=false -s serviceAccountsEnabled=true -s standardFlowEnabled=false \
      -s directAccessGrantsEnabled=false -s secret=bench-secret >/dev/null 2>&1
    echo "  realm bench: ES256 key provider, confidential client bench (client credentials)"
  fi
  token_url="http://127.0.0.1:$kc_port/realms/bench/protocol/openid-connect/token"
  printf 'grant_type=client_credentials&client_id=bench&client_secret=bench-secret' >"$work/kc-token.body"
  access_token=$(curl -fs -d @"$work/kc-token.body" "$token_url" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [[ -n "$access_token" ]] || die "Keycloak issued no client-credentials token"
  alg=$(printf '%s' "${access_token%%.*}" | tr '_-' '/+' | base64 -d 2>/dev/null | sed -n 's/.*"alg":"\([^"]*\)".*/\1/p' || true)
  echo "  token header alg: ${alg:-unknown}"
  printf 'token=%s&client_id=bench&client_secret=bench-secret' "$access_token" >"$work/kc-introspect.body"
  curl -fs -d @"$work/kc-introspect.body" "$token_url/introspect" | grep -q '"active":true' \
    || die "Keycloak's introspection does not answer active for its own token"
  http1=(-p http/1.1 -c $((conns * streams)) -m 1 -t 1 -H 'content-type: application/x-www-form-urlencoded')
  measure "Keycloak client_credentials token ($alg)" kc-token "" "${http1[@]}" -d "$work/kc-token.body" "$token_url"
  measure "Keycloak token introspection" kc-introspect "" "${http1[@]}" -d "$work/kc-introspect.body" "$token_url/introspect"
fi

echo "== results (median of $runs runs of ${duration}s; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
print_rows
cat <<EOF
Targets (issue 8; PostgreSQL, Kafka, all three services and the audit pipeline on this machine):
  AssumeRole at least 2,500/s; p99 at most 10 ms at a fixed 1,000/s;
  ValidateSessionToken and Authorize at least 20,000/s for a warm token.
The calibration row must be far above every other row, or h2load is the limit. A load average
above 2 before a run means other processes shared the two cores (see each run's line above).
EOF
