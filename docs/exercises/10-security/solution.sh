#!/usr/bin/env bash
# Reference solution of exercise 10: the commands, as a learner would type them.
set -euo pipefail
# 1. A username that is an SQL injection, registered and then used to sign in. (A 429 means this
#    address posted too often in the last minute: wait a little and post again, as a person would.)
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  token="$(curl -s -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/register \
    --data-urlencode "_csrf=$token" \
    --data-urlencode "username=' OR 1=1 -- x" \
    --data-urlencode "password=a long passphrase" \
    --data-urlencode "password_confirm=a long passphrase")"
  echo "register: $status"
  [ "$status" != 429 ] && break
  sleep 4
done
token="$(curl -s -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
curl -s -i -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/login \
  --data-urlencode "_csrf=$token" \
  --data-urlencode "username=' OR 1=1 -- x" \
  --data-urlencode "password=no idea" | grep -E '^HTTP'
# 2. A tight rate limit, loaded, then hit.
sed -i -e 's/^AUTH_RATE_PER_MINUTE=.*/AUTH_RATE_PER_MINUTE=5/' -e 's/^AUTH_BURST=.*/AUTH_BURST=2/' .env
make reload
token="$(curl -s -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
for i in 1 2 3 4 5 6 7 8; do
  curl -s -o /dev/null -w "guess $i: %{http_code}\n" -b /tmp/jar10 http://localhost:8080/login \
    --data-urlencode "_csrf=$token" \
    --data-urlencode "username=curl-ada" \
    --data-urlencode "password=guess number $i"
done
make logs SERVICE=nginx | grep 'limiting requests' | tail -n 3
# 3. The usual limits back.
sed -i -e 's/^AUTH_RATE_PER_MINUTE=.*/AUTH_RATE_PER_MINUTE=20/' -e 's/^AUTH_BURST=.*/AUTH_BURST=10/' .env
make reload
