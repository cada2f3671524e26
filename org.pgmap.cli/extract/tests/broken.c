// pgmap extract test fixture: C that does not parse (an unbalanced parenthesis).
#include <linux/memremap.h>

static void bad_page_free(struct page *page)
{
	spin_lock((&lock);
	put_page(page);
}

static const struct dev_pagemap_ops bad_ops = {
	.page_free = bad_page_free,
};
