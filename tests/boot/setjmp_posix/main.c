/* Boot test: _setjmp/_longjmp and sigsetjmp/siglongjmp (libc-shim/include/setjmp.h) jump back across frames with the value. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf jb;
static sigjmp_buf sjb;

static void deep(int n, int how)
{
	if (n > 0) {
		deep(n - 1, how);
		return;
	}
	if (how)
		siglongjmp(sjb, 7);
	_longjmp(jb, 0); /* 0 arrives as 1 */
}

int main(void)
{
	volatile int passes = 0;
	int r = _setjmp(jb);

	passes++;
	if (r == 0)
		deep(5, 0);
	if (r != 1 || passes != 2) {
		printf("setjmp FAIL: _setjmp gave %d after %d passes\n", r, passes);
		return 1;
	}
	r = sigsetjmp(sjb, 1);
	if (r == 0)
		deep(3, 1);
	if (r != 7) {
		printf("setjmp FAIL: sigsetjmp gave %d\n", r);
		return 1;
	}
	printf("setjmp ok\n");
	return 0;
}
