/* posix_memalign() on newlib's memalign (newlib 3.3.0 lacks it; aligned_alloc needs it). */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "shim.h"

int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	void *p = memalign(align, size ? size : 1);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
