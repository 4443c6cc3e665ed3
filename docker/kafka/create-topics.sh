#!/usr/bin/env bash
# Creates the sts Kafka topics. Idempotent (--if-not-exists): safe to run on every start.
# Runs in the apache/kafka image (compose one-shot `topic-init`; Kubernetes Job in
# deploy/components/kafka-topics, which holds a copy that deploy/check.sh keeps identical).
#
#   KAFKA_BOOTSTRAP_SERVERS        required, e.g. kafka:9092
#   STS_TOPIC_PARTITIONS           default 3
#   STS_TOPIC_REPLICATION_FACTOR   default 1 (use 3 on a real cluster)
#   STS_TOPIC_MIN_INSYNC_REPLICAS  default 1 (use 2 with replication factor 3, so acks=all
#                                  means two copies before a SessionIssued is acknowledged)
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS is required}"
partitions="${STS_TOPIC_PARTITIONS:-3}"
replication="${STS_TOPIC_REPLICATION_FACTOR:-1}"
min_isr="${STS_TOPIC_MIN_INSYNC_REPLICAS:-1}"
topics_cmd="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"

attempt=1
until "${topics_cmd}" --bootstrap-server "${bootstrap}" --list >/dev/null 2>&1; do
  if [ "${attempt}" -ge 30 ]; then
    echo "sts: Kafka at ${bootstrap} not reachable after ${attempt} attempts" >&2
    exit 1
  fi
  echo "sts: waiting for Kafka at ${bootstrap} (attempt ${attempt})"
  attempt=$((attempt + 1))
  sleep 2
done

create() {
  local topic="$1"; shift
  "${topics_cmd}" --bootstrap-server "${bootstrap}" --create --if-not-exists \
    --topic "${topic}" --partitions "${partitions}" --replication-factor "${replication}" \
    --config "min.insync.replicas=${min_isr}" "$@"
}
# Key: role ARN. One audit hash chain per partition.
create sts.role-events.v1
# SessionIssued / denials, published with acks=all before credentials are returned.
create sts.session-events.v1
# Compacted: the latest revocation per key is kept for every token-service replica to replay.
create sts.revocations.v1 --config cleanup.policy=compact

"${topics_cmd}" --bootstrap-server "${bootstrap}" --describe \
  --topic 'sts\..*' 2>/dev/null | grep -E '^Topic:' || true
echo "sts: topics ready"
