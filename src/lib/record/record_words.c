/*
 * record_words.c - the record's facts put into words once, for every
 * place forage tells them to a person: the imaging log beside the
 * evidence (record_log.c) and the text, HTML and PDF reports
 * (report_words.c).  An examiner reads both; they say the same thing in
 * the same words.  These functions only read the record's values; the
 * JSON keeps them as they are.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <forage/record.h>

#include "base/base_int.h"

/* ---- Small readers -------------------------------------------------------- */

static const char *wstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int wint(json_t *o, const char *key, int64_t *v)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j))
		return 0;
	*v = json_integer_value(j);
	return 1;
}

/* key as a boolean: 1, 0, or -1 when not a boolean. */
static int wbool(json_t *o, const char *key)
{
	json_t *j = json_object_get(o, key);

	return json_is_boolean(j) ? json_is_true(j) : -1;
}

/* ---- HPA and DCO ----------------------------------------------------------- */

char *fg_record_hidden_area_words(json_t *v, const char *name,
				  const char *kind)
{
	const char *st, *note;
	int64_t hidden = 0, first = 0, shown = 0, max = 0;
	char h[32], f[32], s[32], m[32];

	if (v == NULL || json_is_null(v))
		return strdup(kind != NULL && strcmp(kind, "block device") != 0
				  ? "not applicable: the source is not a "
				    "block device."
				  : "not examined.");
	if (json_is_string(v))
		return fg_strdup_printf("%s.", json_string_value(v));
	st = wstr(v, "state");
	note = wstr(v, "note");
	if (st != NULL && strcmp(st, "present") == 0) {
		wint(v, "hidden_sectors", &hidden);
		wint(v, "hidden_first_lba", &first);
		wint(v, "user_addressable_sectors", &shown);
		if (!wint(v, "native_max_sectors", &max))
			wint(v, "factory_max_sectors", &max);
		fg_commas(h, sizeof(h), (uint64_t)hidden);
		fg_commas(f, sizeof(f), (uint64_t)first);
		fg_commas(s, sizeof(s), (uint64_t)shown);
		fg_commas(m, sizeof(m), (uint64_t)max);
		if (shown > 0 && max > 0)
			return fg_strdup_printf(
			    "PRESENT: the %s hides %s sectors from LBA %s on "
			    "(the drive shows %s of %s); they were not "
			    "acquired.",
			    name, h, f, s, m);
		return fg_strdup_printf("PRESENT: the %s hides %s sectors "
					"from LBA %s on; they were not "
					"acquired.",
					name, h, f);
	}
	if (st != NULL && strcmp(st, "absent") == 0) {
		if (!wint(v, "native_max_sectors", &max))
			wint(v, "factory_max_sectors", &max);
		if (max <= 0)
			return strdup("none: the drive shows all its sectors.");
		fg_commas(m, sizeof(m), (uint64_t)max);
		return fg_strdup_printf("none: the drive shows all its %s "
					"sectors.",
					m);
	}
	if (st != NULL && strcmp(st, "not supported") == 0)
		return fg_strdup_printf("the drive does not support the %s "
					"feature.",
					name);
	if (st == NULL || strcmp(st, "unknown") == 0)
		return fg_strdup_printf("not known: %s.",
					note ? note : "no reason recorded");
	return fg_strdup_printf("%s%s%s.", st, note ? ": " : "",
				note ? note : "");
}

/* ---- Write block ------------------------------------------------------------ */

const char *fg_record_readonly_words(json_t *dev)
{
	int before = wbool(dev, "readonly_before");
	int set = wbool(dev, "flag_set_by_forage");
	int after = wbool(dev, "readonly_after");
	int ro = wbool(dev, "readonly");

	if (before == 1 && after == 1)
		return "kernel read-only flag already set before the run; "
		       "still set after it";
	if (before == 1 && after == 0)
		return "kernel read-only flag already set before the run, "
		       "but it did not hold: cleared after it";
	if (before == 1)
		return "kernel read-only flag already set before the run";
	if (set == 1 && after == 1)
		return "kernel read-only flag set by forage; still set after "
		       "the run";
	if (set == 1 && after == 0)
		return "kernel read-only flag set by forage, but it did not "
		       "hold: cleared after the run";
	if (set == 1)
		return "kernel read-only flag set by forage";
	if (ro == 1)
		return "kernel read-only flag set";
	if (set == 0 || ro == 0)
		return "kernel read-only flag NOT set";
	return "kernel read-only flag unknown";
}

/* Is d a partition in the same state as the source's (grouped with it)? */
static int grouped(json_t *d, const char *src_state)
{
	const char *role = wstr(d, "role");

	return src_state != NULL && role != NULL &&
	       strcmp(role, "partition") == 0 &&
	       strcmp(fg_record_readonly_words(d), src_state) == 0;
}

char *fg_record_devices_words(json_t *devs)
{
	struct fg_buf o = {NULL, 0, 0, 0};
	const char *name, *src_state = NULL, *role;
	json_t *d, *e;
	size_t same = 0, left;

	json_object_foreach(devs, name, d) {
		role = wstr(d, "role");
		if (src_state == NULL && role != NULL &&
		    strcmp(role, "source") == 0)
			src_state = fg_record_readonly_words(d);
	}
	json_object_foreach(devs, name, d)
		if (grouped(d, src_state))
			same++;
	json_object_foreach(devs, name, d) {
		const char *k;

		if (grouped(d, src_state))
			continue;
		role = wstr(d, "role") ?: "in the scope";
		fg_buf_printf(&o, "%s%s (%s)", o.len ? "\n" : "",
			      wstr(d, "node") ?: name, role);
		if (strcmp(role, "source") == 0 && same > 0) {
			fg_buf_printf(&o, " and its %zu partition%s (", same,
				      same == 1 ? "" : "s");
			left = same;
			json_object_foreach(devs, k, e)
				if (grouped(e, src_state))
					fg_buf_printf(&o, "%s%s",
						      wstr(e, "node") ?: k,
						      --left > 0 ? ", " : ")");
		}
		fg_buf_printf(&o, ": %s.", fg_record_readonly_words(d));
	}
	if (o.failed || o.len == 0) {
		free(o.p);
		return o.failed ? NULL : strdup("");
	}
	return o.p;
}
