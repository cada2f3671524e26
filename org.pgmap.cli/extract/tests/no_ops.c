// pgmap extract test fixture: a pagemap without dev_pagemap_ops (a GENERIC one).
#include <linux/memremap.h>

static struct dev_pagemap pgmap;

static int setup(void)
{
	pgmap.type = MEMORY_DEVICE_GENERIC;
	return PTR_ERR_OR_ZERO(memremap_pages(&pgmap, NUMA_NO_NODE));
}
