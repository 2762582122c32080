/* ASCII text and numbers to the firmware console (ConOut), which OVMF mirrors on COM1. */
#include "stub.h"

static void out_ucs2(CHAR16 *buf)
{
	if (stub_st->ConOut) /* headless firmware may have no console */
		stub_st->ConOut->OutputString(stub_st->ConOut, buf);
}

void con_puts(const char *s)
{
	CHAR16 buf[128];
	UINTN n = 0;
	for (; *s; s++) {
		if (n + 3 >= sizeof(buf) / sizeof(buf[0])) {
			buf[n] = 0;
			out_ucs2(buf);
			n = 0;
		}
		if (*s == '\n')
			buf[n++] = L'\r';
		buf[n++] = (CHAR16)(unsigned char)*s;
	}
	buf[n] = 0;
	out_ucs2(buf);
}

void con_hex(uint64_t v)
{
	char buf[19];
	int i = sizeof(buf) - 1;
	buf[i] = 0;
	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	con_puts(buf + i);
}

void con_dec(uint64_t v)
{
	char buf[21];
	int i = sizeof(buf) - 1;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	con_puts(buf + i);
}

void con_status(EFI_STATUS st)
{
	con_puts(" (EFI status ");
	con_hex(st);
	con_puts(")");
}
