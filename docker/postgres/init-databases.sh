#!/usr/bin/env bash
# Creates one database and one owning login role per service, on first start of an empty
# data directory (postgres image: /docker-entrypoint-initdb.d). Also used by the dev
# PostgreSQL of the Kubernetes dev overlay (deploy/components/dev-postgres holds a copy that
# deploy/check.sh keeps identical).
#
#   database  owner (default)   password variable (required)
#   roles     role_service      STS_ROLES_DB_PASSWORD    user: STS_ROLES_DB_USER
#   tokens    token_service     STS_TOKENS_DB_PASSWORD   user: STS_TOKENS_DB_USER
#   audit     audit_service     STS_AUDIT_DB_PASSWORD    user: STS_AUDIT_DB_USER
#
# CONNECT is revoked from PUBLIC, so no service can open another service's database.
# The body runs in a subshell: the postgres entrypoint *sources* a non-executable *.sh, and
# neither its `set` options nor an `exit` may leak into the entrypoint.
sts_create_databases() (
  set -euo pipefail
  create() {
    local db="$1" user="$2" password="$3"
    echo "sts: creating database ${db} owned by ${user}"
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
      --set=db="${db}" --set=owner="${user}" --set=password="${password}" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"owner";
SQL
  }
  create roles  "${STS_ROLES_DB_USER:-role_service}"   "${STS_ROLES_DB_PASSWORD:?STS_ROLES_DB_PASSWORD is required}"
  create tokens "${STS_TOKENS_DB_USER:-token_service}" "${STS_TOKENS_DB_PASSWORD:?STS_TOKENS_DB_PASSWORD is required}"
  create audit  "${STS_AUDIT_DB_USER:-audit_service}"  "${STS_AUDIT_DB_PASSWORD:?STS_AUDIT_DB_PASSWORD is required}"
)
sts_create_databases
