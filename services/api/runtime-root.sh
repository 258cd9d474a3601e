#!/usr/bin/env bash
# Assembles the service image's root filesystem in $1 from the image this runs in (Node's official
# image, the Dockerfile's BUILD_IMAGE): node, the shared libraries the loader resolves for it, the
# files glibc and image scanners read, and the dpkg records of exactly the packages those files come
# from. No shell, no package manager, no other program. Every path comes from ldd and dpkg, none is
# written here for one architecture, so it runs alike for linux/amd64 and linux/arm64.
set -euo pipefail

root=$1
node=/usr/local/bin/node

# $1, then each symbolic link on its way and what the link points to: Debian's merged-/usr aliases
# (/lib -> usr/lib, /lib64 -> usr/lib64, the only directory links Debian ships) and the links a
# library's or the loader's name is (libstdc++.so.6 -> libstdc++.so.6.0.33).
with_links() {
    local path=$1 top target
    top=$(cut -d/ -f1-2 <<<"$path")
    if [ -L "$top" ]; then
        echo "$top"
        path=$(realpath "$top")${path#"$top"}
    fi
    echo "$path"
    if [ -L "$path" ]; then
        target=$(readlink "$path")
        [[ $target == /* ]] || target=$(dirname "$path")/$target
        with_links "$(realpath --no-symlinks "$target")"
    fi
}

if ldd "$node" | grep 'not found'; then
    echo "node links a library this image does not have" >&2
    exit 1
fi
# Every absolute path ldd prints: each library the loader resolves for node, and the loader itself.
mapfile -t linked < <(ldd "$node" | grep -o '/[^ ]*')
# What scanners read to know the distribution: Trivy's Debian analyzer reads /etc/debian_version,
# others /etc/os-release.
mapfile -t taken < <(for path in "${linked[@]}" /etc/debian_version /etc/os-release; do with_links "$path"; done | sort -u)

# As they are: links stay links; modes, owners (root) and times are kept.
install -d "$root"
cp --archive --parents "$node" "${taken[@]}" "$root"
# Host names from /etc/hosts first (localhost, a pod's own name): without this file glibc asks DNS
# first and never reads /etc/hosts when DNS answers.
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
# The one writable place, where the pod mounts an emptyDir.
install -d -m 1777 "$root/tmp"

# Each file taken (all but node, which Node's image installs from its own archive) belongs to a
# Debian package. Its record goes where distroless puts it, /var/lib/dpkg/status.d/<package>, with
# <package>.md5sums listing the package's files the image holds: scanners then report those
# packages' versions (glibc's, libstdc++'s) and no package whose files are absent.
declare -A files_of=()
for path in "${taken[@]}"; do
    owner=$(dpkg-query --search "$path" | grep -v '^diversion ' | sed 's/: .*//') || {
        echo "$path belongs to no package" >&2
        exit 1
    }
    files_of[$owner]+="${path#/}"$'\n'
done
status=$root/var/lib/dpkg/status.d
install -d "$status"
for package in "${!files_of[@]}"; do
    name=$(dpkg-query --show --showformat='${Package}' "$package")
    dpkg-query --status "$package" >"$status/$name"
    md5sums=$(dpkg-query --control-path "$package" md5sums)
    [ -n "$md5sums" ] || continue
    # md5sums lists regular files only (no links, no conffiles), as `usr/lib/...` without the leading slash.
    kept=$(awk 'NR == FNR { keep[$0]; next } $2 in keep' <(printf '%s' "${files_of[$package]}") "$md5sums")
    [ -z "$kept" ] || printf '%s\n' "$kept" >"$status/$name.md5sums"
done
