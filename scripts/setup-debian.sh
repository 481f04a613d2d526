#!/bin/sh
# setup-debian.sh - on a fresh Debian 12 machine, as root: install what forage
# needs to build and test, build it, and acquire a small demo image.
# Prints where the evidence and its record went.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "== installing Debian packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends \
		build-essential autoconf automake pkg-config clang libclang-rt-14-dev \
		libewf-dev libssl-dev libsqlite3-dev libpq-dev libmagic-dev libjansson-dev \
		zlib1g-dev libisal-dev libfuse3-dev fuse3 \
		ewf-tools sleuthkit dc3dd sqlite3 jq libxml2-utils \
		e2fsprogs util-linux fdisk mount file time xxd \
		openssl chromium poppler-utils bc dosfstools mtools gddrescue \
		python3-jsonschema qemu-utils p7zip-full zip xz-utils bzip2 \
		zstd qemu-system-x86 linux-image-amd64 busybox-static \
		slurm-wlm munge postgresql >/dev/null
	# (make check-lab starts a munged, slurmctld and slurmd of its own in
	# a temporary folder, on ports of its own: the packages' services,
	# configured or not, are left as they are.)
else
	echo "== not root or no apt-get: skipping package installation"
fi

echo "== building"
./bootstrap >/dev/null
mkdir -p build
cd build
../configure --enable-werror -q
make -s -j"$(nproc)"
cd "$top"

echo "== demo: acquiring a small ext4 image"
rm -rf demo
mkdir -p demo/evidence
# A 16 MiB ext4 file system holding the project's own docs and sources.
truncate -s 16M demo/suspect.img
mkfs.ext4 -q -F -d "$top/docs" -L DEMO demo/suspect.img
build/src/forage acquire demo/suspect.img -o demo/evidence/DEMO \
	--case DEMO-1 --evidence DEMO --examiner "Demo Examiner" \
	--description "16 MiB ext4 demo image" --progress none
build/src/forage verify demo/evidence/DEMO.E01 --examiner "Demo Examiner" \
	--progress none >/dev/null
build/src/forage report --case DEMO-1 --case-db demo/evidence/case.db \
	--format html -o demo/evidence/DEMO-report.html
echo
echo "evidence:  $top/demo/evidence/DEMO.E01 (ewfverify, ewfinfo and The Sleuth Kit read it)"
echo "record:    $top/demo/evidence/DEMO.json and DEMO.txt"
echo "case:      $top/demo/evidence/case.db (forage case show --case-db ...)"
echo "report:    $top/demo/evidence/DEMO-report.html"
echo "checksums: cd $top/demo/evidence && sha256sum -c DEMO.sha256"
(cd demo/evidence && sha256sum -c DEMO.sha256)
