#!/bin/sh
# --chunk-size auto (the default): a large source gets larger chunks, so
# that libewf's 8 bytes a chunk, taken for every chunk of the media when
# the first chunk is written, stay bounded.  Sparse sources of 100 GiB to
# 8 TiB: each run is interrupted once its first chunks are on disk; the
# chunk size is read back by ewfinfo from the partial set, and peak RSS
# (VmHWM) is read after libewf took its memory (and, for 4 TiB, after
# 64 MiB of noise went through every compression buffer).  (What the
# chunk sizes themselves write is checked end to end by t0101: 64K, 2M
# and 16M sets.)
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
. "$FG_SRCDIR/tests/e2e/lib/e01.sh"
need_cmd truncate

# start_and_stop NAME SOURCE [OPTIONS...]: run an acquisition into NAME/,
# wait until its first segment holds 1 MB (chunks written; $wait_bytes
# when set), read its peak RSS so far (VmHWM, KiB) into rss=, interrupt
# it; spc= is the sectors a chunk ewfinfo reads from the partial set.
start_and_stop() {
	s_dir=$1; s_src=$2; shift 2
	mkdir "$s_dir"
	"$FORAGE" acquire "$s_src" -o "$s_dir/HD1" --progress none "$@" >out.txt 2>err.txt &
	s_pid=$!
	s_seg=$s_dir/HD1.E01.incomplete/HD1.E01
	i=0
	while [ "$(stat -c %s "$s_seg" 2>/dev/null || echo 0)" -lt "${wait_bytes:-1000000}" ] &&
		[ $i -lt 1200 ]; do
		kill -0 "$s_pid" 2>/dev/null || break
		sleep 0.05; i=$((i + 1))
	done
	rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$s_pid/status" 2>/dev/null)
	kill -INT "$s_pid" 2>/dev/null
	wait "$s_pid"
	s_rc=$?
	[ "$s_rc" -eq 4 ] && ok "$s_dir: started, then interrupted (exit 4)" ||
		{ fail "$s_dir: exit $s_rc, want 4"; sed 's/^/  | /' err.txt >&2; }
	spc=$(ewfinfo "$s_seg" 2>/dev/null | sed -n 's/^[[:space:]]*Sectors per chunk:[[:space:]]*//p')
}

# 4 TiB and a sector: more chunks of 32K than libewf indexes (t0101 checks
# that --chunk-size 32K is refused); auto takes 2M chunks (4096 sectors).
# It starts with 64 MiB of noise, which no chunk compresses: every slot
# and every worker's output buffer is then filled to the brim (zeros
# would leave the output buffers untouched), before RSS is read.
truncate -s $((4 * 1024 * 1024 * 1024 * 1024 + 512)) t4.bin
head -c 64M /dev/urandom | dd of=t4.bin conv=notrunc bs=1M status=none
wait_bytes=62914560
start_and_stop a4 t4.bin
unset wait_bytes
[ "$spc" = 4096 ] && ok "4 TiB: 2M chunks (4096 sectors)" || fail "4 TiB: $spc sectors a chunk"
[ "$(json_get a4/HD1.json .parameters.chunk_size)" = 0 ] && ok "4 TiB: the record says auto (0)" ||
	fail "4 TiB: parameters.chunk_size $(json_get a4/HD1.json .parameters.chunk_size)"
rss4=$rss
rm -rf a4

# 8 TiB: still 2M chunks, the largest auto takes.
truncate -s 8T t8.bin
start_and_stop a8 t8.bin
[ "$spc" = 4096 ] && ok "8 TiB: 2M chunks" || fail "8 TiB: $spc sectors a chunk"
rm -rf a8 t8.bin

# 100 GiB: 64K chunks; 1 TiB: 512K.  encase5 and linen6 (EnCase 5 and
# later) scale the same; encase4 and ftk keep 64 sectors.
truncate -s 100G t100.bin
start_and_stop a100 t100.bin
[ "$spc" = 128 ] && ok "100 GiB: 64K chunks" || fail "100 GiB: $spc sectors a chunk"
start_and_stop a100-e5 t100.bin --ewf-format encase5
[ "$spc" = 128 ] && ok "100 GiB, encase5: 64K chunks" || fail "100 GiB, encase5: $spc sectors a chunk"
start_and_stop a100-ftk t100.bin --ewf-format ftk
[ "$spc" = 64 ] && ok "100 GiB, ftk: 32K chunks" || fail "100 GiB, ftk: $spc sectors a chunk"
start_and_stop a100-32K t100.bin --chunk-size 32K
[ "$spc" = 64 ] && ok "100 GiB, --chunk-size 32K: as asked" || fail "100 GiB, 32K: $spc sectors a chunk"
rm -rf a100*

truncate -s 1T t1.bin
start_and_stop a1 t1.bin --ewf-format linen6
[ "$spc" = 1024 ] && ok "1 TiB, linen6: 512K chunks" || fail "1 TiB, linen6: $spc sectors a chunk"
start_and_stop a1-e4 t1.bin --ewf-format encase4
[ "$spc" = 64 ] && ok "1 TiB, encase4: 32K chunks" || fail "1 TiB, encase4: $spc sectors a chunk"
# The same 1 TiB in 32K chunks: libewf takes 256 MiB at the first chunk,
# which shows that peak RSS sees libewf's array.
start_and_stop a1-32K t1.bin --chunk-size 32K
rss1=$rss
rm -rf a1*

if [ -n "$rss4" ] && [ -n "$rss1" ]; then
	[ "$rss1" -gt $((256 * 1024)) ] && ok "1 TiB in 32K chunks: peak RSS $rss1 KiB, over 256 MiB" ||
		fail "1 TiB in 32K chunks: peak RSS $rss1 KiB (libewf's array not seen)"
	if [ -n "${FG_SANITIZERS:-}" ] && [ "$FG_SANITIZERS" != no ]; then
		# AddressSanitizer's shadow and quarantine are not forage's.
		[ "$rss4" -lt $((rss1 / 2)) ] &&
			ok "4 TiB auto: peak RSS $rss4 KiB, under half of 1 TiB in 32K (sanitizers: no absolute bound)" ||
			fail "4 TiB auto: peak RSS $rss4 KiB"
	else
		[ "$rss4" -lt $((64 * 1024)) ] && ok "4 TiB auto: peak RSS $rss4 KiB, under 64 MiB" ||
			fail "4 TiB auto: peak RSS $rss4 KiB, want under 64 MiB"
	fi
else
	fail "peak RSS not read from /proc (4 TiB: '$rss4', 1 TiB: '$rss1')"
fi
done_testing
