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
# audit-service also runs as a second, unprivileged login role (default audit_app, password
# STS_AUDIT_DB_APP_PASSWORD, required; user: STS_AUDIT_DB_APP_USER): its migrations run as the
# owner audit_service and grant audit_app INSERT and SELECT only, so the running service can
# neither change nor remove an audit record nor disable the triggers that refuse it.
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
  runtime_user() {
    local db="$1" user="$2" password="$3"
    echo "sts: creating login role ${user} for database ${db} (privileges come from its migrations)"
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
      --set=db="${db}" --set=app="${user}" --set=password="${password}" <<'SQL'
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'password';
GRANT CONNECT ON DATABASE :"db" TO :"app";
SQL
  }
  runtime_user audit "${STS_AUDIT_DB_APP_USER:-audit_app}" "${STS_AUDIT_DB_APP_PASSWORD:?STS_AUDIT_DB_APP_PASSWORD is required}"
)
sts_create_databases
