# failing-drive - a dying drive: raw output so that good areas are read
# first (ddrescue-style passes), small first-pass blocks so that less is
# skipped around each bad area, more retries per sector, and a GNU ddrescue
# mapfile beside the image (OUTBASE.mapfile) so the run can be resumed.
format = raw
hash = md5,sha256
block-size = 64K
retries = 8
fill = zero
mapfile = auto
