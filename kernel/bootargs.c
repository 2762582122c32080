/* The parsed command line, as the application and the kernel see it. */
#include <skiff/boot.h>
#include <skiff/wx.h>
#include "bootargs.h"
#include "bootstat.h"

static struct cmdline cl; /* written once at boot */

int bootargs_init(const char *src, size_t len)
{
	return cmdline_parse(&cl, src, len, "app");
}

const struct cmdline *bootargs(void)
{
	return &cl;
}

int boot_app_argc(void)
{
	return cl.nargs;
}

char **boot_app_argv(void)
{
	return cl.args;
}

const char *boot_karg(const char *name)
{
	return cmdline_karg(&cl, name);
}

const char *boot_karg_word(int i)
{
	return i >= 0 && i < cl.nkargs ? cl.kargs[i] : NULL;
}

void boot_reached_main(void)
{
	bootstat_mark("main");
	if (boot_karg("bootstat"))
		bootstat_print();
	if (boot_karg("wxcheck"))
		wx_audit_report();
}
