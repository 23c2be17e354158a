#!/usr/bin/env bash
# Reference solution of exercise 5: the commands, as a learner would type them. The SQL that a
# learner types into `make db-shell` is piped into it here (this works with the native runner).
set -euo pipefail
register() {
  rm -f /tmp/jar5
  token=$(curl -s -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -s -o /dev/null -w "$1: %{http_code}\n" -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/register \
    --data-urlencode "_csrf=$token" --data-urlencode "username=$1" \
    --data-urlencode "password=$2" --data-urlencode "password_confirm=$2"
}
register hash-ada "purple elephant 42"
register hash-bob "purple elephant 42"
register hash-cy "cy keeps her own secret"

make db-shell <<'SQL'
SHOW TABLES;
DESCRIBE users;
SELECT id, username, password_hash FROM users WHERE username LIKE 'hash-%';
SET @h = (SELECT password_hash FROM users WHERE username = 'hash-ada');
UPDATE users SET password_hash = @h WHERE username = 'hash-cy';
SELECT username, password_hash FROM users WHERE username LIKE 'hash-%';
SQL

login() {
  rm -f /tmp/jar5
  token=$(curl -s -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  curl -s -o /dev/null -w "$1 with \"$2\": %{http_code}\n" -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/login \
    --data-urlencode "_csrf=$token" --data-urlencode "username=$1" --data-urlencode "password=$2"
}
login hash-cy "cy keeps her own secret"
login hash-cy "purple elephant 42"
make logs SERVICE=app | grep -E '"event":"login_(succeeded|failed)"'
