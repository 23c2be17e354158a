#!/usr/bin/env bash
# Builds local stand-ins for the official images (nginx, mysql, node) from Debian packages, for
# testing docker-compose.yml where no image registry can be reached. They honour the parts of the
# official images' documented interfaces that stacklab uses; they are NOT the official images.
#
#   tests/docker/standins/build.sh        prints the three image names as VAR=image lines
#
# Images are tagged with a hash of this folder and of the host's Node version, and reused while
# both are unchanged. Needs root (debootstrap), debootstrap and a Docker engine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
DOCKER="${DOCKER:-docker}"
suite=bookworm

node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(npm root -g)/npm"
# The packages of the shared root filesystem; changing this list rebuilds everything.
packages=nginx-light,mariadb-server,mariadb-client,curl,ca-certificates,gettext-base,procps
hash() { sha256sum | cut -c1-12; }
base="stacklab-standin-base:$(echo "$suite $packages" | hash)"

log() { echo "[standins] $*" >&2; }

if ! "$DOCKER" image inspect "$base" >/dev/null 2>&1; then
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap $suite (a few minutes, once)…"
  # One root filesystem for all three stand-ins: nginx, MariaDB (for mysql) and the tools their
  # entrypoints use. Debian's default mirror; debootstrap verifies the packages' signatures.
  debootstrap --variant=minbase \
    --include="$packages" \
    "$suite" "$rootfs" >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  log "importing the root filesystem as $base"
  tar -C "$rootfs" -c . | "$DOCKER" import - "$base" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

build() { # name context-dir: tagged with a hash of the base and of the context's files
  local key
  key="$( (echo "$base"; cd "$2" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | hash)"
  local image="stacklab-standin-$1:$key"
  if ! "$DOCKER" image inspect "$image" >/dev/null 2>&1; then
    log "building $image"
    "$DOCKER" build -q --build-arg "BASE=$base" -t "$image" "$2" >/dev/null
  fi
  echo "$image"
}

# The node stand-in carries this machine's own node and npm (no download needed).
node_ctx="$(mktemp -d)"
cp "$here/node/Dockerfile" "$node_ctx/"
cp "$node_bin" "$node_ctx/node"
cp -r "$npm_dir" "$node_ctx/npm"
node_image="$(build node "$node_ctx")"
rm -rf "$node_ctx"

echo "NGINX_IMAGE=$(build nginx "$here/nginx")"
echo "MYSQL_IMAGE=$(build mysql "$here/mysql")"
echo "NODE_IMAGE=$node_image"
