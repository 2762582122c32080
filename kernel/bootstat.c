/* Boot-time stamps: TSC at the first instruction, after each init step and at main(). */
#include <skiff/console.h>
#include <skiff/clock.h>
#include "bootinfo.h"
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

static void print_boot_info(void)
{
	static const char *const entries[] = { "?", "pvh", "multiboot", "efi" };
	const struct bootinfo *bi = boot_info();
	klog("skiff: bootstat: entry %s\n", entries[bi->proto >= 0 && bi->proto <= 3 ? bi->proto : 0]);
	for (int i = 0; i < bi->nmem; i++)
		klog("skiff: bootstat: memory %016lx-%016lx %s\n", bi->mem[i].addr,
		     bi->mem[i].addr + bi->mem[i].size, bi->mem[i].type == 1 ? "RAM" : "reserved");
}

/* Printed after the last stamp, so printing costs nothing in the figures. */
void bootstat_print(void)
{
	print_boot_info();
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
