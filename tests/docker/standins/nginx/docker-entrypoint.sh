#!/bin/sh
# Like the official image's entrypoint: when the command is nginx, run each script in
# /docker-entrypoint.d/ first (here: only the template rendering stacklab relies on).
set -eu
if [ "${1:-}" = nginx ]; then
  for script in /docker-entrypoint.d/*.sh; do
    [ -x "$script" ] && "$script"
  done
fi
exec "$@"
