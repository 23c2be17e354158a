#!/bin/sh
# Creates the app's database and its two users. The official MySQL image runs this once, from
# /docker-entrypoint-initdb.d, when its data volume is empty; both runners also run it at every
# `make up` (every statement is idempotent, and the passwords always follow .env), which is how a
# database made by an older version of stacklab gets the migration user and loses the rest.
#
# Least privilege, two users, each for its own database only (no FILE, no GRANT, no CREATE USER):
#   DB_USER            the app's runtime user: reads and writes rows (SELECT, INSERT, UPDATE, DELETE),
#                      and cannot change the schema, so even an injected statement cannot drop a table;
#   DB_MIGRATION_USER  the user the app's migrations run as, at its start: may also change the schema.
set -eu
: "${DB_NAME:?DB_NAME is not set}" "${DB_USER:?DB_USER is not set}" "${DB_PASSWORD:?DB_PASSWORD is not set}"
: "${DB_MIGRATION_USER:?DB_MIGRATION_USER is not set}" "${DB_MIGRATION_PASSWORD:?DB_MIGRATION_PASSWORD is not set}"

# Root's password goes to the client in a private options file, never on the command line (where
# any user could read it in the process list).
defaults="$(mktemp)"
trap 'rm -f "$defaults"' EXIT
printf '[client]\nuser=root\npassword="%s"\n' "${MYSQL_ROOT_PASSWORD:-}" > "$defaults"

# MYSQL_SOCKET is set by the native runner; in the official image the default socket is right.
mysql --defaults-extra-file="$defaults" --protocol=socket ${MYSQL_SOCKET:+--socket="$MYSQL_SOCKET"} <<SQL
CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;

CREATE USER IF NOT EXISTS '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}';
ALTER USER '${DB_USER}'@'%' IDENTIFIED BY '${DB_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`${DB_NAME}\`.* TO '${DB_USER}'@'%';
-- Older versions of stacklab let the app's user change the schema too: take that back.
REVOKE CREATE, ALTER, INDEX, DROP, REFERENCES ON \`${DB_NAME}\`.* FROM '${DB_USER}'@'%';

CREATE USER IF NOT EXISTS '${DB_MIGRATION_USER}'@'%' IDENTIFIED BY '${DB_MIGRATION_PASSWORD}';
ALTER USER '${DB_MIGRATION_USER}'@'%' IDENTIFIED BY '${DB_MIGRATION_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON \`${DB_NAME}\`.* TO '${DB_MIGRATION_USER}'@'%';
SQL
echo "stacklab: database ${DB_NAME}, app user ${DB_USER} and migration user ${DB_MIGRATION_USER} are ready"
