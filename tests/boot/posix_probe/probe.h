/* The link probe's table (probe.c) and the behaviour checks (one file each), called by main.c. */
#ifndef PROBE_H
#define PROBE_H

struct probe_name {
	const char *name;
	void (*fn)(void);
};
extern const struct probe_name probe_names[];
extern const unsigned probe_count;

#endif
