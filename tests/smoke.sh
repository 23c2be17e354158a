#!/usr/bin/env bash
# A quick check of a running stack from outside, with curl only:
# health, a static file, then register → account → sign out → sign in.
#   tests/smoke.sh [http://localhost:8080]
set -euo pipefail
base="${1:-http://localhost:8080}"
jar="$(mktemp)"
trap 'rm -f "$jar"' EXIT
fail() { echo "smoke test FAILED: $*" >&2; exit 1; }
status() { curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" "$@"; }
csrf() { curl -s -b "$jar" -c "$jar" "$base$1" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1; }

[ "$(curl -s "$base/healthz")" = '{"status":"ok","db":"ok"}' ] || fail "/healthz is not ok"
[ "$(status "$base/static/css/site.css")" = 200 ] || fail "no stylesheet from nginx"

user="smoke_$(date +%s)_$RANDOM"
password="smoke-test-password-42"
[ "$(status --data-urlencode "_csrf=$(csrf /register)" --data-urlencode "username=$user" \
  --data-urlencode "password=$password" --data-urlencode "password_confirm=$password" "$base/register")" = 303 ] ||
  fail "registration did not redirect"
curl -s -b "$jar" "$base/account" | grep -q "$user" || fail "the account page does not show $user"
[ "$(status --data-urlencode "_csrf=$(csrf /)" "$base/logout")" = 303 ] || fail "sign-out did not redirect"
[ "$(status "$base/account")" = 302 ] || fail "still signed in after signing out"
[ "$(status --data-urlencode "_csrf=$(csrf /login)" --data-urlencode "username=$user" \
  --data-urlencode "password=$password" "$base/login")" = 303 ] || fail "sign-in did not redirect"
echo "smoke test passed: $base (user $user)"
