"""Images link skiff's allocator for every malloc-family name, and none of newlib's allocator objects."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_support  # noqa: E402

# Globals only newlib's mallocr.c family defines (its bins, trim and sbrk state).
NEWLIB_MALLOC = ("__malloc_av_", "__malloc_trim_threshold", "__malloc_top_pad",
                 "__malloc_sbrk_base", "__malloc_max_sbrked_mem", "__malloc_update_mallinfo")

EVERY_NAME = r"""
#include <malloc.h>
#include <reent.h>
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	void *p = malloc(10), *q;
	p = realloc(p, 20);
	p = reallocf(p, 30);
	printf("%zu\n", malloc_usable_size(p));
	free(p);
	cfree(calloc(2, 3));
	free(memalign(64, 1));
	free(aligned_alloc(64, 64));
	if (!posix_memalign(&q, 64, 1))
		free(q);
	free(valloc(1));
	free(pvalloc(1));
	free(reallocarray(NULL, 3, 4));
	struct mallinfo mi = mallinfo();
	printf("%zu\n", mi.uordblks);
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	malloc_trim(0);
	malloc_stats();
	mstats("x");
	_free_r(_REENT, _malloc_r(_REENT, 1));
	_free_r(_REENT, _calloc_r(_REENT, 1, 1));
	_free_r(_REENT, _realloc_r(_REENT, NULL, 1));
	_free_r(_REENT, _memalign_r(_REENT, 32, 1));
	return 0;
}
"""


def _symbols(image):
    return set(subprocess.run(["nm", image + ".debug"], check=True, stdout=subprocess.PIPE,
                              text=True).stdout.split())


def _build(name, text):
    folder = os.path.join(cli_support.scratch_dir(), name)
    os.makedirs(folder, exist_ok=True)
    src, out = os.path.join(folder, name + ".c"), os.path.join(folder, name + ".elf")
    with open(src, "w") as f:
        f.write(text)
    result = cli_support.skiff("build", "-q", src, "-o", out, timeout=600)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return out


def test_every_malloc_name_links_ours_alone():
    syms = _symbols(_build("malloc_names", EVERY_NAME))
    assert "tlsf_malloc" in syms and "tlsf_free" in syms
    assert not syms & set(NEWLIB_MALLOC), syms & set(NEWLIB_MALLOC)


def test_printf_only_app_gets_ours_too():
    """stdio allocates through _malloc_r: an app that never names malloc still gets ours."""
    syms = _symbols(_build("printf_only", '#include <stdio.h>\nint main(void)\n{\n\tprintf("hi\\n");\n\treturn 0;\n}\n'))
    assert "tlsf_malloc" in syms
    assert not syms & set(NEWLIB_MALLOC), syms & set(NEWLIB_MALLOC)
