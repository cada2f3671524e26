/*
 * pgmap extract: the few kernel types spatch needs to infer which expressions are pages.
 * Passed to spatch with --include (the drivers are read with --no-includes, so that the
 * result does not depend on the kernel headers being present). Only what type inference
 * needs: field types of struct page / struct folio / struct vm_fault / struct dev_pagemap,
 * and the return types of the kernel's page lookups (most of them are macros in the kernel;
 * declared here as functions so that `p = pfn_to_page(pfn)` has a type).
 */
struct address_space;
struct dev_pagemap;
struct vm_area_struct;
struct list_head { struct list_head *next, *prev; };

struct page {
	unsigned long flags;
	struct list_head lru;
	struct address_space *mapping;
	unsigned long index;
	unsigned long private;
	struct dev_pagemap *pgmap;
	void *zone_device_data;
	int _refcount;
};

struct folio {
	unsigned long flags;
	struct list_head lru;
	struct address_space *mapping;
	unsigned long index;
	void *private;
	struct dev_pagemap *pgmap;
	void *zone_device_data;
	int _refcount;
	struct page page;
};

struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;
	unsigned long pgoff;
	unsigned int flags;
	struct page *page;
	struct page *cow_page;
};

struct migrate_vma {
	struct vm_area_struct *vma;
	unsigned long *dst;
	unsigned long *src;
	unsigned long cpages;
	unsigned long npages;
	unsigned long start;
	unsigned long end;
	void *pgmap_owner;
	unsigned long flags;
	struct page *fault_page;
};

struct dev_pagemap_ops {
	void (*page_free)(struct page *page);
	void (*folio_free)(struct folio *folio);
	int (*migrate_to_ram)(struct vm_fault *vmf);
	int (*memory_failure)(struct dev_pagemap *pgmap, unsigned long pfn,
			      unsigned long nr_pages, int mf_flags);
};

struct dev_pagemap {
	int type;
	unsigned int flags;
	const struct dev_pagemap_ops *ops;
	void *owner;
	int nr_range;
};

struct page *pfn_to_page(unsigned long pfn);
struct page *pfn_to_online_page(unsigned long pfn);
struct page *virt_to_page(const void *addr);
struct page *phys_to_page(unsigned long phys);
struct page *migrate_pfn_to_page(unsigned long mpfn);
struct page *alloc_page(unsigned int gfp);
struct page *alloc_pages(unsigned int gfp, unsigned int order);
struct page *alloc_page_vma(unsigned int gfp, struct vm_area_struct *vma, unsigned long addr);
struct page *compound_head(struct page *page);
struct page *folio_page(struct folio *folio, unsigned long n);
struct page *hmm_pfn_to_page(unsigned long hmm_pfn);
struct page *device_private_entry_to_page(unsigned long entry);
struct page *pfn_swap_entry_to_page(unsigned long entry);
struct folio *page_folio(struct page *page);
struct folio *pfn_folio(unsigned long pfn);
struct folio *folio_alloc(unsigned int gfp, unsigned int order);
struct dev_pagemap *page_pgmap(const struct page *page);
struct dev_pagemap *get_dev_pagemap(unsigned long pfn, struct dev_pagemap *pgmap);
