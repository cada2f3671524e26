// SPDX-License-Identifier: GPL-2.0
/*
 * pgmap extract test fixture (written for this test, not kernel code): the 2026 folio API, a
 * gen_pool of device memory, a refcounted backing object each page pins through
 * zone_device_data, folio_free dropping it.
 */
#include <linux/memremap.h>
#include <linux/genalloc.h>
#include <linux/kref.h>

struct backing {
	struct kref kref;
	struct gen_pool *pool;
};

struct gdev {
	struct dev_pagemap pagemap;
	struct gen_pool *pool;
	struct mutex lock;
};

static void backing_release(struct kref *kref)
{
	struct backing *b = container_of(kref, struct backing, kref);

	kfree(b);
}

static struct folio *gdev_alloc_folio(struct gdev *g, struct backing *b, unsigned int order)
{
	unsigned long addr;
	struct folio *folio;

	mutex_lock(&g->lock);
	addr = gen_pool_alloc(g->pool, PAGE_SIZE << order);
	mutex_unlock(&g->lock);
	if (!addr)
		return NULL;
	folio = page_folio(virt_to_page((void *)addr));
	kref_get(&b->kref);
	folio->page.zone_device_data = b;
	zone_device_folio_init(folio, order);
	return folio;
}

static void gdev_folio_free(struct folio *folio)
{
	struct gdev *g = container_of(folio->pgmap, struct gdev, pagemap);
	struct backing *b = folio->page.zone_device_data;

	mutex_lock(&g->lock);
	gen_pool_free(g->pool, (unsigned long)folio_address(folio), folio_size(folio));
	mutex_unlock(&g->lock);
	kref_put(&b->kref, backing_release);
}

static const struct dev_pagemap_ops gdev_ops = {
	.folio_free	= gdev_folio_free,
};

static int gdev_init(struct device *dev, struct gdev *g)
{
	g->pagemap.type = MEMORY_DEVICE_COHERENT;
	g->pagemap.ops = &gdev_ops;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(dev, &g->pagemap));
}
