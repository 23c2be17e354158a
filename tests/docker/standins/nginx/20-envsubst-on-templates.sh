#!/bin/sh
# As in the official image: each /etc/nginx/templates/X.template becomes /etc/nginx/conf.d/X, with the
# ${VARIABLES} that are defined in the environment filled in (nginx's own $variables are left alone).
set -eu
defined="$(printf '${%s} ' $(env | cut -d= -f1))"
for template in /etc/nginx/templates/*.template; do
  [ -e "$template" ] || continue
  out="/etc/nginx/conf.d/$(basename "$template" .template)"
  envsubst "$defined" < "$template" > "$out"
  echo "$0: rendered $template to $out"
done
