# The Docker runner (sourced by tools/stacklab.sh): docker-compose.yml driven by docker compose, and
# the tools (course, inspector, doctor) run in a container of their own, so this machine needs only
# Docker, make and a POSIX shell. Why the shell: every step here is a docker or compose command, and
# with Docker alone there is no Node.js on the host to run the TypeScript tools. Nothing inside a
# container talks to the Docker engine: what a tool needs from it (which containers run, nginx's
# loaded configuration) is read here and handed over; the logs are files on volumes both can read.

docker_project=${STACK_PROJECT:-stacklab}
# How long make up waits for every service to be healthy (the first start creates the database).
DOCKER_READY_WITHIN_S=240

# --- Finding Docker -------------------------------------------------------------------------------

# Every docker program on PATH, first one first (or only $DOCKER when it is set).
docker_candidates() {
  if [ -n "${DOCKER:-}" ]; then printf '%s\n' "$DOCKER"; return; fi
  old_ifs=$IFS; IFS=:
  for dir in $PATH; do [ -n "$dir" ] && [ -x "$dir/docker" ] && printf '%s\n' "$dir/docker"; done
  IFS=$old_ifs
}

# True when a Docker engine answers (the client alone is not enough: `docker info` asks the engine).
docker_engine_answers() {
  for candidate in $(docker_candidates); do
    "$candidate" info >/dev/null 2>&1 && return 0
  done
  return 1
}

# A docker client that builds with BuildKit (the images' build secret needs it): one with the buildx
# plugin, or one older than version 23, which has BuildKit built in. DOCKER=/path/to/docker chooses.
docker_build_client() {
  for candidate in $(docker_candidates); do
    "$candidate" info >/dev/null 2>&1 || continue
    if "$candidate" buildx version >/dev/null 2>&1; then printf '%s' "$candidate"; return 0; fi
    major=$("$candidate" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
    case $major in '' | *[!0-9]*) continue ;; esac
    [ "$major" -lt 23 ] && { printf '%s' "$candidate"; return 0; }
  done
  fail "No docker client here can build with BuildKit (the images' build secret needs it)." \
    "Install the buildx plugin (package docker-buildx or docker-buildx-plugin), or set DOCKER=/path/to/a/docker."
}

# The compose command: `docker compose` (v2) when there, else `docker-compose` (v1).
compose_program() {
  for candidate in $(docker_candidates); do
    if "$candidate" compose version >/dev/null 2>&1; then printf '%s compose' "$candidate"; return 0; fi
  done
  command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1 && { printf 'docker-compose'; return 0; }
  fail "Docker Compose is missing." \
    "Install the compose plugin (docker-compose-plugin) or docker-compose, or run the stack without Docker: make up STACK=native"
}

docker_mode() { setting MODE dev; }

# docker compose with this project's name, .env and files (dev mode adds the override: live source).
compose() {
  [ -n "${compose_cmd:-}" ] || compose_cmd=$(compose_program)
  # The local CA's folder, mounted into nginx's container (the native runner uses the same one).
  export STACKLAB_TLS_DIR="$state_dir/tls"
  if [ "$(docker_mode)" = prod ]; then
    $compose_cmd -p "$docker_project" --env-file "$env_file" -f "$root/docker-compose.yml" "$@"
  else
    $compose_cmd -p "$docker_project" --env-file "$env_file" -f "$root/docker-compose.yml" -f "$root/docker-compose.override.yml" "$@"
  fi
}

docker_cli() { # a docker client for everything but builds (inspect, run): the first one that answers
  [ -n "${docker_cmd:-}" ] || for candidate in $(docker_candidates); do
    "$candidate" info >/dev/null 2>&1 && { docker_cmd=$candidate; break; }
  done
  "${docker_cmd:-docker}" "$@"
}

docker_description() {
  printf 'Docker runner (%s, %s mode): each service in its own container' "${compose_cmd:-$(compose_program)}" "$(docker_mode)"
}

# --- Images ---------------------------------------------------------------------------------------

# Builds an image with BuildKit, passing the extra CA (EXTRA_CA_CERT; empty: the CA your Node trusts)
# as a build secret for npm, never stored in the image. Shows the build's last lines if it fails.
docker_build() { # IMAGE DOCKERFILE [TARGET]
  builder=$(docker_build_client)
  set -- "$1" "$2" "${3:-}"
  node_image=$(setting NODE_IMAGE)
  ca=$(setting EXTRA_CA_CERT "${NODE_EXTRA_CA_CERTS:-}")
  log="$state_dir/docker/build.log"
  mkdir -p "$state_dir/docker"
  if DOCKER_BUILDKIT=1 "$builder" build -f "$2" ${3:+--target "$3"} -t "$1" \
    ${node_image:+--build-arg "NODE_IMAGE=$node_image"} ${ca:+--secret "id=ca,src=$ca"} "$root" >"$log" 2>&1; then
    return 0
  fi
  tail -n 25 "$log" >&2
  if grep -q -i -E 'SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER|certificate' "$log"; then
    fail "Building $1 failed." "Likely cause: a proxy re-signs HTTPS. Set EXTRA_CA_CERT=/path/to/its-ca.pem in .env (see README)."
  elif grep -q -i -E 'ENOTFOUND|EAI_AGAIN|network' "$log"; then
    fail "Building $1 failed." "Likely cause: the build cannot reach the npm registry or the image registry."
  fi
  fail "Building $1 failed (the lines above say why)."
}

app_image() { printf '%s:%s' "$(setting APP_IMAGE stacklab-app)" "$(docker_mode)"; }

# The tools' image is named after what goes into it, so it is built again only when that changes.
tools_image() {
  printf 'stacklab-tools:%s' "$( (setting NODE_IMAGE node:20-bookworm-slim; cat tools/package-lock.json tools/Dockerfile) | cksum | cut -d' ' -f1)"
}

docker_build_images() {
  say "Building the app image $(app_image) (a few seconds when nothing changed)…"
  docker_build "$(app_image)" app/Dockerfile "$([ "$(docker_mode)" = prod ] && echo runtime || echo dev)"
  if ! docker_cli image inspect "$(tools_image)" >/dev/null 2>&1; then
    say "Building the tools' image $(tools_image) (once; for make check, make inspect, …)…"
    docker_build "$(tools_image)" tools/Dockerfile
  fi
}

# --- The services ---------------------------------------------------------------------------------

# This project's containers, found by the labels compose puts on them: one quick docker call where
# compose ps, logs or exec take a second each (docker-compose v1 starts Python every time), and
# make up, make doctor and the waits in between make dozens of them. Compose's own one-off
# containers (compose run) are left out, as compose ps leaves them out.
docker_ids() { # [SERVICE [docker ps option…]]: every container (running or not), or one service's
  ids_service=${1:-}
  [ $# -gt 0 ] && shift
  # The project name as compose writes it in the label: lower case, letters, digits, - and _.
  project_label=$(printf '%s' "$docker_project" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9_-')
  docker_cli ps -a -q --no-trunc --filter "label=com.docker.compose.project=$project_label" \
    --filter label=com.docker.compose.oneoff=False ${ids_service:+--filter "label=com.docker.compose.service=$ids_service"} "$@" 2>/dev/null
}

# The id of one running container of SERVICE (empty when none runs).
docker_running_id() { # SERVICE
  docker_ids "$1" --filter status=running | head -n 1
}

# A command in a running container of SERVICE, like compose exec -T (fails when none runs).
docker_exec() { # SERVICE COMMAND…
  id=$(docker_running_id "$1")
  [ -n "$id" ] || return 1
  shift
  docker_cli exec "$id" "$@"
}

# The last LINES lines each container of SERVICE wrote, each line starting "SERVICE | " as compose
# logs writes them (its own output and its errors, in one stream).
docker_service_logs() { # SERVICE LINES
  for id in $(docker_ids "$1"); do
    docker_cli logs --tail "$2" "$id" 2>&1 | sed "s/^/$1 | /"
  done
}

# Runs a container's own health check (its Test from docker-compose.yml) now, instead of waiting for
# Docker's next one (every 5 s): true when it passes. Used while Docker still says "starting".
docker_check_now() { # CONTAINER-ID
  # One line per word of Test (none of ours holds a newline): CMD or CMD-SHELL, then the command.
  hc_args=$(docker_cli inspect -f '{{range .Config.Healthcheck.Test}}{{.}}{{"\n"}}{{end}}' "$1" 2>/dev/null) || return 1
  hc_ifs=$IFS
  IFS='
'
  set -f
  # shellcheck disable=SC2086
  set -- "$1" $hc_args
  set +f
  IFS=$hc_ifs
  hc_id=$1
  hc_kind=${2:-}
  [ $# -gt 2 ] || return 1
  shift 2
  # Each check in docker-compose.yml bounds its own time (curl -m, read -t, --connect-timeout).
  case $hc_kind in
    CMD) docker_cli exec "$hc_id" "$@" >/dev/null 2>&1 ;;
    CMD-SHELL) docker_cli exec "$hc_id" sh -c "$*" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

# One line per container: SERVICE STATE ID ADDRESS (state: running, starting, unhealthy, stopped).
docker_status() {
  http_port=$(setting HTTP_PORT 8080)
  ids=$(docker_ids | tr '\n' ' ')
  rows=""
  [ -n "$(echo $ids)" ] && rows=$(docker_cli inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.Id}}' $ids 2>/dev/null)
  for service in mysql app nginx; do
    case $service in
      nginx) address="127.0.0.1:$http_port,$(setting HTTPS_PORT 8443)" ;;
      app) address="app:3000 (internal)" ;;
      mysql) address="mysql:3306 (internal)" ;;
    esac
    found=0
    for line in $(printf '%s\n' "$rows" | awk -v s="$service" '$1 == s { print $2 "/" $3 "/" substr($4, 1, 12) }'); do
      found=1
      state=${line%%/*}; rest=${line#*/}; health=${rest%%/*}; id=${rest#*/}
      case $state/$health in
        running/starting) if docker_check_now "$id"; then state=running; else state=starting; fi ;;
        running/unhealthy) state=unhealthy ;;
        running/*) state=running ;;
        exited/* | created/* | dead/*) state=stopped ;;
      esac
      printf '%s %s %s %s\n' "$service" "$state" "$id" "$address"
    done
    [ "$found" = 1 ] || printf '%s stopped - %s\n' "$service" "$address"
  done
}

print_status() { # the table `make up` and `make ps` print
  printf '\n%-8s %-10s %-13s %s\n' SERVICE STATE ID ADDRESS
  docker_status | while read -r service state id address; do
    case $state in running) paint=green ;; starting) paint=yellow ;; *) paint=red ;; esac
    printf '%-8s %s %-13s %s\n' "$service" "$($paint "$(printf '%-10s' "$state")")" "$id" "$address"
  done
}

# Waits until every service is running and healthy; on failure, shows the failing one's last log lines.
docker_wait_ready() { # [SERVICE…]: all three by default
  only=${*:-mysql app nginx}
  deadline=$(($(date +%s) + DOCKER_READY_WITHIN_S))
  while :; do
    status=$(docker_status | awk -v only=" $only " 'index(only, " " $1 " ")')
    printf '%s\n' "$status" | awk '$2 != "running" { bad = 1 } END { exit bad }' && return 0
    broken=$(printf '%s\n' "$status" | awk '$2 == "unhealthy" || $2 == "stopped" || $2 == "restarting" { print $1; exit }')
    [ "$(date +%s)" -ge "$deadline" ] && break
    case " $only " in *" app "*) printf '%s\n' "$status" | grep -q '^app running' || ! docker_app_cannot_start || break ;; esac
    if [ -n "$broken" ] && ! { [ "$broken" = mysql ] && docker_service_logs mysql 5 | grep -q -i initializ; }; then
      # A service that has stopped or turned unhealthy will not get better by waiting (a moment for restarts).
      sleep 3
      [ -n "$(docker_status | awk -v s="$broken" '$1 == s && ($2 == "unhealthy" || $2 == "stopped" || $2 == "restarting")')" ] && break
    fi
    sleep 1
  done
  bad=$(docker_status | awk -v only=" $only " 'index(only, " " $1 " ") && $2 != "running" { print $1 " " $2; exit }')
  service=${bad%% *}
  logs=$(docker_service_logs "$service" 30)
  if [ "$service" = mysql ] && printf '%s' "$logs" | grep -q -i initializ; then
    fail "The mysql service is ${bad#* }." "Likely cause: MySQL is still initialising its data folder (the first start takes a minute). Run make up again shortly."
  fi
  # Not the raw log lines: the doctor's reading of them (the cause, the learner's file and line, the next step).
  case ${bad#* } in starting) state="does not start" ;; *) state="is ${bad#* }" ;; esac
  fail "The $service service $state." "$(docker_diagnosis)"
}

# True when the app's latest start shows it will not become healthy by waiting: it crashed, a
# migration failed, a setting is refused, or the database refuses its password. (The native runner reads its log the same
# way: startCannotSucceed in tools/runners/native/app-service.ts.)
docker_app_cannot_start() {
  docker_service_logs app 60 | sed 's/^[^|]*| \{0,1\}//' | awk '/"event":"starting"/ { bad = 0 } /"event":"migration_failed"|"event":"db_waiting".*ER_ACCESS_DENIED|^[A-Za-z]*Error( \[[A-Z_]+\])?: |^The app cannot start/ { bad = 1 } END { exit !bad }'
}

# What the doctor needs that only the engine or this machine knows, handed to the tools' container as
# files (runners/docker/docker-view.ts reads them) and variables: each service's output, nginx -t of
# nginx/ while nginx is not running, and who holds HTTP_PORT then.
docker_hand_over() {
  dir="$state_dir/docker/handed-over"
  rm -rf "$dir"
  mkdir -p "$dir"
  # The doctor reads the logs handed over here, and its own requests come later: ask nginx for the
  # health check and the stylesheet first, so that its error log says what happens to them now.
  docker_exec nginx curl -s -o /dev/null -o /dev/null -m 3 --cacert /etc/nginx/tls/ca.crt \
    https://127.0.0.1/healthz https://127.0.0.1/static/css/site.css >/dev/null 2>&1 || true
  for service in mysql app nginx; do
    docker_service_logs "$service" 400 >"$dir/$service.log"
  done
  {
    printf 'system: %s\n' "$(uname -srm)"
    printf 'docker: %s\n' "$(docker_cli version --format 'client {{.Client.Version}}, engine {{.Server.Version}}' 2>/dev/null || echo unknown)"
    printf 'compose: %s\n' "$(compose version 2>/dev/null | head -n 1)"
    printf 'node (app container): %s\n' "$(docker_exec app node --version 2>/dev/null || echo "not running (image $(setting NODE_IMAGE node:20-bookworm-slim))")"
    printf 'nginx: %s\n' "$(docker_exec nginx sh -c 'nginx -v 2>&1' 2>/dev/null || echo "not running (image $(setting NGINX_IMAGE nginx:1.30))")"
    printf 'database: %s\n' "$(docker_exec mysql mysqld --version 2>/dev/null || echo "not running (image $(setting MYSQL_IMAGE mysql:8.4))")"
  } >"$dir/versions.txt"
  STACKLAB_PORT_OWNER="" STACKLAB_HTTPS_PORT_OWNER="" STACKLAB_PORT_ANSWER=""
  if [ -z "$(docker_status | awk '$1 == "nginx" && $2 == "running"')" ]; then
    if output=$(compose run --rm --no-deps -T nginx nginx -t -q 2>&1); then echo ok >"$dir/nginx-test.txt"; else printf '%s\n' "$output" >"$dir/nginx-test.txt"; fi
    port=$(setting HTTP_PORT 8080)
    STACKLAB_PORT_OWNER=$(port_owner "$port")
    STACKLAB_HTTPS_PORT_OWNER=$(port_owner "$(setting HTTPS_PORT 8443)")
    # The native runner's app names itself native-PORT in every answer.
    if command -v curl >/dev/null 2>&1; then
      instance=$(curl -s -m 2 -D - -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null | tr -d '\r' | sed -n 's/^[Xx]-[Aa]pp-[Ii]nstance: *\(native-.*\)$/\1/p')
      [ -n "$instance" ] && STACKLAB_PORT_ANSWER="the native runner's stack (app $instance)"
    fi
  fi
  export STACKLAB_PORT_OWNER STACKLAB_HTTPS_PORT_OWNER STACKLAB_PORT_ANSWER
}

# Which program listens on a TCP port, as the OS tells (ss on Linux, lsof on macOS): "name (pid N)".
port_owner() { # PORT
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n 1
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP "-iTCP:$1" -sTCP:LISTEN -Fcp 2>/dev/null | awk '/^p/ { pid = substr($0, 2) } /^c/ { print substr($0, 2) " (pid " pid ")"; exit }'
  fi
}

# The doctor's one-paragraph diagnosis, for a command that failed.
docker_diagnosis() {
  docker_hand_over
  docker_tool diagnose 2>/dev/null || echo "make doctor says more; make logs SERVICE=app shows the logs."
}

# nginx's JSON access log and the app's log file grow with every request: each one bigger than
# INSPECTOR_LOG_MAX_BYTES is rotated (one old copy kept, as .1), inside the container that writes it.
docker_rotate_logs() {
  max=$(setting INSPECTOR_LOG_MAX_BYTES 5242880)
  docker_exec nginx sh -c "f=/var/log/nginx/stacklab/access.json; if [ \$(wc -c <\"\$f\" 2>/dev/null || echo 0) -gt $max ]; then mv -f \"\$f\" \"\$f.1\" && nginx -s reopen; fi" >/dev/null 2>&1 || true
  # The app writes its file by appending: copy it, then empty it in place (it goes on at the new end).
  docker_exec app sh -c "f=/var/log/stacklab/app.log; if [ \$(wc -c <\"\$f\" 2>/dev/null || echo 0) -gt $max ]; then cp \"\$f\" \"\$f.1\" && : >\"\$f\"; fi" >/dev/null 2>&1 || true
}

# nginx -T once nginx has loaded its configuration: what the checks and the doctor read as "loaded".
docker_save_nginx_config() {
  mkdir -p "$state_dir/docker"
  docker_exec nginx nginx -T >"$state_dir/docker/nginx-loaded.conf" 2>&1 || true
}

docker_up() {
  say "$(bold stacklab) $(dim "($(docker_description))")"
  started=$(date +%s)
  docker_build_images
  docker_tool --offline check-settings
  # nginx's entrypoint makes the local CA in this folder at its first start (nginx/tls/local-ca.sh).
  mkdir -p "$state_dir/tls"
  # The database first, and its users brought up to date, before the app starts and migrates.
  docker_compose_up mysql
  docker_start_looping
  docker_wait_ready mysql
  docker_update_database_users
  docker_compose_up --remove-orphans --scale "app=$(setting APP_REPLICAS 1)"
  docker_start_looping
  docker_wait_ready
  docker_wait_nginx_answers 200
  docker_rotate_logs
  docker_save_nginx_config
  print_status
  url="http://localhost:$(setting HTTP_PORT 8080)"
  say ""
  say "$(green Ready:) open $(bold "$url") in your browser and register an account. $(dim "(up in $(($(date +%s) - started)) s)")"
  say "HTTPS: $(bold "https://localhost:$(setting HTTPS_PORT 8443)") $(dim '(make ca: how to trust its certificate authority)')"
  say "Try first: $(bold "curl -i $url/healthz")   then $(bold 'make ps'), $(bold 'make logs'), $(bold 'make down')."
}

# A container caught in its restart loop (nginx refusing a config the learner has fixed since, say)
# tries again only after Docker's growing back-off, and compose up leaves it alone: start it now,
# with the files as they are.
docker_start_looping() {
  looping=$(docker_status | awk '$2 == "restarting" { print $1 }' | sort -u | tr '\n' ' ')
  [ -z "$looping" ] || compose restart $looping >/dev/null 2>&1 || true
}

# docker compose up -d for some services or options; a failure names the likely cause.
docker_compose_up() { # [SERVICE | OPTION]…
  if ! output=$(compose up -d --no-build "$@" 2>&1); then
    printf '%s\n' "$output" >&2
    if printf '%s' "$output" | grep -q -i -E 'port is already allocated|address already in use'; then
      port=$(printf '%s' "$output" | sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' | head -n 1)
      for name in HTTP_PORT HTTPS_PORT; do
        case $name in HTTP_PORT) default=8080 ;; *) default=8443 ;; esac
        if [ "$port" = "$(setting $name $default)" ]; then
          owner=$(port_owner "$port")
          fail "docker compose up failed." "Likely cause: port $port ($name) is taken by ${owner:-another program}: stop it, or set $name in .env."
        fi
      done
      fail "docker compose up failed." "Likely cause: port $(setting HTTP_PORT 8080) (HTTP_PORT) or $(setting HTTPS_PORT 8443) (HTTPS_PORT) is in use by another program: stop it, or set that port in .env."
    elif printf '%s' "$output" | grep -q -i -E 'pull access denied|not found|manifest unknown'; then
      fail "docker compose up failed." "Likely cause: an image could not be pulled; check NGINX_IMAGE, MYSQL_IMAGE and your network."
    fi
    fail "docker compose up failed (the lines above say why)."
  fi
}

# The image runs mysql/init/10-create-app-user.sh by itself only when its volume is empty; run at
# every make up (it is idempotent), it gives a volume made by an older version of stacklab this
# version's users and grants, and follows .env's passwords. No data is touched.
docker_update_database_users() {
  if ! output=$(docker_exec mysql sh /docker-entrypoint-initdb.d/10-create-app-user.sh 2>&1); then
    printf '%s\n' "$output" >&2
    fail "Updating the database's users failed." \
      "Likely cause: the database volume was created with another DB_ROOT_PASSWORD than .env holds now. make reset starts afresh (it deletes the data)."
  fi
}

docker_down() {
  running=$(docker_status | awk '$2 != "stopped" { print $1 }' | sort -u | tr '\n' ' ')
  # Removes the containers and the network; the named volumes (the database, the logs) stay.
  compose down --remove-orphans >/dev/null 2>&1 || compose down --remove-orphans
  if [ -n "$running" ]; then
    stopped=""
    for service in nginx app mysql; do case " $running" in *" $service "*) stopped="$stopped${stopped:+, }$service" ;; esac; done
    say "Stopped $stopped. Your data is kept; $(bold 'make up') brings it back."
  else
    say "Nothing was running."
  fi
}

docker_services() { # SERVICE or nothing: the services a command is about
  case ${1:-} in
    '') echo mysql app nginx ;;
    mysql | app | nginx) echo "$1" ;;
    *) fail "SERVICE must be one of mysql, app, nginx, not \"$1\"." ;;
  esac
}

docker_restart() { # [SERVICE]
  services=$(docker_services "${1:-}")
  # Recreated rather than restarted: a container keeps the environment it was created with, and a
  # learner who changed .env expects the new values.
  compose up -d --no-deps --no-build --force-recreate --scale "app=$(setting APP_REPLICAS 1)" $services >/dev/null 2>&1 ||
    compose up -d --no-deps --no-build --force-recreate --scale "app=$(setting APP_REPLICAS 1)" $services
  docker_wait_ready
  docker_wait_nginx_answers 200
  docker_save_nginx_config
  say "Restarted $(echo $services | sed 's/ /, /g')."
  print_status
}

docker_stop() { # [SERVICE]
  services=$(docker_services "${1:-}")
  compose stop $services >/dev/null 2>&1 || compose stop $services
  case " $services " in *" app "*) [ -n "$(docker_running_id nginx)" ] && docker_wait_nginx_answers 502 ;; esac
  set -- $services
  say "Stopped $(echo $services | sed 's/ /, /g'). $(bold 'make up') starts $([ $# -gt 1 ] && echo them || echo it) again."
}

# nginx looks the app's name up in Docker's DNS every second or so. Until it has done so after the
# app stopped, a request still goes to the old address and waits out proxy_connect_timeout (a 504);
# after the app started, requests still get the 502 page. Wait for that moment (nginx answering
# /healthz with CODE), so that from the next command on a visitor sees what make said.
docker_wait_nginx_answers() { # CODE
  tries=0
  while [ "$tries" -lt 20 ]; do
    # Over HTTPS (plain HTTP only redirects with HTTPS_ONLY=1), checked against the local CA.
    code=$(docker_exec nginx curl -s -o /dev/null -m 1 -w '%{http_code}' --cacert /etc/nginx/tls/ca.crt https://127.0.0.1/healthz 2>/dev/null || true)
    [ "$code" = "$1" ] && return 0
    tries=$((tries + 1))
    sleep 0.5
  done
}

docker_reload() {
  [ -n "$(docker_running_id nginx)" ] || fail "nginx is not running. Start the stack with make up."
  # First a throwaway nginx container (same image, files and settings) tests the configuration in nginx/.
  if ! output=$(compose run --rm --no-deps -T nginx nginx -t -q 2>&1); then
    # nginx names the files as the container sees them; the learner's are in nginx/.
    printf '%s\n' "$output" | sed -e 's#/etc/nginx/snippets/#nginx/snippets/#g' -e 's#/etc/nginx/conf\.d/default\.conf#nginx/templates/stacklab.conf.template#g' \
      -e 's#/etc/nginx/nginx\.conf#nginx/nginx.conf#g' | { grep -i -E 'nginx:|emerg|error' || true; } >&2
    say "$(red 'nginx refused the new configuration'); the running one stays in place."
    say ""
    say "Fix the file named above and run $(bold 'make reload') again."
    exit 1
  fi
  # Then the running container renders its template again with the values .env holds now, and reloads.
  if ! output=$(compose exec -T -e "AUTH_RATE_PER_MINUTE=$(setting AUTH_RATE_PER_MINUTE 20)" -e "AUTH_BURST=$(setting AUTH_BURST 10)" nginx \
    sh -c '/docker-entrypoint.d/20-envsubst-on-templates.sh >/dev/null && nginx -s reload' 2>&1); then
    printf '%s\n' "$output" >&2
    fail "Reloading nginx failed (the lines above say why)."
  fi
  docker_save_nginx_config
  say "$(green 'nginx reloaded') the configuration from nginx/ (tested with nginx -t first)."
}

docker_logs() { # [SERVICE]
  [ -n "${1:-}" ] && docker_services "$1" >/dev/null
  follow=""
  if [ "${FOLLOW:-}" = 1 ] || { [ -z "${FOLLOW:-}" ] && [ -t 1 ]; }; then follow=-f; fi
  # A line per request is written to a file in the container, not to the container's output (Docker
  # would handle each line twice more): nginx's JSON access log, and the app's request lines (see
  # app/src/logger.ts). Show them too.
  tail_pids=""
  if [ -z "${1:-}" ] || [ "$1" = nginx ]; then
    docker_exec nginx tail -n 20 ${follow:+-F} /var/log/nginx/stacklab/access.json &
    tail_pids="$tail_pids $!"
  fi
  if [ -z "${1:-}" ] || [ "$1" = app ]; then
    # Every instance appends to the same file on the logs volume: one container shows them all.
    docker_exec app sh -c 'grep -h "\"event\":\"request\"" "$0" | tail -n 20; [ -z "$1" ] || tail -n 0 -F "$0" | grep --line-buffered "\"event\":\"request\""' \
      /var/log/stacklab/app.log "$follow" &
    tail_pids="$tail_pids $!"
  fi
  compose logs --no-color --tail 20 $follow ${1:+"$1"} || true
  for pid in $tail_pids; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

docker_db_shell() {
  [ -n "$(docker_running_id mysql)" ] || fail "MySQL is not running. Start the stack with make up."
  say "$(dim "Connected as the app's user. Try: SHOW TABLES;  SELECT id, username, created_at FROM users;  (quit with \\q)")"
  say "$(dim '(the mysql client inside the mysql container)')"
  # -T when SQL is piped in (`echo 'SHOW TABLES;' | make db-shell`): there is no terminal to attach.
  tty=""; [ -t 0 ] || tty=-T
  # The credentials are the mysql container's own settings (DB_USER, DB_PASSWORD, DB_NAME).
  compose exec $tty mysql sh -c 'MYSQL_PWD="$DB_PASSWORD" exec mysql -u"$DB_USER" "$DB_NAME"'
}

docker_reset() {
  confirm_reset
  # -v also removes the named volumes: the database and the logs.
  compose down -v --remove-orphans >/dev/null 2>&1 || compose down -v --remove-orphans
  rm -rf "$state_dir/docker"
  say "All data deleted (your course progress is kept). $(bold 'make up') starts again from an empty database."
}

# --- The tools, in their container ----------------------------------------------------------------

# What a tool may be told on the command line (make inspect ID=…, FILTER_PATH=…, …), passed on.
TOOL_OPTIONS='ID FOLLOW FORCE APPLY RECHECK NO_COLOR TERM COLUMNS MODE STACK'

# Runs a command of the tools (tools/cli/main.ts) in the tools' container: the project mounted at
# /opt/stacklab/repo, the two log volumes mounted read-only, and, while nginx runs, nginx's own
# network: the tools then reach the site at 127.0.0.1:80 exactly as nginx sees a visitor (each check
# from its own 127.x address: nginx's rate limit counts per address), and the app and the database by
# their names. What only the engine knows (which containers run) is handed over in STACKLAB_STATUS.
#   --offline         no network (for commands that read files only, like checking .env)
#   --publish PORT    publish PORT on 127.0.0.1 (make inspect-web's page)
docker_tool() { # [--offline | --publish PORT] COMMAND [ARG]
  network="" publish="" status=""
  case ${1:-} in
    --offline) network=none; shift ;;
    --publish) publish=$2; network="${docker_project}_frontend"; shift 2 ;;
  esac
  docker_cli image inspect "$(tools_image)" >/dev/null 2>&1 || docker_build_images
  if [ "$network" != none ]; then
    status=$(docker_status)
    nginx_id=$(docker_running_id nginx)
    if [ -z "$network" ]; then
      if printf '%s\n' "$status" | awk '$1 == "nginx" && ($2 == "running" || $2 == "starting" || $2 == "unhealthy") { ok = 1 } END { exit !ok }'; then
        network="container:$nginx_id"
      else
        network="${docker_project}_backend"
      fi
    fi
    case $network in container:*) ;; *) docker_cli network inspect "$network" >/dev/null 2>&1 || network=none ;; esac
  fi
  env_args=""
  for name in $TOOL_OPTIONS $(sed -n 's/^\([A-Z][A-Z0-9_]*\)=.*/\1/p' .env.example) $(env | sed -n 's/^\(FILTER_[A-Z_]*\)=.*/\1/p'); do
    eval "value=\${$name:-}"
    [ -n "$value" ] && env_args="$env_args -e $name"
  done
  volumes=""
  if docker_cli volume inspect "${docker_project}_nginx-logs" >/dev/null 2>&1; then
    volumes="-v ${docker_project}_nginx-logs:/var/log/nginx/stacklab:ro -v ${docker_project}_app-logs:/var/log/stacklab:ro"
  fi
  tty=""; [ -t 0 ] && [ -t 1 ] && tty=-t
  [ -n "${compose_cmd:-}" ] || compose_cmd=$(compose_program)
  export STACKLAB_STATUS="$status" STACKLAB_RUNNER_DESCRIPTION="$(docker_description)"
  follow_ups="$state_dir/docker/follow-ups"
  rm -f "$follow_ups"
  # (git: the project folder belongs to the same user inside, but Docker Desktop may show another owner.)
  # shellcheck disable=SC2086 # the option lists above are meant to be split
  tool_status=0
  docker_cli run --rm -i $tty --network "$network" ${publish:+-p "127.0.0.1:$publish:$publish" -e INSPECTOR_LISTEN_ALL=1} \
    --user "$(id -u):$(id -g)" -e HOME=/tmp -e STACKLAB_IN_CONTAINER=1 -e STACKLAB_STATUS -e STACKLAB_RUNNER_DESCRIPTION -e STACKLAB_PORT_OWNER -e STACKLAB_HTTPS_PORT_OWNER -e STACKLAB_PORT_ANSWER \
    -e "STACKLAB_PROJECT=$docker_project" -e GIT_CONFIG_COUNT=1 -e GIT_CONFIG_KEY_0=safe.directory -e GIT_CONFIG_VALUE_0='*' $env_args \
    -v "$root:/opt/stacklab/repo" $volumes -w /opt/stacklab \
    "$(tools_image)" node --import tsx repo/tools/cli/main.ts "$@" || tool_status=$?
  docker_follow_ups "$follow_ups"
  return "$tool_status"
}

# The steps a tool asked for that need the Docker engine or this machine's shell (runners/docker/
# docker-view.ts writes them, one per line): make reload, make restart SERVICE=…, or a file of
# commands to run as the learner would type them.
docker_follow_ups() { # FILE
  [ -f "$1" ] || return 0
  steps=$(cat "$1")
  rm -f "$1"
  old_ifs=$IFS
  IFS='
'
  for line in $steps; do
    IFS=$old_ifs
    step=${line%% *}
    argument=${line#* }
    case $step in
      reload) docker_reload ;;
      restart) docker_restart "$argument" ;;
      commands)
        # As typed in this shell: with the site's ports where the commands say localhost:8080 and :8443.
        bash -c "$(sed -e "s/localhost:8080/localhost:$(setting HTTP_PORT 8080)/g" -e "s/localhost:8443/localhost:$(setting HTTPS_PORT 8443)/g" "$root/$argument")" ||
          fail "The commands of $argument stopped at an error (see above)." "make doctor checks the stack."
        ;;
    esac
  done
  IFS=$old_ifs
}
