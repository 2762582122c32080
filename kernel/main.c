/* The boot sequence, one step per line: from the loader's hand-off to the app's main thread. */
#include <skiff/boot.h>
#include <skiff/console.h>
#include <skiff/mm.h>
#include "acpi.h"
#include "bootargs.h"
#include "boot_defs.h"
#include "bootinfo.h"
#include "bootstat.h"
#include "cpu_init.h"
#include "exit.h"
#include "lapic.h"
#include "mm_internal.h"
#include "mmu.h"
#include "sched_internal.h"
#include "stackprot_init.h"
#include "trap.h"

extern uint32_t boot_proto, boot_info_paddr, boot_mb_magic;

/* Kernel arguments skiff knows; anything else gets a warning. */
static const char *const known_kargs[] = { "bootstat", "quiet", "ip", "gw", "dns", "netmask", "pci", "wxcheck",
					      "env", "hostname", "workdir", "vol",
					      "ttys", "nic", "host", "ip6", "gw6", "irqcpu", 0 };

static void check_kargs(void)
{
	const struct cmdline *cl = bootargs();
	for (int i = 0; i < cl->nkargs; i++) {
		const char *a = cl->kargs[i];
		int ok = 0;
		for (int k = 0; known_kargs[k] && !ok; k++) {
			const char *n = known_kargs[k];
			int j = 0;
			while (n[j] && a[j] == n[j])
				j++;
			ok = !n[j] && (a[j] == '\0' || a[j] == '=');
		}
		if (!ok)
			klog("skiff: warning: unknown kernel argument '%s' (ignored)\n", a);
	}
}

/* A VM with too little RAM still "loads" the image; bss past the end is missing. */
static void check_image_fits(const struct bootinfo *bi)
{
	extern char __image_start[], __image_end[];
	uint64_t lo = (uint64_t)__image_start, hi = (uint64_t)__image_end;
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == 1 && bi->mem[i].addr <= lo &&
		    bi->mem[i].addr + bi->mem[i].size >= hi)
			return;
	uint64_t have = 0;
	for (int i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == 1)
			have += bi->mem[i].size;
	exit_refuse("out of memory: the image needs RAM up to %lu KiB, the VM has %lu KiB in all",
		    (unsigned long)(hi >> 10), (unsigned long)(have >> 10));
}

static void main_thread(void *arg)
{
	(void)arg;
	app_entry();
}

/* Not protected: its frame is live when the canary changes. */
__attribute__((no_stack_protector)) void kmain(void)
{
	stackprot_init();                             /* random stack canary, before anything else */
	if (boot_proto == BOOT_PROTO_EFI)             /* skiff run drops firmware output before this */
		console_write(CONSOLE_OUT, EFI_START_MARKER, sizeof(EFI_START_MARKER) - 1);
	cpu_init();                                   /* SSE on, GDT + TSS with IST stacks */
	idt_init();                                   /* exceptions and interrupt gates */
	bootstat_mark("cpu");
	if (bootinfo_read(boot_proto, boot_info_paddr, boot_mb_magic))
		exit_refuse("unrecognised boot protocol %u", boot_proto);
	const struct bootinfo *bi = boot_info();
	if (bi->cmdline_len > CMDLINE_MAX - 1)
		exit_refuse("command line too long (%lu bytes, limit %d)",
			    (unsigned long)bi->cmdline_len, CMDLINE_MAX - 1);
	int err = bootargs_init(bi->cmdline, bi->cmdline_len);  /* kernel args -- app args */
	if (err)
		exit_refuse("%s (%lu bytes, limit %d)", cmdline_strerror(err),
			    (unsigned long)bi->cmdline_len, CMDLINE_MAX - 1);
	check_kargs();
	bootstat_mark("bootinfo");
	acpi_set_rsdp(bi->rsdp);                       /* for power-off without debug-exit */
	check_image_fits(bi);                           /* the loaded image lies in RAM */
	mm_init(bi);                                 /* page allocator over free RAM */
	if (mmu_init(bi))                            /* final page tables, W^X, guards */
		exit_refuse("out of memory while building page tables (%lu KiB of RAM)",
			    (unsigned long)(mm_total_bytes() / 1024));
	bootstat_mark("paging");
	if (lapic_init())                             /* interrupt controller, timer */
		exit_refuse("out of memory mapping the local APIC");
	sched_init();                                 /* this context becomes the idle thread */
	bootstat_mark("sched");
	sched_start(main_thread);         /* main thread runs the app; idle here */
}
