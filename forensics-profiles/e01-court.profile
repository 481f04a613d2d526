# e01-court - evidence for court: E01 (EnCase 6) with MD5 and SHA-1 stored in
# the image, SHA-256 in the record and sidecars, best compression, the
# written evidence re-read and checked after acquisition, 3 retries, and
# the case database's log sealed at the end (give the examiner's key:
# --sign KEY --cert CERT, and --tsa URL or $FORAGE_TSA_URL for a
# time-stamp; without a key the run is refused before it starts).
format = e01
ewf-format = encase6
compression = best
hash = md5,sha1,sha256
verify = yes
retries = 3
fill = zero
segment-size = 2G
seal = yes
