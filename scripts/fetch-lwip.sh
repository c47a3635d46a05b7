#!/usr/bin/env bash
# Fetches lwIP 2.1.3 from Debian's source package `lwip` and unpacks it to
# <build>/third_party/lwip. lwIP is never committed to this repository: it is
# fetched at build time, through a private apt configuration under
# <build>/apt/ (its own sources list, state, lists and cache), so the
# machine's /etc/apt is neither read for sources nor modified.
#
# Usage: scripts/fetch-lwip.sh [BUILD_DIR]   (default: build)
# Idempotent: does nothing if the tree is already unpacked. The archive is
# the one the machine's apt configuration already uses for bookworm main
# (read, never changed); LWIP_DEBIAN_MIRROR=<url> picks another one.
# Needs apt-get, dpkg-source (dpkg-dev) and debian-archive-keyring; fails
# with a message saying what went wrong if the source cannot be fetched.
set -eu

want_version=2.1.3
configured_archive() {
    apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT)' 'Created-By: Packages' \
        2>/dev/null | awk '$2 == "bookworm" && $3 == "main" { print $1; exit }'
}
mirror=${LWIP_DEBIAN_MIRROR:-$(configured_archive)}
if [ -z "$mirror" ]; then
    # apt lists only what it has package lists for: refresh them once.
    apt-get update -q >/dev/null 2>&1 || true
    mirror=$(configured_archive)
fi
if [ -z "$mirror" ]; then
    echo "fetch-lwip: no Debian bookworm main archive configured in apt; set LWIP_DEBIAN_MIRROR" >&2
    exit 1
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

build=$(mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)
dest=$build/third_party/lwip
if [ -f "$dest/src/core/init.c" ] && [ -f "$dest/src/include/lwip/init.h" ]; then
    exit 0
fi

die() { echo "fetch-lwip: error: $*" >&2; exit 1; }
command -v apt-get >/dev/null || die "apt-get not found (a Debian machine is needed)"
command -v dpkg-source >/dev/null || die "dpkg-source not found: install dpkg-dev (scripts/install-deps.sh)"
[ -r "$keyring" ] || die "$keyring missing: install debian-archive-keyring"

# Private apt configuration: nothing here touches /etc/apt.
apt=$build/apt
mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/etc/preferences.d"
: >"$apt/state/status"
echo "deb-src [signed-by=$keyring] $mirror bookworm main" >"$apt/sources.list"
cat >"$apt/apt.conf" <<CONF
Dir::State "$apt/state";
Dir::State::status "$apt/state/status";
Dir::Cache "$apt/cache";
Dir::Etc::SourceList "$apt/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "$apt/etc/preferences";
Dir::Etc::PreferencesParts "$apt/etc/preferences.d";
APT::Sandbox::User "root";
CONF
export APT_CONFIG=$apt/apt.conf

echo "fetch-lwip: updating the private package lists ($mirror bookworm main, sources)"
apt-get -q update >"$apt/update.log" 2>&1 ||
    { cat "$apt/update.log" >&2; die "apt-get update failed for $mirror (no network or mirror down?)"; }
# apt-get update may exit 0 after failing to fetch an index: check too.
if grep -qE '^(E: |Err:)|Failed to fetch' "$apt/update.log"; then
    cat "$apt/update.log" >&2
    die "could not fetch the source index from $mirror (no network or mirror down?)"
fi

# Download (not build) the source package into a scratch directory.
work=$build/third_party/.lwip-fetch
rm -rf "$work" && mkdir -p "$work"
(cd "$work" && apt-get -q source --download-only lwip) >"$apt/source.log" 2>&1 ||
    { cat "$apt/source.log" >&2; die "could not download Debian's lwip source package"; }
dsc=$(ls "$work"/lwip_*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || die "no lwip .dsc downloaded (see $apt/source.log)"
version=$(sed -n 's/^Version: //p' "$dsc")
case "$version" in
    "$want_version"+*|"$want_version"-*) ;;
    *) die "Debian's lwip is version $version, expected $want_version" ;;
esac

# Unpack (with Debian's patches applied) and move to the stable path. The
# files' integrity was checked by apt against the archive's signed Sources
# index; dpkg-source cannot also check the uploader's signature without
# debian-keyring, and only warns about that.
echo "fetch-lwip: unpacking lwip $version"
(cd "$work" && dpkg-source -q -x "$(basename "$dsc")" tree) >"$apt/unpack.log" 2>&1 ||
    { cat "$apt/unpack.log" >&2; die "dpkg-source -x failed"; }
[ -f "$work/tree/src/core/init.c" ] || die "unpacked tree has no src/core/init.c"
echo "$version" >"$work/tree/DEBIAN-VERSION"
rm -rf "$dest"
mv "$work/tree" "$dest"
rm -rf "$work"
echo "fetch-lwip: lwip $version in $dest"
