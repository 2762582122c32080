/* skiff build -I/-D/--cflags reach the app's compiler: the header, macros and flags all show. */
#include <stdio.h>

#include "flags_header.h"

#ifndef __OPTIMIZE__
#error "--cflags -O1 did not reach the compiler"
#endif

int main(void)
{
	printf("%s %d %d\n", GREETING, FROM_HEADER, NUM);
	return 0;
}
