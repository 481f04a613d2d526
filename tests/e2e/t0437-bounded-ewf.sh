#!/bin/sh
# Hostile EWF sets bound the work and the memory to what their files hold
# (issue 19, 2 and 9; issue 18, 5): forage's own E01 with its sections
# rewritten (checksums made good again) claiming 1 TiB or 2^63 bytes of
# media, a chunk of 1.7 GiB or of 0 bytes, chunk tables pointing outside
# their file, a chunk table entry 2 GiB past the file's end, a 'next'
# offset pointing backwards or at its own section.
# Each is refused with exit 2 and a message naming the file and the cause,
# without streaming zeros for media no file holds and without handing
# libewf a chunk size it would allocate gigabytes for.  Each run is under
# `timeout -s KILL 120`: killed means a failure, however slow the machine.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
need_cmd python3
need_e01_writer

cat >ewfpatch.py <<'PY'
import struct, sys, zlib
# ewfpatch.py FILE WHAT: rewrite one thing of forage's own E01 (EWF 1),
# its checksums made good again.
path, what = sys.argv[1], sys.argv[2]
d = bytearray(open(path, 'rb').read())
secs = {}
off = 13
while True:
	t = bytes(d[off:off + 16]).rstrip(b'\0').decode()
	nxt, size = struct.unpack('<QQ', d[off + 16:off + 32])
	secs.setdefault(t, []).append(off)
	if t == 'done' or nxt <= off:
		break
	off = nxt
def adler(b):
	return zlib.adler32(bytes(b)) & 0xffffffff
def fix_desc(o):
	d[o + 72:o + 76] = struct.pack('<I', adler(d[o:o + 72]))
def media(sectors=None, spc=None):
	# 'volume' and 'data': chunks, sectors per chunk, bytes per sector,
	# sectors; 1052 bytes, the last 4 the Adler-32 of the others.
	for t in ('volume', 'data'):
		o = secs[t][0] + 76
		if sectors is not None:
			d[o + 16:o + 24] = struct.pack('<Q', sectors)
		if spc is not None:
			d[o + 8:o + 12] = struct.pack('<I', spc)
		d[o + 1048:o + 1052] = struct.pack('<I', adler(d[o:o + 1048]))
if what == 'claims-1tib':
	media(sectors=1 << 31)
elif what == 'claims-2p63':
	media(sectors=1 << 54)
elif what == 'chunk-1g7':
	media(spc=3481600)
elif what == 'chunk-0':
	media(spc=0)
elif what == 'table-outside':
	# The base offset of both tables 1 TiB on: every chunk outside.
	for t in ('table', 'table2'):
		o = secs[t][0] + 76
		d[o + 8:o + 16] = struct.pack('<Q', 1 << 40)
		d[o + 20:o + 24] = struct.pack('<I', adler(d[o:o + 20]))
elif what == 'entry-far':
	# The last entry of both tables 2 GiB on: the chunk before it would
	# take 2 GiB, the last one lies past the end of the file.  The
	# entries' own Adler-32 follows them.
	for t in ('table', 'table2'):
		o = secs[t][0] + 76
		n = struct.unpack('<I', d[o:o + 4])[0]
		e = o + 24 + 4 * (n - 1)
		old = struct.unpack('<I', d[e:e + 4])[0]
		d[e:e + 4] = struct.pack('<I', (old & 0x80000000) | 0x7ffffff0)
		s = o + 24 + 4 * n
		d[s:s + 4] = struct.pack('<I', adler(d[o + 24:s]))
elif what == 'next-backwards':
	o = secs['table2'][0]
	d[o + 16:o + 24] = struct.pack('<Q', secs['header2'][0])
	fix_desc(o)
elif what == 'next-self':
	o = secs['table2'][0]
	d[o + 16:o + 24] = struct.pack('<Q', o)
	fix_desc(o)
else:
	sys.exit('unknown: ' + what)
open(path, 'wb').write(d)
PY

make_data src.bin 200000
mkdir good
expect_exit 0 "a small E01" -- "$FORAGE" acquire src.bin -o good/X --format e01 --progress none
size=$(stat -c %s good/X.E01)

# hostile NAME: H-NAME/X.E01, forage's E01 rewritten as NAME says.
hostile() {
	mkdir "H-$1"
	cp good/X.E01 "H-$1/X.E01"
	chmod u+w "H-$1/X.E01"
	python3 ewfpatch.py "H-$1/X.E01" "$1" || fail "ewfpatch.py $1"
}

# verify_refused NAME REGEX: verify and info refuse H-NAME/X.E01 with
# exit 2, the FAILURE line matching REGEX, nothing left behind.
verify_refused() {
	hostile "$1"
	(cd "H-$1" && ls) >before.txt
	expect_exit 2 "$1: verify refuses" -- \
		timeout -s KILL 120 "$FORAGE" verify --progress none "H-$1/X.E01"
	expect_in err.txt "^FAILURE: $2\$" "$1: verify says why"
	expect_exit 2 "$1: verify --json refuses" -- \
		timeout -s KILL 120 "$FORAGE" verify --json --progress none "H-$1/X.E01"
	(cd "H-$1" && ls) >after.txt
	cmp -s before.txt after.txt && ok "$1: nothing left beside it" ||
		fail "$1: files left: $(cat after.txt)"
}

chunks=$(( (200000 + 32767) / 32768 ))
# Files of S bytes hold the listed chunks and S / (32768/1032 + 10) more.
most=$(( (chunks + size / (32768 / 1032 + 10)) * 32768 ))
verify_refused claims-1tib "H-claims-1tib/X.E01: the set claims 1099511627776 bytes, its files hold at most $most \($size bytes in 1 file, whose chunk tables list $chunks chunks of 32768 bytes\)"
verify_refused claims-2p63 "H-claims-2p63/X.E01: the set claims 9223372036854775808 bytes, its files hold at most $most \($size bytes in 1 file, whose chunk tables list $chunks chunks of 32768 bytes\)"
verify_refused chunk-1g7 "H-chunk-1g7/X.E01: the 'volume' section asks for chunks of 1782579200 bytes \(3481600 sectors of 512 bytes\); forage reads chunks of at most 67108864 bytes"
verify_refused chunk-0 "H-chunk-0/X.E01: unusable media values: chunk size 0 bytes, 512 bytes per sector"
verify_refused table-outside "H-table-outside/X.E01: 200192 bytes of media could not be read"
expect_exit 2 "table-outside: verify, text" -- \
	timeout -s KILL 120 "$FORAGE" verify --progress none H-table-outside/X.E01
expect_in out.txt "^  chunk 0 \(LBA 0-63, media bytes 0-32767\) in (H-table-outside/)?X.E01 at offset 1099511627852-1099511660623: unreadable: the chunk table of X.E01 points outside the file: the chunk's data would lie at offset 1099511627852\.\.1099511660624, the file ends at $size; zeros hashed in its place\$" "table-outside: the damage says the table points outside the file"
# A crafted entry: libewf would allocate what it claims (2 GiB) for the
# chunk before it; the walker's bound says so without asking libewf, also
# within 600 MiB of address space (below, outside the sanitizers).
hostile entry-far
expect_exit 2 "entry-far: verify" -- \
	timeout -s KILL 120 "$FORAGE" verify --progress none H-entry-far/X.E01
expect_in out.txt "^  chunk 5 \(LBA 320-383, media bytes 163840-196607\) in (H-entry-far/)?X.E01 at offset [0-9]+-[0-9]+: unreadable: the chunk table gives it [0-9]{10} stored bytes, more than a chunk of 32768 can take; zeros hashed in its place\$" "entry-far: the chunk before the far entry is refused by its size"
expect_in out.txt "^  chunk 6 \(LBA 384-390, media bytes 196608-200191\) in (H-entry-far/)?X.E01 at offset [0-9]+: unreadable: the chunk table of X.E01 places the chunk's data at offset [0-9]{10}, past the end of the file at $size; zeros hashed in its place\$" "entry-far: the far chunk lies past the end of the file"
verify_refused next-backwards "(H-next-backwards/)?X.E01: the section at offset [0-9]+ points back to offset 13; the section chain is damaged"
verify_refused next-self "(H-next-self/)?X.E01: the section at offset ([0-9]+) points back to offset \\2; the section chain is damaged"

# The chunk size is refused before libewf allocates a chunk of it: under
# a 600 MiB address space the message is the same (no libewf allocation
# failure).  Not under the sanitizers, which reserve terabytes.
if [ -z "$FG_SANITIZERS" ] || [ "$FG_SANITIZERS" = no ]; then
	expect_exit 2 "chunk-1g7: refused within 600 MiB" -- \
		sh -c 'ulimit -v 614400; exec "$0" verify --progress none H-chunk-1g7/X.E01' "$FORAGE"
	expect_in err.txt "^FAILURE: H-chunk-1g7/X.E01: the 'volume' section asks for chunks of 1782579200 bytes" "chunk-1g7: same message within 600 MiB"
	expect_exit 2 "entry-far: within 600 MiB" -- \
		sh -c 'ulimit -v 614400; exec "$0" verify --progress none H-entry-far/X.E01' "$FORAGE"
	expect_in out.txt "chunk 5 .*: unreadable: the chunk table gives it [0-9]{10} stored bytes" "entry-far: same damage within 600 MiB"
fi

# The intact set still verifies.
expect_exit 0 "the intact set verifies" -- "$FORAGE" verify --progress none good/X.json
done_testing
