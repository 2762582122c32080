/* Boot test (second translation unit): thread-locals defined here, used from main.c via extern. */
#include "tls_test.h"

__thread int other_counter = 1000;
_Thread_local char other_name[16] = "other";
__thread long other_bss[8];

/* Bump this thread's copies and return a checksum of them. */
long other_touch(int by)
{
	other_counter += by;
	other_name[0] = (char)('A' + by % 26);
	for (int i = 0; i < 8; i++)
		other_bss[i] += by;
	return other_counter + other_bss[7];
}
