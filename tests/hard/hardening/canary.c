/* Prints the stack canary this boot chose (tests/hard/test_hardening.py boots it several times). */
#include <stdio.h>
#include <skiff/entropy.h>
#include <skiff/stackprot.h>

int main(void)
{
	printf("canary %016lx from %s\n", (unsigned long)__stack_chk_guard, entropy_source());
	return 0;
}
