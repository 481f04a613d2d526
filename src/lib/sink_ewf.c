/*
 * sink_ewf.c - E01 evidence through libewf.  Not written yet: the format
 * is refused with a clear message until it is (issue: EWF/E01 containers).
 */
#include "config.h"

#include <forage/sink.h>

int fg_sink_new_ewf(struct fg_sink **out, struct fg_error *err)
{
	*out = NULL;
	return fg_error_set(err, FG_EINVAL, 0,
			    "--format e01 is not available in this build "
			    "yet; use --format raw");
}
