#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds Arca's container images into the local Docker engine from a built checkout
# (./mvnw -B package first; the `containers` module runs this in its build):
#
#   arca/service:<version>   the attestation service (Quarkus fast-jar)
#   arca/runtime:<version>   the device runtime (`arca runtime`)
#   arca/keycloak:<version>  Keycloak from its Maven Central distribution (tests, trials)
#   arca/postgres:<version>  PostgreSQL 15 from Debian (tests, trials)
#   arca/haproxy:<version>   HAProxy from Debian in front of three replicas (tests, trials)
#
# Settings (environment):
#   ARCA_BASE_IMAGE   the JRE 17 image the Java images start from; with a registry, e.g.
#                     eclipse-temurin:17-jre. Default: ARCA_DEBIAN_IMAGE.
#   ARCA_DEBIAN_IMAGE the Debian image PostgreSQL and HAProxy come from (default
#                     arca/debian:bookworm). When it is absent this script makes it with
#                     debootstrap (as root) from Debian's packages, so no registry is needed.
#   ARCA_DEBIAN_MIRROR the Debian mirror for debootstrap (default http://deb.debian.org/debian).
#   ARCA_REQUIRE_DOCKER=true  fail when no Docker engine answers, instead of skipping.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=${ARCA_VERSION:-0.1.0-SNAPSHOT}
debian=${ARCA_DEBIAN_IMAGE:-arca/debian:bookworm}
base=${ARCA_BASE_IMAGE:-$debian}
work=${ARCA_IMAGES_WORK:-$root/target/images}
keycloak_version=${ARCA_KEYCLOAK_VERSION:-26.5.6}

if ! docker info >/dev/null 2>&1; then
  if [ "${ARCA_REQUIRE_DOCKER:-}" = true ]; then
    echo "images: no Docker engine answers 'docker info' (ARCA_REQUIRE_DOCKER=true)" >&2
    exit 1
  fi
  echo "images: no Docker engine answers 'docker info'; images not built, container tests skip"
  exit 0
fi

need() {
  [ -e "$1" ] || { echo "images: $1 is missing; build first: ./mvnw -B package -DskipTests" >&2; exit 1; }
}
need "$root/attestation-service/target/quarkus-app/quarkus-run.jar"
need "$root/cli-runtime/target/arca-cli-runtime.jar"
need "$root/devstack/target/keycloak/keycloak-$keycloak_version/bin/kc.sh"

if ! docker image inspect "$debian" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { echo "images: $debian is absent and debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  echo "images: making $debian from Debian packages (debootstrap, about two minutes)"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase \
    --include=openjdk-17-jre-headless,postgresql,haproxy,ca-certificates,curl \
    bookworm "$rootfs" "${ARCA_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work.debootstrap.log" 2>&1 \
    || { echo "images: debootstrap failed; see $work.debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import --change 'ENV LANG=C.UTF-8' - "$debian" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

# Each image gets a context of its own with only what it copies (hard links, no copies).
rm -rf "$work" && mkdir -p "$work"
stage() { mkdir -p "$work/$1" && cp -r "$root/deploy/images/$1/." "$work/$1/"; }
stage service && cp -al "$root/attestation-service/target/quarkus-app" "$work/service/quarkus-app"
stage runtime && mkdir -p "$work/runtime/device" \
  && cp -al "$root/cli-runtime/target/arca-cli-runtime.jar" "$root/cli-runtime/target/lib" "$work/runtime/device/"
stage keycloak && cp -al "$root/devstack/target/keycloak/keycloak-$keycloak_version" "$work/keycloak/keycloak"
stage postgres
stage haproxy

build() {
  local name=$1 arg=$2 from=$3
  echo "images: arca/$name:$version (from $from)"
  docker build -q --build-arg "$arg=$from" --label "org.opencontainers.image.version=$version" \
    -t "arca/$name:$version" "$work/$name" >/dev/null
}
build service BASE "$base"
build runtime BASE "$base"
build keycloak BASE "$base"
build postgres DEBIAN "$debian"
build haproxy DEBIAN "$debian"
echo "images: built arca/{service,runtime,keycloak,postgres,haproxy}:$version"
