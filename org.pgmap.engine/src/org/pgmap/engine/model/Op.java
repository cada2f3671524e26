package org.pgmap.engine.model;

/** The steps of the executable model; one instruction is one atomic step unless marked atomic. */
public enum Op {
	/** spin_lock / mutex_lock: a = lock instance; waits while held */
	LOCK,
	/** spin_unlock / mutex_unlock: a = lock instance */
	UNLOCK,
	/** lock_page: args[0] = page; waits while the page lock is held */
	PAGE_LOCK,
	PAGE_UNLOCK,
	/** trylock_page: args[0] = page; target on failure */
	PAGE_TRYLOCK,
	/** get_page: args[0] = page */
	GET,
	/** put_page: args[0] = page; when the count reaches the era's free threshold the next instruction starts final_put, else jumps to target */
	PUT,
	/** get_page_unless_zero: args[0] = page; target on failure */
	TRY_GET,
	/** set_page_count: args[0] = page, args[1] = value */
	SET_COUNT,
	/** folio_ref_inc: args[0] = page */
	REF_INC,
	/** push / clear_bit / gen_pool_free: a = pool, args[0] = page */
	POOL_PUT,
	/** pop / alloc_bit / gen_pool_alloc: a = pool, slot = destination; target when empty */
	POOL_TAKE,
	/** kref_get / kref_put / kfree: args[0] = object */
	KREF_GET, KREF_PUT, KFREE,
	/** args[0] = pagemap */
	PGMAP_GET,
	/** args[0] = pagemap; target on failure */
	PGMAP_TRYGET,
	PGMAP_PUT,
	/** memunmap_pages: args[0] = pagemap; marks it dying, then waits for its references to drain */
	MEMUNMAP,
	/** vm_insert_page: args[0] = page */
	MAP,
	/** unmap_page: args[0] = page; like PUT for the final put */
	UNMAP,
	/** page.field = value: args[0] = page, b = field, args[1] = value */
	FIELD_WRITE,
	/** slot = value: args[0] */
	LET,
	/** slot = any page of pagemap a: one successor per page */
	ANY_PAGE,
	/** if !(args[0] op(b) args[1]) goto target; args[1] may be absent (test != 0) */
	BRANCH,
	JUMP,
	/** the core calls the driver's op: begins the page_free of args[0] (bookkeeping for R5, R8) */
	PAGE_FREE_BEGIN,
	/** final_put of args[0] is over: the thread no longer owns the page */
	FINAL_PUT_END,
	/** an alloc procedure returns the page in args[0] (or none) to its caller: the hand-off */
	HANDOFF,
	/** assert: args like BRANCH; a failure is reported as WARN */
	ASSERT,
	/** WARN_ON reached */
	WARN,
	/** wake_up_var and other steps without effect on the model */
	NOP,
	/** the thread has finished */
	END
}
