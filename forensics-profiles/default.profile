# default - what forage does with no options, written out.
#
# E01 with fast deflate, MD5 and SHA-256 of the media, 3 retries of a failing
# sector before it is filled with zeros.
format = e01
compression = fast
hash = md5,sha256
retries = 3
fill = zero
