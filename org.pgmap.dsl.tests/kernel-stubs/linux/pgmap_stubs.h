/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's API, with the kernel's types, for `gcc -fsyntax-only` on the
 * driver that GenerateSafetyTest generates from hostile spec text: the test runs without
 * kernel headers too. Every <linux/...> header the generated C includes includes this one.
 */
#ifndef PGMAP_STUBS_H
#define PGMAP_STUBS_H

#define NULL ((void *)0)
typedef _Bool bool;
typedef unsigned long size_t;
typedef unsigned int gfp_t;
typedef unsigned int vm_fault_t;

#define __init
#define __exit
#define __maybe_unused __attribute__((__unused__))
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define NUMA_NO_NODE (-1)
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(nr) (((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define GFP_KERNEL ((gfp_t)0xcc0)
#define ENOMEM 12
#define WARN_ON_ONCE(condition) ({ int __ret_warn_once = !!(condition); __ret_warn_once; })
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

/* the module macros take string literals: a string that the generator broke would not parse */
int init_module(void);
void cleanup_module(void);
#define module_init(fn) int init_module(void) { return fn(); }
#define module_exit(fn) void cleanup_module(void) { fn(); }
#define module_param(name, type, perm) static void *__param_##name __maybe_unused = &name
#define MODULE_PARM_DESC(name, desc) static const char __parm_desc_##name[] __maybe_unused = "parm=" #name ":" desc
#define MODULE_DESCRIPTION(desc) static const char __module_description[] __maybe_unused = "description=" desc
#define MODULE_LICENSE(license) static const char __module_license[] __maybe_unused = "license=" license

struct address_space;
struct vm_area_struct;
struct page {
	void *zone_device_data;
	struct address_space *mapping;
};
struct folio {
	struct page page;
};
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;
	struct page *page;
};

enum memory_type {
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_COHERENT,
	MEMORY_DEVICE_FS_DAX,
	MEMORY_DEVICE_GENERIC,
	MEMORY_DEVICE_PCI_P2PDMA,
};
struct range {
	unsigned long long start;
	unsigned long long end;
};
struct dev_pagemap_ops {
	void (*page_free)(struct page *page);
	vm_fault_t (*migrate_to_ram)(struct vm_fault *vmf);
};
struct dev_pagemap {
	struct range range;
	enum memory_type type;
	int nr_range;
	const struct dev_pagemap_ops *ops;
	void *owner;
};
void *memremap_pages(struct dev_pagemap *pgmap, int nid);
void memunmap_pages(struct dev_pagemap *pgmap);

struct resource {
	unsigned long long start;
	unsigned long long end;
};
extern struct resource iomem_resource;
struct resource *request_free_mem_region(struct resource *base, unsigned long size, const char *name);
static inline bool IS_ERR(const void *ptr) { return (unsigned long)ptr >= (unsigned long)-4095; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }

void get_page(struct page *page);
void put_page(struct page *page);
void lock_page(struct page *page);
void unlock_page(struct page *page);
int page_ref_count(const struct page *page);
struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
void zone_device_page_init(struct page *page);

typedef struct {
	int rlock;
} spinlock_t;
void spin_lock_init(spinlock_t *lock);
void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
struct mutex {
	int owner;
};
void mutex_init(struct mutex *lock);
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

struct kref {
	int refcount;
};
void kref_init(struct kref *kref);
void kref_get(struct kref *kref);
int kref_put(struct kref *kref, void (*release)(struct kref *kref));
void *kzalloc(size_t size, gfp_t flags);
void kfree(const void *ptr);

#endif /* PGMAP_STUBS_H */
