#!/bin/sh
# rig.sh - the hardware-in-the-loop rig: a Debian kernel under QEMU (TCG)
# with a busybox initramfs holding forage.  See tests/hw/README.
#
#   rig.sh need
#       exit 77 with the reason on stderr unless QEMU, a kernel in /boot,
#       busybox (static), its modules and root are there.
#   rig.sh initramfs FORAGE OUT
#       write OUT, a gzipped cpio initramfs: busybox, tests/hw/init, FORAGE
#       as /bin/forage with the libraries ldd names, libmagic's database,
#       and the kernel modules RIG_MODULES need (in load order, in
#       /etc/rig-modules).
#   rig.sh boot INITRAMFS SCENARIO OUTDIR SECONDS [QEMU-ARGS...]
#       boot once with SCENARIO as /scenario.sh (run in the guest's /out,
#       sh, with the host's ASAN_OPTIONS and UBSAN_OPTIONS), a fresh 256 MiB output disk, the serial console in
#       OUTDIR/console.log, QEMU killed after SECONDS; unpack what the guest
#       left in /out into OUTDIR (scenario.rc, scenario.out, scenario.err,
#       dmesg.txt and the scenario's files).  Exit 0 when the guest wrote
#       its outputs, 124 when QEMU ran out of time, 1 otherwise.
#   rig.sh kernel
#       the guest's kernel file (scripts/validate.sh names its release).
#
# Environment: RIG_KERNEL (default: the newest /boot/vmlinuz-*),
# RIG_QEMU (qemu-system-x86_64), RIG_BUSYBOX (busybox), RIG_OUT_SIZE (256M),
# RIG_MODULES (ahci sd_mod sg nvme xhci_pci usb_storage uas virtio_pci
# virtio_scsi), RIG_MONITOR
# (a path: QEMU's monitor on the FIFOs PATH.in and PATH.out; default none).
# The guest never uses KVM: TCG only.
set -u
here=$(cd "$(dirname "$0")" && pwd)
QEMU=${RIG_QEMU:-qemu-system-x86_64}
BUSYBOX=${RIG_BUSYBOX:-busybox}
OUT_SIZE=${RIG_OUT_SIZE:-256M}
# The drivers of every scenario's drives, in one initramfs: AHCI/SATA,
# NVMe, USB (xHCI, usb-storage, UAS), virtio-scsi.  Each costs the guest
# an insmod.
RIG_MODULES=${RIG_MODULES:-ahci sd_mod sg nvme xhci_pci usb_storage uas virtio_pci virtio_scsi}

die() { echo "rig: $*" >&2; exit 1; }

rig_kernel() {
	if [ -n "${RIG_KERNEL:-}" ]; then echo "$RIG_KERNEL"; return; fi
	ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1
}

# The kernel release of a /boot/vmlinuz-KVER file.
rig_kver() { basename "$1" | sed 's/^vmlinuz-//'; }

cmd_need() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root (reads /boot and /lib/modules)" >&2; exit 77; }
	command -v "$QEMU" >/dev/null 2>&1 ||
		{ echo "needs $QEMU (apt-get install qemu-system-x86)" >&2; exit 77; }
	k=$(rig_kernel)
	[ -n "$k" ] && [ -r "$k" ] ||
		{ echo "needs a kernel in /boot/vmlinuz-* (apt-get install linux-image-amd64)" >&2; exit 77; }
	[ -d "/lib/modules/$(rig_kver "$k")" ] ||
		{ echo "needs /lib/modules/$(rig_kver "$k") for $k" >&2; exit 77; }
	bb=$(command -v "$BUSYBOX" 2>/dev/null) ||
		{ echo "needs $BUSYBOX (apt-get install busybox-static)" >&2; exit 77; }
	# A dynamically linked busybox would need its libraries in the guest too.
	if ldd "$bb" >/dev/null 2>&1; then
		echo "needs a static busybox ($bb is dynamic; apt-get install busybox-static)" >&2
		exit 77
	fi
	for c in modprobe ldd gzip tar timeout; do
		command -v "$c" >/dev/null 2>&1 || { echo "needs $c" >&2; exit 77; }
	done
	exit 0
}

# copy_file FILE ROOT: FILE (symbolic links followed) to ROOT/FILE
copy_file() {
	mkdir -p "$2$(dirname "$1")" && cp -L "$1" "$2$1"
}

cmd_initramfs() {
	[ $# -eq 2 ] || die "usage: rig.sh initramfs FORAGE OUT"
	forage=$1 out=$2
	[ -x "$forage" ] || die "$forage: not an executable"
	k=$(rig_kernel)
	kver=$(rig_kver "$k")
	root=$(mktemp -d /tmp/forage-rig-root.XXXXXX) || exit 1
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root/bin" "$root/etc" "$root/dev" "$root/proc" "$root/sys" \
		"$root/tmp" "$root/out" || exit 1
	cp -L "$(command -v "$BUSYBOX")" "$root/bin/busybox" || exit 1
	cp "$here/init" "$root/init" && chmod 755 "$root/init" || exit 1
	cp -L "$forage" "$root/bin/forage" || exit 1
	# The libraries and the loader, at the paths ldd gives (the loader's
	# path is the one the binary names).
	ldd "$forage" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		while read -r lib; do copy_file "$lib" "$root" || exit 1; done || exit 1
	# libmagic's database, once, with the other name a link to it.
	for mgc in /usr/lib/file/magic.mgc /usr/share/misc/magic.mgc; do
		[ -e "$mgc" ] || continue
		real=$(readlink -f "$mgc")
		if [ -e "$root$real" ]; then
			[ "$real" = "$mgc" ] || { mkdir -p "$root$(dirname "$mgc")" &&
				ln -s "$real" "$root$mgc"; } || exit 1
		else
			copy_file "$real" "$root" || exit 1
			[ "$real" = "$mgc" ] || { mkdir -p "$root$(dirname "$mgc")" &&
				ln -s "$real" "$root$mgc"; } || exit 1
		fi
	done
	# Modules in the order modprobe would load them, each once; built-in
	# ones are not listed by --show-depends.
	: >"$root/etc/rig-modules"
	for m in $RIG_MODULES; do
		modprobe -S "$kver" --show-depends "$m" || die "modprobe: no module $m for $kver"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' >"$root/mods" || exit 1
	while read -r ko; do
		copy_file "$ko" "$root" && echo "$ko" >>"$root/etc/rig-modules" || exit 1
	done <"$root/mods"
	rm -f "$root/mods"
	echo "$kver" >"$root/etc/rig-kernel"
	(cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1) >"$out" ||
		die "cpio of $root failed"
}

cmd_boot() {
	[ $# -ge 4 ] || die "usage: rig.sh boot INITRAMFS SCENARIO OUTDIR SECONDS [QEMU-ARGS...]"
	initrd=$1 scenario=$2 outdir=$3 secs=$4
	shift 4
	mkdir -p "$outdir" || exit 1
	work=$(mktemp -d /tmp/forage-rig-boot.XXXXXX) || exit 1
	trap 'rm -rf "$work"' EXIT
	# The scenario goes in a second cpio archive appended to the first:
	# the kernel unpacks both into the same root.
	mkdir "$work/s" && cp "$scenario" "$work/s/scenario.sh" || exit 1
	# The sanitizers' settings (make check sets them) go with it.
	for v in ASAN_OPTIONS UBSAN_OPTIONS; do
		eval "val=\${$v:-}"
		# shellcheck disable=SC2154
		[ -n "$val" ] && printf "export %s='%s'\n" "$v" \
			"$(printf %s "$val" | sed "s/'/'\\\\''/g")"
	done >"$work/s/rig-env"
	(cd "$work/s" && printf 'scenario.sh\nrig-env\n' |
		"$BUSYBOX" cpio -o -H newc 2>/dev/null | gzip -1) \
		>"$work/scenario.cpio.gz" || exit 1
	cat "$initrd" "$work/scenario.cpio.gz" >"$work/initrd" || exit 1
	truncate -s "$OUT_SIZE" "$work/out.disk" || exit 1
	# RIG_MONITOR=PATH: QEMU's monitor on the FIFOs PATH.in and PATH.out
	# (made here when absent), for device_del and the like mid-run.
	monitor=none
	if [ -n "${RIG_MONITOR:-}" ]; then
		for f in "$RIG_MONITOR.in" "$RIG_MONITOR.out"; do
			[ -p "$f" ] || mkfifo "$f" || exit 1
		done
		monitor=pipe:$RIG_MONITOR
	fi
	timeout -k 5 "$secs" "$QEMU" -accel tcg -m 512 -smp 1 -nographic -no-reboot \
		-monitor "$monitor" -serial "file:$outdir/console.log" \
		-kernel "$(rig_kernel)" -initrd "$work/initrd" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 log_buf_len=1M" \
		-device ahci,id=rigahci \
		-drive "if=none,id=rigout,file=$work/out.disk,format=raw" \
		-device ide-hd,drive=rigout,bus=rigahci.0,model=RIG-OUTPUT,serial=RIGOUT \
		"$@" </dev/null >"$outdir/qemu.out" 2>&1
	rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "rig: QEMU ran out of time ($secs s)" >&2
		return 124
	fi
	[ "$rc" -eq 0 ] || { echo "rig: QEMU exit $rc" >&2; cat "$outdir/qemu.out" >&2; return 1; }
	tar -xf "$work/out.disk" -C "$outdir" 2>"$work/tar.err" || true
	[ -f "$outdir/scenario.rc" ] || {
		echo "rig: the guest wrote no outputs; console:" >&2
		tail -n 30 "$outdir/console.log" >&2
		return 1
	}
	return 0
}

case ${1:-} in
need) shift; cmd_need "$@" ;;
initramfs) shift; cmd_initramfs "$@" ;;
boot) shift; cmd_boot "$@" ;;
kernel) rig_kernel ;;
*) die "usage: rig.sh need | initramfs FORAGE OUT | boot INITRAMFS SCENARIO OUTDIR SECONDS [QEMU-ARGS...] | kernel" ;;
esac
