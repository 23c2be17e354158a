#!/usr/bin/env bash
# Reference solution of exercise 9: the commands, as a learner would type them (the SQL of steps 3
# and 4 is only looked at in make db-shell, so it is not here).
set -euo pipefail
rm -f /tmp/jar9
token=$(curl -s -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -w 'register: %{http_code}\n' -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/register \
  --data-urlencode "_csrf=$token" --data-urlencode "username=cookie-ada" \
  --data-urlencode "password=a jar full of cookies" --data-urlencode "password_confirm=a jar full of cookies"

# Sign in, look at the cookies and the session's row id.
rm -f /tmp/jar9
token=$(curl -s -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -si -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/login \
  --data-urlencode "_csrf=$token" --data-urlencode "username=cookie-ada" --data-urlencode "password=a jar full of cookies" \
  | grep -i -E '^(HTTP|date|set-cookie|location)'
grep stacklab /tmp/jar9
awk '$6 == "stacklab.sid" {printf "%s", $7}' /tmp/jar9 | sha256sum

# Sign out; the old cookie no longer opens /account.
cp /tmp/jar9 /tmp/jar9-before-logout
token=$(curl -s -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/ | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -si -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/logout --data-urlencode "_csrf=$token" | grep -i -E '^(HTTP|set-cookie|location)'
curl -si -b /tmp/jar9-before-logout http://localhost:8080/account | grep -i -E '^(HTTP|location)'

# A 15-minute idle timeout: .env, then restart the app so it reads it.
sed -i 's/^SESSION_IDLE_TIMEOUT_S=.*/SESSION_IDLE_TIMEOUT_S=900/' .env
make restart SERVICE=app
