#!/usr/bin/env bash
# Starts a throwaway MariaDB 10.11 on 127.0.0.1 with its own datadir for the mysql storage tests and
# prints FERRY_MYSQL_* lines on stdout. No system service and no /etc/mysql config are involved (--no-defaults).
# The user `ferry` may create databases named ferry_*, so each test run makes its own and runs never collide.
# TLS is on with a throwaway CA (FERRY_MYSQL_CA); the user FERRY_MYSQL_TLS_USER is created `REQUIRE SSL`, so a
# test logged in as it knows its connection is encrypted.
# Env: PEERS_DIR (required unless MARIADB_DIR is set), MARIADB_DIR (default $PEERS_DIR/mariadb),
# MARIADB_PORT (default: 53306 or the next free port).
set -euo pipefail
D=${MARIADB_DIR:-$PEERS_DIR/mariadb}
. "$(dirname "$0")/../lib.sh"
PORT=${MARIADB_PORT:-$(free_port 53306)}
# mariadbd runs as mysql, which must be able to traverse into $D (mktemp dirs are 0700).
mkdir -p "$(dirname "$D")" && chmod a+x "$(dirname "$D")"
alive() { [[ "$(ps -o stat= -p "$1" 2>/dev/null)" =~ ^[^Z] ]]; }
if [ -f "$D/mariadbd.pid" ]; then
  OLD=$(cat "$D/mariadbd.pid"); kill "$OLD" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$OLD" || break; sleep 0.1; done
fi
rm -rf "$D"
install -d -o mysql -g mysql "$D" "$D/data"
make_tls_cert "$D/tls" mysql:mysql
mariadb-install-db --no-defaults --user=mysql --datadir="$D/data" \
  --auth-root-authentication-method=socket --skip-test-db >"$D/install.log" 2>&1
# --no-defaults must come first; mariadbd runs as the OS user mysql.
nohup mariadbd --no-defaults --user=mysql --datadir="$D/data" --port="$PORT" --bind-address=127.0.0.1 \
  --socket="$D/mariadbd.sock" --pid-file="$D/mariadbd.pid" --log-error="$D/error.log" \
  --skip-name-resolve --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
  --innodb-buffer-pool-size=64M --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
  --ssl-ca="$D/tls/ca.crt" --ssl-cert="$D/tls/server.crt" --ssl-key="$D/tls/server.key" \
  >/dev/null 2>&1 &
for _ in $(seq 1 150); do mariadb-admin --socket="$D/mariadbd.sock" -uroot ping >/dev/null 2>&1 && break; sleep 0.1; done
mariadb --socket="$D/mariadbd.sock" -uroot -e "CREATE DATABASE ferry; CREATE USER 'ferry'@'%' IDENTIFIED BY 'ferrypw';
  GRANT ALL ON ferry.* TO 'ferry'@'%'; GRANT ALL ON \`ferry\\_%\`.* TO 'ferry'@'%';
  CREATE USER 'ferry_tls'@'%' IDENTIFIED BY 'ferrypw' REQUIRE SSL; GRANT ALL ON \`ferry\\_%\`.* TO 'ferry_tls'@'%';" >&2
echo "FERRY_MYSQL_HOST=127.0.0.1"
echo "FERRY_MYSQL_PORT=$PORT"
echo "FERRY_MYSQL_USER=ferry"
echo "FERRY_MYSQL_PASSWORD=ferrypw"
echo "FERRY_MYSQL_DATABASE=ferry"
echo "FERRY_MYSQL_TLS_USER=ferry_tls"
echo "FERRY_MYSQL_CA=$D/tls/ca.crt"
