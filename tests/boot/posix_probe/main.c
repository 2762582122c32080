/* Boot test: the link probe; every name in names.h links (skiff build) and resolves to a non-NULL address. */
#include <stdio.h>
#include <string.h>

#include "probe.h"

int main(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < probe_count; i++) {
		if (!probe_names[i].fn) {
			printf("posix_probe: %s is NULL\n", probe_names[i].name);
			bad++;
		}
	}
	printf("posix_probe: %u names linked, %u bad\n", probe_count, bad);
	return bad != 0;
}
