#!/bin/sh
# The entry point behind every make target a learner uses: `sh tools/stacklab.sh COMMAND [ARG]`.
# POSIX sh, so that it runs as it is with macOS's bash 3.2, Debian's dash and BSD tools.
#  - creates .env on first use, with fresh random secrets;
#  - picks the runner once: the first `make up` records it in .env (STACK=docker or STACK=native),
#    and every later command uses that one, whether or not a Docker engine answers now;
#  - with Docker, drives docker compose itself (tools/runners/docker/docker-runner.sh) and runs the
#    tools in a container: this machine needs Docker, make and a shell, and nothing else;
#  - without Docker, hands the command to the tools on this machine's Node.js (tools/cli/main.ts).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The tests point these at a throwaway stack; a learner never needs to set them.
env_file=${STACK_ENV_FILE:-$root/.env}
state_dir=${STACK_STATE_DIR:-$root/.stack}

# --- Friendly output: colour only on a terminal, and not with NO_COLOR ---------------------------
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then colour=1; else colour=""; fi
paint() { if [ -n "$colour" ]; then printf '\033[%sm%s\033[0m' "$1" "$2"; else printf '%s' "$2"; fi; }
green() { paint 32 "$1"; }
red() { paint 31 "$1"; }
yellow() { paint 33 "$1"; }
bold() { paint 1 "$1"; }
dim() { paint 2 "$1"; }
say() { printf '%s\n' "$*"; }
fail() { # MESSAGE [NEXT STEP]
  printf '%s %s\n' "$(red ✗)" "$1" >&2
  [ -n "${2:-}" ] && printf '%s\n' "$2" >&2
  exit 1
}

. "$root/tools/lib/env-file.sh"
. "$root/tools/runners/docker/docker-runner.sh"

# --- The runner -----------------------------------------------------------------------------------

detect_runner() {
  if docker_engine_answers; then echo docker; else echo native; fi
}

# The runner for this command: STACK given now (make up STACK=…), else the one .env records, else
# (before the first make up) Docker when an engine answers. Only make up records it.
choose_runner() { # COMMAND
  given=${STACK:-}
  recorded=$(env_file_value STACK)
  case $given in '' | auto | docker | native) ;; *) fail "STACK must be docker or native, not \"$given\"." ;; esac
  case $recorded in '' | docker | native) ;; *) fail "STACK in .env must be docker or native, not \"$recorded\"." "Fix the STACK= line in .env (or delete it: make up then picks again)." ;; esac
  [ "$given" = auto ] && given=$(detect_runner)
  runner=${given:-${recorded:-$(detect_runner)}}
  [ "$1" = up ] || return 0
  if [ -n "$recorded" ] && [ "$recorded" != "$runner" ]; then
    # Switching: the other runner's stack is stopped first (its data is kept), so the ports are free.
    say "Switching from the $recorded runner to the $runner runner: stopping the $recorded stack first (its data is kept)."
    run_with "$recorded" down
  fi
  if [ "$recorded" != "$runner" ]; then
    env_file_record STACK "$runner"
    say "$(dim "Recorded STACK=$runner in .env: every make command now uses the $runner runner (make up STACK=… switches).")"
  fi
}

# --- Native: the tools on this machine's Node.js --------------------------------------------------

native_runner() { # COMMAND [ARG]
  if ! command -v node >/dev/null 2>&1; then
    fail "The native runner needs Node.js 20 or newer on this machine, and there is none." \
      "Install Node.js 20+, or run the stack with Docker: make up STACK=docker (see README.md)."
  fi
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || fail "The native runner needs Node.js 20 or newer; this machine has $(node --version)." \
    "Install Node.js 20+, or run the stack with Docker: make up STACK=docker."
  # make up installs what the tools and the app need; the other commands use what it installed.
  case $1 in
    up | restart) install_dependencies tools && install_dependencies app ;;
    *) [ -f tools/node_modules/.package-lock.json ] || fail "The tools are not installed yet." "Run make up first: it installs them (npm ci) and starts the stack." ;;
  esac
  cd tools && exec node --import tsx cli/main.ts "$@"
}

# npm ci in FOLDER when its node_modules is missing or older than its lock file.
install_dependencies() { # FOLDER
  marker="$1/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$1/package-lock.json" -nt "$marker" ]; then
    say "Installing the $1 dependencies (npm ci, once)…"
    npm --prefix "$1" ci --no-audit --no-fund --loglevel=error
    touch "$marker"
  fi
}

# --- Docker: compose here, the tools in their container -------------------------------------------

docker_runner() { # COMMAND [ARG]
  docker_engine_answers || fail "This stack runs with Docker (STACK=docker in .env), but no Docker engine answers (docker info)." \
    "Start Docker (Docker Desktop, or the docker service), or run the stack without it: make up STACK=native"
  case $1 in
    up) docker_up ;;
    down) docker_down ;;
    ps) print_status ;;
    logs) docker_logs "${2:-}" ;;
    reload) docker_reload ;;
    restart) docker_restart "${2:-}" ;;
    stop) docker_stop "${2:-}" ;;
    db-shell) docker_db_shell ;;
    reset) docker_reset ;;
    doctor | help-report) docker_hand_over && docker_tool "$@" ;;
    inspect) docker_rotate_logs && docker_tool "$@" ;;
    inspect-web) docker_rotate_logs && docker_tool --publish "$(setting INSPECTOR_PORT 8090)" "$@" ;;
    *) docker_tool "$@" ;;
  esac
}

confirm_reset() {
  [ "${FORCE:-}" = 1 ] && return 0
  [ -t 0 ] || fail "make reset deletes every user and session. To confirm without a prompt: $(bold 'make reset FORCE=1')"
  printf '%s (every user and session, all logs; your course progress stays). Type "yes" to go on: ' "$(yellow 'This deletes all data')"
  read -r answer
  [ "$answer" = yes ] || { say "Nothing was deleted."; exit 0; }
}

run_with() { # RUNNER COMMAND [ARG]
  r=$1; shift
  if [ "$r" = docker ]; then docker_runner "$@"; else (native_runner "$@"); fi
}

# --- make ca: the local certificate authority --------------------------------------------------

# Where the CA's certificate is and how to trust it. The same for both runners: nginx/tls/local-ca.sh
# makes it in .stack/tls at the first make up (natively, or in nginx's container with Docker).
print_ca() {
  ca="$state_dir/tls/ca.crt"
  case $ca in "$root"/*) shown=${ca#"$root"/} ;; *) shown=$ca ;; esac
  port=$(setting HTTPS_PORT 8443)
  if [ ! -f "$ca" ]; then
    fail "There is no local certificate authority yet: make up makes it (in $shown) at its first start."
  fi
  say "$(bold 'The stack'"'"'s certificate authority'): $(bold "$shown")$([ "$shown" != "$ca" ] && dim "  (in full: $ca)")"
  if command -v openssl >/dev/null 2>&1; then
    say "$(dim "$(openssl x509 -in "$ca" -noout -subject -enddate -fingerprint -sha256 2>/dev/null | tr '\n' ' ')")"
  fi
  say ""
  say "curl trusts it when told to:   $(bold "curl --cacert $shown https://localhost:$port/healthz")"
  say ""
  say "Your browser trusts it once you add it (only this CA, made on your machine; remove it when done):"
  say "  macOS:    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain $shown"
  say "            (Safari and Chrome use the system's; remove it in Keychain Access)"
  say "  Windows:  copy the file out of WSL (cp $shown /mnt/c/Users/<you>/Downloads/), double-click it,"
  say "            Install Certificate > Current User > Trusted Root Certification Authorities (Edge, Chrome)"
  say "  Linux:    sudo cp $shown /usr/local/share/ca-certificates/stacklab-local-ca.crt && sudo update-ca-certificates"
  say "            (curl and other programs; Chrome and Firefox keep their own list, see below)"
  say "  Chrome, Chromium (Linux):  certutil -d sql:\$HOME/.pki/nssdb -A -t C,, -n stacklab-local-ca -i $shown"
  say "            or Settings > Privacy and security > Security > Manage certificates > Authorities > Import"
  say "  Firefox:  Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import,"
  say "            tick \"Trust this CA to identify websites\""
  say ""
  say "Then open $(bold "https://localhost:$port"). docs/https.md explains each step, and how to undo it."
}

# --- Main -----------------------------------------------------------------------------------------

command=${1:-help}
[ $# -gt 0 ] && shift
case $command in
  up | down | ps | logs | reload | restart | stop | db-shell | reset | check | hint | solution | break | unbreak | doctor | help-report | inspect | inspect-web | watch) ;;
  ca) print_ca; exit 0 ;;
  docker-client) docker_build_client; exit 0 ;; # for the tests: the client that builds the stand-in images
  compose) compose "$@"; exit $? ;;              # for the tests and the curious: compose with this project's settings
  *) fail "Unknown command \"$command\". Run $(bold 'make help') to see them all." ;;
esac
env_file_prepare
choose_runner "$command"
if [ "$runner" = docker ]; then docker_runner "$command" "$@"; else native_runner "$command" "$@"; fi
