#!/usr/bin/env bash
# Installs the Debian packages Pride needs, only those missing. Needs root
# (or sudo) the first time; later runs only check.
set -eu
packages=(make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
          qemu-system-arm gdb-multiarch python3 spin iproute2 dpkg-dev picolibc-aarch64-linux-gnu
          netcat-openbsd  # nc: the README's way to talk to the echo server
          curl            # the web server tests, and the README's way to upload
          chromium        # renders `pride graph` diagrams in the tool tests
          fdisk dosfstools mtools  # disk images for the storage tests: sfdisk, mkfs.fat, mcopy
          wrk             # HTTP load for bench/webserver's requests per second
          apache2-utils)  # ab: tests/web's load test
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
