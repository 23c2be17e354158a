#!/bin/sh
# The stack's own certificate authority (CA), made with openssl on the first start, and the site's
# certificate for localhost and 127.0.0.1, signed by it. Both runners run this before nginx starts:
# natively `sh nginx/tls/local-ca.sh .stack/tls`; with Docker the nginx image's entrypoint runs it
# from /docker-entrypoint.d/ with STACKLAB_TLS_DIR=/etc/nginx/tls, the same folder mounted there.
#
#   ca.crt    the CA's certificate: the file you tell your browser, your system and curl to trust
#   ca.key    the CA's private key: whoever has it can make certificates your browser trusts, so it
#             stays in this git-ignored folder, readable by its owner only (never committed, never
#             in an image). Delete the folder to start again with a new CA (then trust the new one).
#   site.crt, site.key   what nginx presents: made again when missing, not signed by this CA, or
#             expiring within 30 days (it lives 397 days, the most browsers accept).
#
# Why a CA and not one self-signed certificate: a browser trusts a CA once, and every certificate
# it signs after that, so a new site certificate needs no new click. This is what a company does with
# its internal sites, and what tools like mkcert do on a developer's machine.
set -eu

dir=${1:-${STACKLAB_TLS_DIR:-}}
[ -n "$dir" ] || { echo "usage: local-ca.sh FOLDER" >&2; exit 2; }
command -v openssl >/dev/null 2>&1 || {
  echo "openssl is missing, and the stack needs it once to make its local certificate authority." >&2
  echo "Install it: sudo apt-get install -y openssl (macOS has it already)." >&2
  exit 1
}
mkdir -p "$dir"
umask 077
say() { echo "local-ca: $*"; }

if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
  say "making a new certificate authority in $dir (once)"
  # The CA: a P-256 key, valid for 10 years, allowed to sign certificates and nothing else.
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -subj "/O=stacklab/CN=stacklab local CA $(date +%Y-%m-%d) $(hostname 2>/dev/null || echo host)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  rm -f "$dir/site.crt" "$dir/site.key"
fi

site_is_good() {
  [ -s "$dir/site.crt" ] && [ -s "$dir/site.key" ] &&
    openssl verify -CAfile "$dir/ca.crt" "$dir/site.crt" >/dev/null 2>&1 &&
    openssl x509 -in "$dir/site.crt" -noout -checkend 2592000 >/dev/null 2>&1
}

if ! site_is_good; then
  say "making the site's certificate for localhost and 127.0.0.1, signed by the local CA"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 \
    -keyout "$dir/site.key" -out "$dir/site.csr" -subj "/O=stacklab/CN=localhost" 2>/dev/null
  # The names a browser checks are the subjectAltName ones (the CN is ignored today).
  printf '%s\n' \
    "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" >"$dir/site.ext"
  openssl x509 -req -in "$dir/site.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 397 -sha256 -extfile "$dir/site.ext" -out "$dir/site.crt" 2>/dev/null
  rm -f "$dir/site.csr" "$dir/site.ext" "$dir/ca.srl"
fi

# The certificates are public (you hand ca.crt to your browser); the keys stay private.
chmod 644 "$dir/ca.crt" "$dir/site.crt"
chmod 600 "$dir/ca.key" "$dir/site.key"
# Made inside a container, the files would belong to root: give them to the folder's owner, so that
# you can read ca.crt and delete the folder without sudo. (nginx reads the key as root at its start.)
owner=$(stat -c '%u:%g' "$dir" 2>/dev/null || true)
[ -n "$owner" ] && [ "$(id -u)" = 0 ] && chown "$owner" "$dir"/ca.crt "$dir"/ca.key "$dir"/site.crt "$dir"/site.key 2>/dev/null || true
