#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Makes the cluster on first start, then runs PostgreSQL in the foreground.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
data=/var/lib/arca-postgres/data
: "${ARCA_DB_USER:?set ARCA_DB_USER}" "${ARCA_DB_PASSWORD:?set ARCA_DB_PASSWORD}"
: "${ARCA_DB_NAME:=$ARCA_DB_USER}"
if [ ! -s "$data/PG_VERSION" ]; then
  pw=$(mktemp)
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$pw"
  "$bin/initdb" -D "$data" -U postgres --pwfile="$pw" --auth=scram-sha-256 --encoding=UTF8 >/dev/null
  rm -f "$pw"
  printf 'local all all scram-sha-256\nhost all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' \
    > "$data/pg_hba.conf"
  # The password reaches the server on stdin, never on a command line.
  printf "CREATE ROLE \"%s\" LOGIN PASSWORD '%s';\nCREATE DATABASE \"%s\" OWNER \"%s\";\n" \
    "$ARCA_DB_USER" "$(printf %s "$ARCA_DB_PASSWORD" | sed "s/'/''/g")" "$ARCA_DB_NAME" "$ARCA_DB_USER" \
    | "$bin/postgres" --single -D "$data" postgres >/dev/null
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*' -c password_encryption=scram-sha-256
