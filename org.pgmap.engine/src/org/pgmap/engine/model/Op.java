package org.pgmap.engine.model;

/** The steps of the executable model; one instruction is one atomic step unless inside an atomic block. */
public enum Op {
	/** spin_lock / mutex_lock: a = lock instance ({@link Instr#lock()}); waits while held */
	LOCK,
	/** spin_unlock / mutex_unlock: a = lock instance ({@link Instr#lock()}) */
	UNLOCK,
	/** lock_page: args[0] = page; waits while the page lock is held */
	PAGE_LOCK,
	PAGE_UNLOCK,
	/** trylock_page: args[0] = page; target on failure */
	PAGE_TRYLOCK,
	/** get_page / folio_get: args[0] = page; the thread holds a new reference */
	GET,
	/** put_page / folio_put / unpin_user_page: args[0] = page; when the count reaches the era's free threshold the next instruction starts final_put, else jumps to target */
	PUT,
	/** get_page_unless_zero / pin_user_pages ({@link Instr#tryGet()}): args[0] = page; target on failure */
	TRY_GET,
	/** set_page_count: args[0] = page, args[1] = value */
	SET_COUNT,
	/** folio_ref_inc: args[0] = page; the owner's get, also from 0 */
	REF_INC,
	/** push / clear_bit / gen_pool_free / release_page: a = pool ({@link Instr#pool()}), args[0] = page */
	POOL_PUT,
	/** pop / alloc_bit / gen_pool_alloc: a = pool ({@link Instr#pool()}), slot = destination; target when empty */
	POOL_TAKE,
	/** claim_page: a = bookkeeping pool ({@link Instr#pool()}), args[0] = page; target when the bookkeeping says it is not free */
	CLAIM,
	/** release_backing: a = pool ({@link Instr#pool()}), args[0] = object: every page whose zone_device_data is the object goes back */
	RELEASE_BACKING,
	/** kzalloc: a = first instance ({@link Instr#firstObject()}), b = instances ({@link Instr#objectCount()}), slot = destination; target when none is free */
	KZALLOC,
	/** kref_init / kref_get / kfree: args[0] = object */
	KREF_INIT, KREF_GET, KFREE,
	/** kref_get_unless_zero: args[0] = object; target on failure */
	KREF_TRY_GET,
	/** kref_put: args[0] = object; target when it was not the last reference */
	KREF_PUT,
	/** access: args[0] = page or object: its memory is touched; b = what the compiler knows it is ({@link Instr#accessed()}) */
	ACCESS,
	/** args[0] = pagemap */
	PGMAP_GET,
	/** args[0] = pagemap; target on failure */
	PGMAP_TRYGET,
	PGMAP_PUT,
	/** memunmap_pages: args[0] = pagemap; marks it dying, then waits for its references to drain */
	MEMUNMAP,
	/** vm_insert_page: args[0] = page; the new reference belongs to a mapping */
	MAP,
	/** vmf_insert_mixed: args[0] = page; a mapping without a page reference */
	MAP_PFN,
	/** unmap_page: args[0] = page; drops one mapping's reference, like PUT for the final put */
	UNMAP,
	/** unmap_mapping_range: args[0] = page; drops every mapping's reference, like PUT for the final put */
	UNMAP_ALL,
	/** page.field = value: args[0] = page, b = the field ({@link Instr#field()}), args[1] = value */
	FIELD_WRITE,
	/** slot = value: args[0] */
	LET,
	/** driver variable a ({@link Instr#global()}) = value: args[0] */
	GLOBAL_SET,
	/** slot = any page of pagemap a ({@link Instr#pagemap()}): one successor per page */
	ANY_PAGE,
	/** either/or and calls that may fail: goes on at pc + 1 or at target, both explored */
	CHOICE,
	/** if !(args[0] op(b) args[1]) goto target, op(b) = {@link Instr#compare()}; args[1] is absent for TRUTH (test != 0) */
	BRANCH,
	/** wait_var_event: waits until args[0] op(b) args[1] holds ({@link Instr#compare()}) */
	WAIT,
	JUMP,
	/** the core calls the driver's op: begins the page_free of args[0] (bookkeeping for R5, R8) */
	PAGE_FREE_BEGIN,
	/** final_put of args[0] is over: the thread no longer runs it nor owns the page */
	FINAL_PUT_END,
	/** an alloc procedure returns the page in args[0] (or none) to its caller: the hand-off */
	HANDOFF,
	/** assert: args like BRANCH; a failure is reported as WARN */
	ASSERT,
	/** WARN_ON reached */
	WARN,
	/** wake_up_var and other steps without effect on the model; b: {@link Instr#nop()} (a failing call's outcome) */
	NOP,
	/** the thread has finished */
	END
}
