#!/bin/sh
# SIGTERM and SIGINT end a verification within a generous bound, exit 4
# (issue 19, 3 and "Always on"): a record listing 50,000 output files, a
# checksum file of 100,000 lines beside the evidence, a plain raw image.
# The media is a sparse file of 40 GiB, so the run is still going when
# the signal comes (the first progress line says it has started); the
# signal must end it within 20 s (killed then: a failure).  No duration
# tighter than that is asserted.
. "$FG_SRCDIR/tests/e2e/lib/common.sh"
heavy
need_cmd python3 truncate

# A raw acquisition whose record is made to list 50,000 small files
# before the image, which becomes a sparse 40 GiB file.  Matching the
# files to the record's outputs was quadratic and did not look at the
# stop flag (minutes for 50,000 files): SIGTERM as soon as the handler is
# in place must end it too.
make_data src.bin 65536
mkdir rec
expect_exit 0 "acquire" -- "$FORAGE" acquire src.bin -o rec/X --format raw --progress none --case-db rec/case.db
rm -f rec/case.db
chmod -R u+w rec
rm rec/X.raw
truncate -s 40G rec/X.raw
python3 - <<'PY' || fail "record of 50,000 files"
import hashlib, json
r = json.load(open('rec/X.json'))
outs = []
for i in range(50000):
	b = bytes([i % 256]) * 512
	nm = 'F%05d.raw' % i
	open('rec/' + nm, 'wb').write(b)
	outs.append({'path': nm, 'size': 512,
		     'md5': hashlib.md5(b).hexdigest(),
		     'sha256': hashlib.sha256(b).hexdigest()})
outs.append({'path': 'X.raw', 'size': 40 << 30, 'md5': '0' * 32,
	     'sha256': '0' * 64})
r['outputs'] = outs
json.dump(r, open('rec/X.json', 'w'))
PY
interrupt record-early TERM handler "$FORAGE" verify --progress json rec/X.json
interrupt record TERM progress "$FORAGE" verify --progress json rec/X.json
interrupt record-int INT progress "$FORAGE" verify --progress json rec/X.json

# A checksum file of 100,000 lines beside a sparse raw image.
mkdir side
truncate -s 40G side/Y.raw
python3 - <<'PY' || fail "checksum file of 100,000 lines"
open('side/Y.md5', 'w').write(''.join('%032x  Y.raw\n' % i for i in range(100000)))
PY
interrupt sidecar-early TERM handler "$FORAGE" verify --progress json side/Y.raw
interrupt sidecar TERM progress "$FORAGE" verify --progress json side/Y.raw
interrupt sidecar-json TERM progress "$FORAGE" verify --json --progress json side/Y.raw

# The record of 50,000 files is ours, not forage's: not schema-checked.
rm -rf rec

# Nothing half-written beside the evidence.
ls side >side.ls
[ "$(cat side.ls | tr '\n' ' ')" = "Y.md5 Y.raw " ] && ok "sidecar: nothing left beside it" ||
	fail "sidecar: left: $(cat side.ls | tr '\n' ' ')"
done_testing
