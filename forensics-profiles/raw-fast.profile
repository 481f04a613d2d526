# raw-fast - the fastest evidence: a single raw image, MD5 and SHA-256 in one
# pass, large reads, one retry of a failing sector.
format = raw
hash = md5,sha256
block-size = 4M
retries = 1
