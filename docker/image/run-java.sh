#!/bin/sh
# Entrypoint of the service images: runs the Quarkus fast-jar in /deployments.
# JAVA_OPTS (image defaults) and JAVA_OPTS_APPEND are split on spaces on purpose.
# exec: java becomes PID 1 and receives SIGTERM directly (graceful shutdown).
# shellcheck disable=SC2086
exec java ${JAVA_OPTS} ${JAVA_OPTS_APPEND} -jar /deployments/quarkus-run.jar "$@"
