#!/usr/bin/env bash
# Creates the sts Kafka topics. Idempotent (--if-not-exists): safe to run on every start.
# Runs in the apache/kafka image (compose one-shot `topic-init`; Kubernetes Job in
# deploy/components/kafka-topics, which holds a copy that deploy/check.sh keeps identical).
#
# The topics and their settings are those of the one topic specification,
# service-kit's dev.sts.kit.events.Topics; a test (TopicScriptsTest in local-cluster) fails if
# the `topic` lines below differ from it. Replication belongs to the cluster, not the topic:
#
#   KAFKA_BOOTSTRAP_SERVERS        required, e.g. kafka:9092
#   STS_TOPIC_REPLICATION_FACTOR   default 1 (use 3 on a real cluster)
#   STS_TOPIC_MIN_INSYNC_REPLICAS  default 1 (use 2 with replication factor 3, so acks=all
#                                  means two copies before a SessionIssued is acknowledged)
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS is required}"
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

# topic NAME PARTITIONS CLEANUP_POLICY RETENTION_MS [MIN_COMPACTION_LAG_MS]
# (RETENTION_MS - : kept until superseded, for compaction; MIN_COMPACTION_LAG_MS: how long a
# superseded record of a compacted topic stays readable)
topic() {
  local name="$1" partitions="$2" cleanup="$3" retention="$4" lag="${5:-}"
  local configs=(--config "cleanup.policy=${cleanup}" --config "min.insync.replicas=${min_isr}")
  if [ "${retention}" != "-" ]; then
    configs+=(--config "retention.ms=${retention}")
  fi
  if [ -n "${lag}" ]; then
    configs+=(--config "min.compaction.lag.ms=${lag}")
  fi
  "${topics_cmd}" --bootstrap-server "${bootstrap}" --create --if-not-exists \
    --topic "${name}" --partitions "${partitions}" --replication-factor "${replication}" "${configs[@]}"
}
# Role changes; key: role or policy ARN. One audit hash chain per partition.
topic sts.role-events.v1 3 delete 604800000
# SessionIssued / denials, published with acks=all before credentials are returned.
topic sts.session-events.v1 3 delete 604800000
# Compacted: the latest revocation per key is kept for every token-service replica to replay; a
# revocation replaced by its tombstone stays readable 7 days, for audit-service to record it.
topic sts.revocations.v1 3 compact - 604800000
# Compacted: the current state of every role and customer-managed policy (the permission view).
topic sts.permission-state.v1 3 compact -
# Events audit-service could not store, with the reason: a gap in the audit trail, kept a year.
topic sts.audit-dead-letter.v1 3 delete 31536000000
# Signed heads of the audit hash chains (JWS), to anchor them outside the audit database; a year.
topic sts.audit-checkpoints.v1 3 delete 31536000000

"${topics_cmd}" --bootstrap-server "${bootstrap}" --describe \
  --topic 'sts\..*' 2>/dev/null | grep -E '^Topic:' || true
echo "sts: topics ready"
