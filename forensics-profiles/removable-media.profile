# removable-media - USB sticks, SD cards: E01 with MD5, SHA-1 and SHA-256,
# fast compression, small segments that fit on any archive medium, and the
# evidence checked after writing.
format = e01
compression = fast
hash = md5,sha1,sha256
segment-size = 650M
retries = 3
verify = yes
