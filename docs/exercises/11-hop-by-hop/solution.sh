#!/usr/bin/env bash
# Reference solution of exercise 11: the commands, as a learner would type them.
set -euo pipefail
id="lesson11-$(date +%H%M%S)"
echo "my request id: $id"
curl -s http://localhost:8080/debug/request \
  -H 'Accept: application/json' \
  -H "X-Request-ID: $id" \
  -H 'X-Forwarded-For: 6.6.6.6' \
  -H 'X-Forwarded-Proto: https' \
  -H 'Connection: close' | tr ',' '\n'
echo
make logs SERVICE=nginx | grep "$id" | tr ',' '\n' | grep -E '"(request_id|remote_addr|xff_received|xff_sent)"'
make logs SERVICE=app | grep "$id" | tr ',' '\n' | grep -E '"(requestId|ip|X-Forwarded-For)"'
