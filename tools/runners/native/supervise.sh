#!/usr/bin/env bash
# Keeps one service of the native stack running, as Docker's `restart: unless-stopped` does: starts
# it, and when it exits without being asked to (a crash, kill -9), starts it again after a pause
# that doubles each time (1, 2, 4 … 30 s; back to 1 s once it has run for a minute).
# SIGTERM to this script stops the service and the script (that is what `make down` does).
#
#   supervise.sh NAME CHILD_PID_FILE -- COMMAND [ARGS…]
set -u
name=$1
pidfile=$2
shift 3

child=""
stopping=0
trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT

say() { # one JSON line, like the app's own log lines
  printf '{"time":"%s","level":"warn","event":"supervisor","service":"%s","message":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" "$1"
}

delay=1
while :; do
  started=$(date +%s)
  "$@" &
  child=$!
  echo "$child" > "$pidfile"
  # `wait` returns early when a signal arrives; keep waiting until the service has really exited.
  wait "$child"
  code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
  [ "$stopping" = 1 ] && break
  [ $(( $(date +%s) - started )) -ge 60 ] && delay=1
  say "$name exited (code $code) without being asked to; starting it again in ${delay}s"
  sleep "$delay" &
  wait $! || true
  [ "$stopping" = 1 ] && break
  delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
done
rm -f "$pidfile"
