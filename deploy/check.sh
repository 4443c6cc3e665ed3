#!/usr/bin/env bash
# Offline validation of the deployment files; CI runs it. Needs no container engine or cluster.
#   1. docker-compose.yml resolves (Debian's docker-compose 1.29, installed if missing)
#   2. kustomize renders deploy/base and deploy/overlays/dev (kubectl's built-in kustomize)
#   3. the copies kustomize needs inside deploy/ equal their originals under docker/
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

if ! command -v docker-compose >/dev/null 2>&1; then
  step "installing Debian's docker-compose"
  if [ "$(id -u)" -ne 0 ]; then fail "docker-compose missing and not root: apt-get install docker-compose"; fi
  apt-get install -y -qq docker-compose >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null; } \
    || fail "could not install docker-compose"
  command -v docker-compose >/dev/null 2>&1 || fail "docker-compose still not on PATH"
fi
command -v kubectl >/dev/null 2>&1 || fail "kubectl not found (kubectl kustomize renders the manifests)"

step "docker-compose -f docker-compose.yml config -q"
docker-compose -f docker-compose.yml config -q || fail "docker-compose.yml is invalid"

for dir in deploy/base deploy/overlays/dev; do
  step "kubectl kustomize $dir"
  kubectl kustomize "$dir" >/dev/null || fail "kustomize could not render $dir"
done

# kustomize loads files only from inside a kustomization's folder, so these are copies.
step "copies in deploy/ match docker/"
while read -r original copy; do
  cmp -s "$original" "$copy" || fail "$copy differs from $original (copy it over again)"
done <<'PAIRS'
docker/postgres/init-databases.sh deploy/components/dev-postgres/init-databases.sh
docker/kafka/create-topics.sh deploy/components/kafka-topics/create-topics.sh
docker/dev-credentials/static-credentials deploy/overlays/dev/static-credentials
docker/dev-credentials/aws-key-ring deploy/overlays/dev/aws-key-ring
docker/dev-credentials/aws-access-keys deploy/overlays/dev/aws-access-keys
PAIRS

step "deployment files OK"
