/* Boot-time stamps: TSC at the first instruction, after each init step and at main(). */
#include <skiff/console.h>
#include <skiff/clock.h>
#include "bootstat.h"
#include "clock_internal.h"
#include "cpu.h"

#define MAX_MARKS 16

extern uint64_t boot_tsc0;

static struct {
	const char *step;
	uint64_t tsc;
} marks[MAX_MARKS];
static int nmarks;

void bootstat_mark(const char *step)
{
	if (nmarks < MAX_MARKS)
		marks[nmarks++] = (typeof(marks[0])){ step, rdtsc() };
}

static void print_us(const char *label, uint64_t ticks)
{
	uint64_t ns = clock_ticks_to_ns(ticks);
	klog("skiff: bootstat: %-14s %6lu.%03lu us\n", label, ns / 1000, ns % 1000);
}

void bootstat_print(void)
{
	klog("skiff: bootstat: TSC %lu Hz (%s), stamps since the first instruction:\n",
	     clock_tsc_hz(), clock_tsc_source());
	uint64_t prev = boot_tsc0;
	for (int i = 0; i < nmarks; i++) {
		print_us(marks[i].step, marks[i].tsc - prev);
		prev = marks[i].tsc;
	}
	if (nmarks)
		print_us("total to main", marks[nmarks - 1].tsc - boot_tsc0);
	klog("skiff: bootstat: first-instruction-to-main %lu ns\n",
	     nmarks ? clock_ticks_to_ns(marks[nmarks - 1].tsc - boot_tsc0) : 0);
}
