/*
 * keypass.c - the pass phrase of an encrypted signing key (report --sign):
 * from --key-pass-file FILE (its first line), else the environment
 * variable FORAGE_KEY_PASS, else asked on the terminal without echo.
 * Only asked for when the key is encrypted (sign.h, fg_sign_pass_fn).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tool.h"

/* The first line of f, without its line end, into buf; its length or -1. */
static int first_line(FILE *f, char *buf, int size)
{
	int n = 0, c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (n >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		buf[n++] = (char)c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	return n;
}

/* Asked on the terminal, echo off, restored whatever happens. */
static int from_terminal(const char *key, char *buf, int size)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+e");
	int n, e;

	if (tty == NULL)
		return -1;
	if (tcgetattr(fileno(tty), &old) != 0) {
		fclose(tty);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fprintf(tty, "pass phrase of the signing key %s: ",
		fg_tool_shown(key, FG_TOOL_LINE));
	fflush(tty);
	tcsetattr(fileno(tty), TCSANOW, &quiet);
	n = first_line(tty, buf, size);
	e = errno;
	tcsetattr(fileno(tty), TCSANOW, &old);
	fputc('\n', tty);
	fclose(tty);
	errno = e;
	return n;
}

int fg_tool_key_pass(char *buf, int size, void *ctx)
{
	const struct fg_key_pass *kp = ctx;
	const char *env = getenv("FORAGE_KEY_PASS");
	int n;

	if (kp->file != NULL) {
		FILE *f = fopen(kp->file, "re");
		if (f == NULL) {
			fg_tool_error("report", "--key-pass-file %s: %s",
				      kp->file, strerror(errno));
			return -1;
		}
		n = first_line(f, buf, size);
		fclose(f);
		if (n < 0)
			fg_tool_error("report", "--key-pass-file %s: the "
				      "first line is too long", kp->file);
		return n;
	}
	if (env != NULL) {
		n = (int)strlen(env);
		if (n > size)
			return -1;
		memcpy(buf, env, (size_t)n);
		return n;
	}
	if (!isatty(STDIN_FILENO))
		return -1;
	return from_terminal(kp->key, buf, size);
}
