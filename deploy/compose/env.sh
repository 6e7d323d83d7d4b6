#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints fresh secrets for compose.yaml as an env file:
#   (umask 077; deploy/compose/env.sh > arca.env)
# Keep the file: its master key opens the KEK in the keys volume, and the database keeps the
# password it was made with.
set -eu
rand() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
printf 'ARCA_DB_PASSWORD=%s\n' "$(rand 24)"
printf 'ARCA_MASTER_KEY=%s\n' "$(head -c 32 /dev/urandom | base64)"
printf 'ARCA_AUTOMATION_SECRET=%s\n' "$(rand 24)"
printf 'ARCA_AUDIT_SECRET=%s\n' "$(rand 24)"
printf 'ARCA_CONSOLE_SECRET=%s\n' "$(rand 24)"
