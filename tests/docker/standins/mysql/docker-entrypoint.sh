#!/bin/bash
# The parts of the official mysql image's entrypoint stacklab relies on, for MariaDB.
set -euo pipefail
datadir=/var/lib/mysql
chown -R mysql:mysql "$datadir" /run/mysqld

if [ "${1:-}" = mariadbd ] && [ ! -d "$datadir/mysql" ]; then
  : "${MYSQL_ROOT_PASSWORD:?the stand-in, like the official image, needs MYSQL_ROOT_PASSWORD}"
  echo "stand-in entrypoint: initializing $datadir"
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal --skip-test-db >/dev/null
  # A temporary server without networking, as the official image does, for the init scripts.
  mariadbd --user=mysql --skip-networking --socket=/run/mysqld/mysqld.sock &
  pid=$!
  for _ in $(seq 60); do mariadb-admin --socket=/run/mysqld/mysqld.sock ping >/dev/null 2>&1 && break; sleep 0.5; done
  mariadb --socket=/run/mysqld/mysqld.sock -uroot <<SQL
DELETE FROM mysql.global_priv WHERE User = '';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY '${MYSQL_ROOT_PASSWORD}';
FLUSH PRIVILEGES;
SQL
  if [ -n "${MYSQL_DATABASE:-}" ]; then
    MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`"
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb -uroot < "$f" ;;
    esac
  done
  mariadb-admin --socket=/run/mysqld/mysqld.sock -uroot -p"$MYSQL_ROOT_PASSWORD" shutdown
  wait "$pid" || true
  echo "stand-in entrypoint: init done"
fi
if [ "${1:-}" = mariadbd ]; then set -- "$@" --user=mysql; fi
exec "$@"
