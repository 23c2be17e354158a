#!/usr/bin/env bash
# Builds local stand-ins for the official images (nginx, mysql, node) from Debian packages, for
# testing docker-compose.yml where no image registry can be reached. They honour the parts of the
# official images' documented interfaces that stacklab uses; they are NOT the official images.
#
#   tests/docker/standins/build.sh        prints the three image names as VAR=image lines
#
# Images are tagged with a hash of what goes into them (suite, packages, this folder's files, the
# host's node binary) and reused while that is unchanged. Needs root (debootstrap), debootstrap and
# a Docker engine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
DOCKER="${DOCKER:-docker}"

# Test files running side by side may ask at the same time: one builds, the others wait, then reuse.
exec 9>"${TMPDIR:-/tmp}/stacklab-standins.lock"
flock 9

node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(npm root -g)/npm"
hash() { sha256sum | cut -c1-12; }
log() { echo "[standins] $*" >&2; }

# A root filesystem of Debian packages, imported as an image named after its suite and packages.
rootfs_image() { # NAME SUITE PACKAGES
  local image rootfs
  image="stacklab-standin-$1:$(echo "$2 $3" | hash)"
  if ! "$DOCKER" image inspect "$image" >/dev/null 2>&1; then
    rootfs="$(mktemp -d)"
    trap 'rm -rf "$rootfs"' EXIT
    log "debootstrap $2 for $1 (a few minutes, once)…"
    # Debian's default mirror; debootstrap verifies the packages' signatures.
    debootstrap --variant=minbase --include="$3" "$2" "$rootfs" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    log "importing the root filesystem as $image"
    tar -C "$rootfs" -c . | "$DOCKER" import - "$image" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
  fi
  echo "$image"
}

build() { # NAME CONTEXT-DIR BASE: tagged with a hash of the base and of the context's files
  local key image
  key="$( (echo "$3"; cd "$2" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | hash)"
  image="stacklab-standin-$1:$key"
  if ! "$DOCKER" image inspect "$image" >/dev/null 2>&1; then
    log "building $image"
    "$DOCKER" build -q --build-arg "BASE=$3" -t "$image" "$2" >/dev/null
  fi
  echo "$image"
}

# MariaDB (for mysql), and the base of the node stand-in: Debian 12, as the official node image.
base="$(rootfs_image base bookworm mariadb-server,mariadb-client,curl,ca-certificates,procps)"
# nginx from Debian's unstable suite, 1.28 or newer like the official image: docker-compose.yml
# relies on `resolve` in its upstream block, which nginx has since 1.27.3 (Debian 12 has 1.22).
nginx_base="$(rootfs_image nginx-base sid nginx,curl,ca-certificates,gettext-base,procps)"

# The node stand-in carries this machine's own node and npm (no download needed).
node_ctx="$(mktemp -d)"
cp "$here/node/Dockerfile" "$node_ctx/"
cp "$node_bin" "$node_ctx/node"
cp -r "$npm_dir" "$node_ctx/npm"
node_image="$(build node "$node_ctx" "$base")"
rm -rf "$node_ctx"

echo "NGINX_IMAGE=$(build nginx "$here/nginx" "$nginx_base")"
echo "MYSQL_IMAGE=$(build mysql "$here/mysql" "$base")"
echo "NODE_IMAGE=$node_image"
