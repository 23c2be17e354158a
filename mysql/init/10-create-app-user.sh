#!/bin/sh
# Creates the app's database and its least-privileged user. The official MySQL image runs this once,
# from /docker-entrypoint-initdb.d, when its data volume is empty; the native runner runs it at every
# start (every statement is idempotent, and the password always follows .env).
#
# The app user may read and change its own database's tables and schema (migrations run as this
# user), and nothing else: no other database, no FILE, no GRANT, no CREATE USER.
set -eu
: "${DB_NAME:?DB_NAME is not set}" "${DB_USER:?DB_USER is not set}" "${DB_PASSWORD:?DB_PASSWORD is not set}"

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
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON \`${DB_NAME}\`.* TO '${DB_USER}'@'%';
SQL
echo "stacklab: database ${DB_NAME} and user ${DB_USER} are ready"
