#!/usr/bin/env bash
# Reference solution of exercise 1: the commands, as a learner would type them.
set -euo pipefail
curl -v http://localhost:8080/ -o /dev/null
curl -i http://localhost:8080/no-such-page
curl -i http://localhost:8080/account
token="$(curl -s -c /tmp/jar -b /tmp/jar http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)"
curl -i -c /tmp/jar -b /tmp/jar http://localhost:8080/register \
  --data-urlencode "_csrf=$token" \
  --data-urlencode "username=curl-ada" \
  --data-urlencode "password=a long passphrase" \
  --data-urlencode "password_confirm=a long passphrase"
curl -s -b /tmp/jar http://localhost:8080/account | grep -A1 Username
