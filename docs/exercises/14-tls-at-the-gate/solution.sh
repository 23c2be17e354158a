#!/usr/bin/env bash
# Reference solution of exercise 14: the commands, as a learner would type them.
set -euo pipefail
make ca
curl -sS https://localhost:8443/healthz || echo "refused, as it should be"
id="lesson14-$(date +%H%M%S)"
echo "my request id: $id"
curl -v --cacert .stack/tls/ca.crt -H "X-Request-ID: $id" https://localhost:8443/healthz 2>&1 | grep -E '^\* SSL connection|^< HTTP'
curl -s --cacert .stack/tls/ca.crt -H 'Accept: application/json' https://localhost:8443/debug/request | tr ',' '\n' | grep '"protocol"'
make inspect ID="$id"
sed -i.bak 's/^HTTPS_ONLY=.*/HTTPS_ONLY=1/' .env && rm -f .env.bak
make restart
curl -s -o /dev/null -D - http://localhost:8080/login | grep -i -E '^HTTP|^location'
