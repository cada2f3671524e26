// SPDX-License-Identifier: GPL-2.0
/*
 * pgmap extract test fixture: the shape of lib/test_hmm.c on v6.0 (written for this test, not
 * kernel code): a free list through zone_device_data under a spinlock, the allocation pops a
 * page and takes only the page lock (it inherits the idle count 1), page_free pushes it back.
 */
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

struct mini_device {
	struct dev_pagemap pagemap;
	spinlock_t lock;
	struct page *free_pages;
};

static const struct dev_pagemap_ops mini_ops;

static struct page *mini_alloc_page(struct mini_device *mdev, void *priv)
{
	struct page *page = NULL;

	spin_lock(&mdev->lock);
	if (mdev->free_pages) {
		page = mdev->free_pages;
		mdev->free_pages = page->zone_device_data;
	}
	spin_unlock(&mdev->lock);
	if (!page)
		return NULL;
	lock_page(page);
	page->zone_device_data = priv;
	return page;
}

static void mini_page_free(struct page *page)
{
	struct mini_device *mdev = container_of(page->pgmap, struct mini_device, pagemap);

	spin_lock(&mdev->lock);
	page->zone_device_data = mdev->free_pages;
	mdev->free_pages = page;
	spin_unlock(&mdev->lock);
}

static void mini_copy_failed(struct page *page)
{
	unlock_page(page);
	put_page(page);
}

static const struct dev_pagemap_ops mini_ops = {
	.page_free	= mini_page_free,
};

static int mini_init(struct mini_device *mdev, struct resource *res)
{
	void *ptr;
	unsigned long pfn;

	mdev->pagemap.type = MEMORY_DEVICE_PRIVATE;
	mdev->pagemap.range.start = res->start;
	mdev->pagemap.range.end = res->end;
	mdev->pagemap.nr_range = 1;
	mdev->pagemap.ops = &mini_ops;
	ptr = memremap_pages(&mdev->pagemap, numa_node_id());
	if (IS_ERR(ptr))
		return PTR_ERR(ptr);
	spin_lock(&mdev->lock);
	for (pfn = res->start >> PAGE_SHIFT; pfn <= res->end >> PAGE_SHIFT; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->zone_device_data = mdev->free_pages;
		mdev->free_pages = page;
	}
	spin_unlock(&mdev->lock);
	return 0;
}
