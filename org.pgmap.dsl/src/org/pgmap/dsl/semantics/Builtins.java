package org.pgmap.dsl.semantics;

import static org.pgmap.dsl.semantics.Kind.*;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.pgmap.dsl.pgmap.Builtin;

/**
 * The signature and effect class of every kernel function a statement can call. The validator
 * checks calls against it; the model compiler gives each one its step.
 */
public final class Builtins {

	/** How a call touches the page in its page argument, for the static publish analysis. */
	public enum Effect {
		NONE, LOCK, UNLOCK, PUBLISH, WRITE_PAGE, READ
	}

	public record Signature(List<Kind> params, Kind result, boolean mayFail, Effect effect, String doc) {
	}

	private static final Map<Builtin, Signature> SIGNATURES = new EnumMap<>(Builtin.class);

	private static void def(Builtin b, Kind result, boolean mayFail, Effect effect, String doc, Kind... params) {
		SIGNATURES.put(b, new Signature(List.of(params), result, mayFail, effect, doc));
	}

	static {
		def(Builtin.SPIN_LOCK, NOTHING, false, Effect.LOCK, "takes a spinlock; waits while another thread holds it", SPINLOCK);
		def(Builtin.SPIN_UNLOCK, NOTHING, false, Effect.UNLOCK, "releases a spinlock", SPINLOCK);
		def(Builtin.MUTEX_LOCK, NOTHING, false, Effect.LOCK, "takes a mutex; waits while another thread holds it", MUTEX);
		def(Builtin.MUTEX_UNLOCK, NOTHING, false, Effect.UNLOCK, "releases a mutex", MUTEX);
		def(Builtin.LOCK_PAGE, NOTHING, false, Effect.NONE, "takes the page lock (PG_locked); waits while it is held", PAGE);
		def(Builtin.UNLOCK_PAGE, NOTHING, false, Effect.NONE, "releases the page lock", PAGE);
		def(Builtin.TRYLOCK_PAGE, BOOL, true, Effect.NONE, "takes the page lock if it is free; else runs the else branch", PAGE);
		def(Builtin.GET_PAGE, NOTHING, false, Effect.WRITE_PAGE, "refcount + 1: the thread now holds a reference", PAGE);
		def(Builtin.PUT_PAGE, NOTHING, false, Effect.WRITE_PAGE, "refcount - 1; the put that reaches the era's free threshold runs the core's final_put", PAGE);
		def(Builtin.GET_PAGE_UNLESS_ZERO, BOOL, true, Effect.WRITE_PAGE, "refcount + 1 unless it is 0; on 0 runs the else branch", PAGE);
		def(Builtin.SET_PAGE_COUNT, NOTHING, false, Effect.WRITE_PAGE, "overwrites the refcount (set_page_count)", PAGE, INT);
		def(Builtin.PAGE_REF_COUNT, INT, false, Effect.NONE, "reads the refcount", PAGE);
		def(Builtin.FOLIO_REF_INC, NOTHING, false, Effect.WRITE_PAGE, "refcount + 1, also from 0: the owner's get (FS_DAX under the DAX entry lock)", PAGE);
		def(Builtin.FOLIO_GET, NOTHING, false, Effect.WRITE_PAGE, "folio_get: as get_page", PAGE);
		def(Builtin.FOLIO_PUT, NOTHING, false, Effect.WRITE_PAGE, "folio_put: as put_page", PAGE);
		def(Builtin.PIN_USER_PAGES, BOOL, true, Effect.WRITE_PAGE, "GUP pin: refcount + 1 unless it is 0 (try_grab_folio); the thread holds the pin; on 0 runs the else branch", PAGE);
		def(Builtin.UNPIN_USER_PAGE, NOTHING, false, Effect.WRITE_PAGE, "drops the thread's pin, as put_page", PAGE);
		def(Builtin.PUSH, NOTHING, false, Effect.PUBLISH, "puts the page on the free list: publishes it to every allocating thread", FREELIST, PAGE);
		def(Builtin.POP, PAGE, true, Effect.NONE, "takes the first page off the free list; on an empty list runs the else branch", FREELIST);
		def(Builtin.ALLOC_BIT, PAGE, true, Effect.NONE, "sets the first clear bit and returns its page; when all are set runs the else branch", BITMAP);
		def(Builtin.CLEAR_BIT, NOTHING, false, Effect.PUBLISH, "clears the page's bit: publishes the page", BITMAP, PAGE);
		def(Builtin.GEN_POOL_ALLOC, PAGE, true, Effect.NONE, "allocates a page from the gen_pool; when it is empty runs the else branch", GENPOOL);
		def(Builtin.GEN_POOL_FREE, NOTHING, false, Effect.PUBLISH, "returns the page to the gen_pool: publishes it", GENPOOL, PAGE);
		def(Builtin.CLAIM_PAGE, BOOL, true, Effect.NONE, "takes the page from the driver's bookkeeping if it says the page is free; else runs the else branch", BOOKKEEPING, PAGE);
		def(Builtin.RELEASE_PAGE, NOTHING, false, Effect.NONE, "records in the driver's bookkeeping that the page is free (publishes nothing)", BOOKKEEPING, PAGE);
		def(Builtin.RELEASE_BACKING, NOTHING, false, Effect.NONE, "the backing object's memory goes back to the pool: every page whose zone_device_data is the object is put back", POOL, OBJECT);
		def(Builtin.KZALLOC, OBJECT, true, Effect.NONE, "allocates an instance of a driver object (kref 0 until kref_init); may fail: runs the else branch", OBJECT);
		def(Builtin.KREF_INIT, NOTHING, false, Effect.NONE, "sets a new object's kref to 1", OBJECT);
		def(Builtin.KREF_GET, NOTHING, false, Effect.NONE, "takes a reference on a driver object", OBJECT);
		def(Builtin.KREF_GET_UNLESS_ZERO, BOOL, true, Effect.NONE, "takes a reference unless the kref is 0; else runs the else branch", OBJECT);
		def(Builtin.KREF_PUT, BOOL, false, Effect.NONE, "drops a reference on a driver object; true when it was the last (if kref_put(o) { ... })", OBJECT);
		def(Builtin.KFREE, NOTHING, false, Effect.NONE, "frees a driver object", OBJECT);
		def(Builtin.ACCESS, NOTHING, false, Effect.READ, "touches the memory behind a page (DMA, a user access through a mapping) or a driver object's fields", ANY);
		def(Builtin.PGMAP_GET, NOTHING, false, Effect.NONE, "takes a pgmap reference (get_dev_pagemap)", PAGEMAP);
		def(Builtin.PGMAP_TRYGET_LIVE, BOOL, true, Effect.NONE, "takes a pgmap reference unless teardown began (percpu_ref_tryget_live); else runs the else branch", PAGEMAP);
		def(Builtin.PGMAP_PUT, NOTHING, false, Effect.NONE, "drops a pgmap reference (put_dev_pagemap)", PAGEMAP);
		def(Builtin.MEMUNMAP_PAGES, NOTHING, false, Effect.NONE, "starts teardown of the pagemap: waits for its references to drain", PAGEMAP);
		def(Builtin.VM_INSERT_PAGE, NOTHING, true, Effect.WRITE_PAGE, "maps the page (vm_insert_page, vmf_insert_page_mkwrite): refcount + 1, a reference the mapping holds; may fail: runs the else branch", PAGE);
		def(Builtin.VMF_INSERT_MIXED, NOTHING, false, Effect.NONE, "maps the page by pfn (vmf_insert_mixed, devmap): no page reference", PAGE);
		def(Builtin.UNMAP_PAGE, NOTHING, false, Effect.WRITE_PAGE, "zaps one mapping of the page (munmap): drops the reference that mapping holds", PAGE);
		def(Builtin.UNMAP_MAPPING_RANGE, NOTHING, false, Effect.WRITE_PAGE, "zaps every mapping of the page (truncate, teardown): drops every mapping reference", PAGE);
		def(Builtin.WAKE_UP_VAR, NOTHING, false, Effect.NONE, "wakes waiters on the page (FS_DAX)", PAGE);
		def(Builtin.PFN_TO_PAGE, PAGE, false, Effect.NONE, "the page at this index of the pagemap (a pfn walker's view)", PAGEMAP, INT);
		def(Builtin.ANY_PAGE, PAGE, false, Effect.NONE, "any page of the pagemap, chosen by the checker (every choice is explored)", PAGEMAP);
		def(Builtin.PAGE_TYPE, TYPE, false, Effect.NONE, "the pgmap type of the page", PAGE);
		def(Builtin.PAGE_INIT_MODE, MODE, false, Effect.NONE, "the init_mode of the page's pagemap", PAGE);
		def(Builtin.PAGE_MAPPED, BOOL, false, Effect.NONE, "whether a mapping maps the page (page_mapped(); under the page table lock: pte_same())", PAGE);
		def(Builtin.HAS_PAGE_FREE, BOOL, false, Effect.NONE, "whether the page's pagemap has a page_free op (pgmap->ops->page_free)", PAGE);
		for (Builtin b : Builtin.values()) {
			if (!SIGNATURES.containsKey(b)) {
				throw new IllegalStateException("no signature for builtin " + b.getLiteral());
			}
		}
	}

	private Builtins() {
	}

	public static Signature of(Builtin b) {
		return SIGNATURES.get(b);
	}
}
