#!/usr/bin/env bash
# HTTP health probe for the service images, for docker / compose healthchecks.
# The eclipse-temurin:25-jre image ships no curl (and wget is not promised), so this speaks
# HTTP/1.1 over bash's /dev/tcp. Exits 0 only on a "200" status line.
#   sts-healthcheck [path]        default path: /q/health/ready; port: $QUARKUS_HTTP_PORT
set -eu
path="${1:-/q/health/ready}"
port="${QUARKUS_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${path}" >&3
status=""
IFS= read -r -t 5 status <&3 || true
status="${status%$'\r'}"
case "${status}" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "unhealthy: GET ${path} -> ${status:-no response}" >&2; exit 1 ;;
esac
