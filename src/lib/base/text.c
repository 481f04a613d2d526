/*
 * text.c - text helpers: a malloc'd printf, hex, base64, the SHA-256 of a
 * small buffer, a growing buffer, and
 * what a device, the kernel or a file said, kept exactly as printable
 * ASCII, numbers and sizes in words (base_int.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "base/base_int.h"

char *fg_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void fg_hex(const unsigned char *bin, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[bin[i] >> 4];
		hex[2 * i + 1] = digits[bin[i] & 15];
	}
	hex[2 * n] = '\0';
}

char *fg_base64(const unsigned char *bin, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1);
	size_t i, o = 0;

	if (out == NULL)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)bin[i] << 16 | (uint32_t)bin[i + 1] << 8 |
			     bin[i + 2];
		out[o++] = al[v >> 18];
		out[o++] = al[(v >> 12) & 63];
		out[o++] = al[(v >> 6) & 63];
		out[o++] = al[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)bin[i] << 16 |
			     (i + 1 < n ? (uint32_t)bin[i + 1] << 8 : 0);
		out[o++] = al[v >> 18];
		out[o++] = al[(v >> 12) & 63];
		out[o++] = i + 1 < n ? al[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return out;
}

int fg_sha256_hex(const unsigned char *bin, size_t n, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	hex[0] = '\0';
	if (EVP_Digest(bin, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return -1;
	fg_hex(md, len, hex);
	return 0;
}

void *fg_grow(void *arr, size_t n, size_t elem)
{
	size_t want;

	if (n != 0 && arr != NULL && (n & (n - 1)) != 0)
		return arr; /* n is no power of two: there is room */
	want = n == 0 ? 1 : 2 * n;
	if (elem != 0 && want > SIZE_MAX / elem)
		return NULL;
	return realloc(arr, want * elem);
}

void fg_buf_put(struct fg_buf *b, const char *s, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
		char *np;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		np = realloc(b->p, ncap);
		if (np == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void fg_buf_puts(struct fg_buf *b, const char *s)
{
	fg_buf_put(b, s, strlen(s));
}

void fg_buf_printf(struct fg_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	fg_buf_put(b, s, (size_t)n);
	free(s);
}

/* How many bytes of src (n > 0 left) fg_printable keeps as they are at
 * its start: 0 when the first byte must be shown as \xHH. */
static size_t kept_len(const unsigned char *s, size_t n, int flags)
{
	unsigned c = s[0];
	size_t k, len;
	unsigned cp;

	if (c >= 0x20 && c < 0x7f)
		return c != '\\' || (flags & FG_PRINTABLE_KEEP_BACKSLASH);
	if (c == '\n' || c == '\t')
		return (flags & FG_PRINTABLE_LINES) != 0;
	if (c < 0xc2 || c > 0xf4 || !(flags & FG_PRINTABLE_UTF8))
		return 0;
	/* Well-formed UTF-8 only: no overlong forms, no surrogates, nothing
	 * past U+10FFFF, and no C1 control (U+0080-U+009F: 0x9b is CSI). */
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	cp = c & (0xff >> (len + 1));
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp < 0xe000) ||
	    cp > 0x10ffff)
		return 0;
	return len;
}

void fg_printable(char *dst, size_t dstlen, const char *src, size_t srclen,
		  int flags)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i, k, o = 0, start = 0, end;

	if (dstlen == 0)
		return;
	if (srclen == (size_t)-1)
		srclen = strlen(src);
	end = srclen;
	if (flags & FG_PRINTABLE_TRIM) {
		while (start < end && (src[start] == ' ' || src[start] == '\0'))
			start++;
		while (end > start &&
		       (src[end - 1] == ' ' || src[end - 1] == '\0'))
			end--;
	}
	for (i = start; i < end; i += k) {
		k = kept_len(s + i, end - i, flags);
		if (k > 0) {
			if (o + k >= dstlen)
				break;
			memcpy(dst + o, s + i, k);
			o += k;
		} else {
			if (o + 4 >= dstlen)
				break;
			snprintf(dst + o, dstlen - o, "\\x%02x", s[i]);
			o += 4;
			k = 1;
		}
	}
	dst[o] = '\0';
}

char *fg_printable_dup(const char *s, int flags)
{
	size_t n = strlen(s), len;
	char *d;

	if (n > (SIZE_MAX - 1) / 4)
		return NULL;
	len = 4 * n + 1;
	d = malloc(len);
	if (d != NULL)
		fg_printable(d, len, s, n, flags);
	return d;
}

void fg_copy_str(char *dst, size_t len, const char *src)
{
	size_t n;

	if (len == 0)
		return;
	n = strnlen(src, len - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

ssize_t fg_read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	ssize_t n;
	char *nl;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	nl = memchr(buf, '\n', (size_t)n);
	if (nl != NULL) {
		*nl = '\0';
		n = nl - buf;
	}
	return n;
}

/* ---- Numbers and sizes in words ------------------------------------------ */

/* n with thousands separators ("4,194,304"). */
void fg_commas(char *out, size_t len, uint64_t n)
{
	char d[32];
	size_t nd, i, o = 0;

	snprintf(d, sizeof(d), "%" PRIu64, n);
	nd = strlen(d);
	for (i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[i];
	}
	out[o] = '\0';
}

/* A number with two decimals, its trailing zeros dropped ("1.5"). */
static void decimal(char *out, size_t len, double v)
{
	size_t n;

	snprintf(out, len, "%.2f", v);
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
}

/* A size set in binary units, as options take it: "32 KiB", "1 MiB",
 * "1.5 GiB (1,610,612,736 bytes)", "700 bytes". */
const char *fg_size_binary(char *out, size_t len, uint64_t v)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB",
					   "GiB",   "TiB", "PiB"};
	unsigned u = 0;
	char num[32], all[32];

	while (u + 1 < sizeof(unit) / sizeof(unit[0]) &&
	       v >= ((uint64_t)1 << (10 * (u + 1))))
		u++;
	if (u == 0 || v % ((uint64_t)1 << (10 * u)) == 0) {
		snprintf(out, len, "%" PRIu64 " %s", v >> (10 * u), unit[u]);
		return out;
	}
	decimal(num, sizeof(num),
		(double)v / (double)((uint64_t)1 << (10 * u)));
	fg_commas(all, sizeof(all), v);
	snprintf(out, len, "%s %s (%s bytes)", num, unit[u], all);
	return out;
}

/* A medium's size in decimal and binary units: "4.19 MB, 4 MiB". */
const char *fg_size_both(char *out, size_t len, uint64_t v)
{
	static const char *const dec[] = {"bytes", "kB", "MB",
					  "GB",	   "TB", "PB"};
	static const char *const bin[] = {"bytes", "KiB", "MiB",
					  "GiB",   "TiB", "PiB"};
	unsigned d = 0, b = 0;
	double dv = (double)v, bv = (double)v;
	char dn[32], bn[32];

	while (d + 1 < 6 && dv >= 1000.0) {
		dv /= 1000.0;
		d++;
	}
	while (b + 1 < 6 && bv >= 1024.0) {
		bv /= 1024.0;
		b++;
	}
	decimal(dn, sizeof(dn), dv);
	decimal(bn, sizeof(bn), bv);
	snprintf(out, len, "%s %s, %s %s", dn, dec[d], bn, bin[b]);
	return out;
}
