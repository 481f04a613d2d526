#!/bin/sh
# checksrc.sh - refuse banned calls in the project's C code (docs/conventions.md:
# sprintf, strcpy, strcat, atoi, gets).  Usage: checksrc.sh [SRCDIR]
top=${1:-.}
bad=$(grep -nE '(^|[^_a-zA-Z0-9])(sprintf|vsprintf|strcpy|strcat|atoi|gets)[[:space:]]*\(' \
	"$top"/src/lib/*/*.c "$top"/src/lib/*/*.h "$top"/src/lib/*.h "$top"/src/tool/*.c "$top"/src/tool/*.h \
	"$top"/include/forage/*.h 2>/dev/null | grep -v 'checksrc:ok')
if [ -n "$bad" ]; then
	echo "checksrc: banned calls (use snprintf, memcpy with a length, strtol):" >&2
	echo "$bad" >&2
	exit 1
fi
exit 0
