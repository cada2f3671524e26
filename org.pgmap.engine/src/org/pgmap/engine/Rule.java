package org.pgmap.engine;

/**
 * What the model checker reports, defined once: the refcount rules R1-R14 of ZONE_DEVICE pages
 * (the rule ids of the project's domain notes, restated in full in the README's rule table) and
 * {@link #WARN}, a kernel WARN_ON the spec reaches. The checker reports them by this enum, the
 * validator uses the ids for static findings, markers and the CLI print the text. A rule's
 * ordinal is its bit in the interpreter's violation word.
 */
public enum Rule {
	R1("free-refcount", "every page a pool (free list, bitmap, gen_pool) holds has the era's idle refcount whenever no thread holds that pool's lock (the driver's bookkeeping is not a pool)"),
	R2("write-after-publish", "a thread that put a page back into a pool writes none of its state (refcount, zone_device_data, mapping) and takes no reference to it until that same thread claims it again; another thread's claim does not end this"),
	R3("read-after-publish", "a thread that put a page back into a pool reads neither its zone_device_data nor its mapping until it claims it again (the constant pgmap is fine)"),
	R4("handoff", "an allocator hands a page it claimed to its first user (its return, or a mapping it inserts the page into) with the era's allocation count plus only the references taken by try_get since the claim, and no other thread or mapping holds it and no other final put owns it"),
	R5("reuse-before-free", "a page claimed from a pool or the driver's bookkeeping has had its page_free run since it was last handed out (and no final put still owns it), or was not handed out since it entered the pool; for types whose core calls no page_free, the driver's put-back after the last reference counts instead"),
	R6("get-on-zero", "no get_page or mapping reference on refcount 0: from 0 only the allocator's set_page_count or init, the owner's folio_ref_inc, or a try_get that fails"),
	R7("lost-reference", "no set_page_count while another thread or a mapping holds a reference to the page"),
	R8("page-free-once", "page_free runs only from the final put and only for a page nobody holds; no page is put back into a pool it is already in, nor while another holder than a transient try_get still holds it"),
	R9("pgmap-ref", "pgmap references pair up: none is dropped twice or left at the end; after memunmap_pages began no pgmap_get or pgmap_tryget_live, and no access to a page's memory by a thread without a pgmap reference"),
	R10("field-hygiene", "free lists link through zone_device_data, never lru (it aliases pgmap); a final put whose core calls no page_free does not write mapping once another owner or holder has given the page a new meaning"),
	R11("underflow", "no put at or below the free threshold: below 0, or to 0 in eras where page_free runs at 1"),
	R12("use-after-free", "no use, put or write of a page by a thread that neither holds a reference to it nor owns it (claimed it, runs its final put, holds its owning lock, or runs its owning driver's code); a live mapping lets any thread take a reference; no use of a freed, released or NULL driver object"),
	R13("deadlock", "no reachable state where all unfinished threads wait (locks, page locks, wait_var_event, memunmap_pages)"),
	R14("leak", "when every thread has finished, every page is back in its pool or its refcount equals what its holders (threads and mappings) account for, and a page handed out from a free list has a holder; an idle, unheld page of a pagemap whose memunmap_pages() ran is gone with it, not leaked; no object keeps krefs beyond its own and those of the live pages that point at it, and none stays released but unfreed"),
	/** Not a refcount rule: a kernel WARN_ON reached (a {@code warn}, or an {@code assert} that fails). */
	WARN("warn-on", "a kernel WARN_ON is reached (warn, or an assert that fails)");

	/** R1-R14, without {@link #WARN}. */
	public static final java.util.List<Rule> REFCOUNT_RULES = java.util.List.of(values()).subList(0, WARN.ordinal());

	private final String slug;
	private final String text;

	Rule(String slug, String text) {
		this.slug = slug;
		this.text = text;
	}

	/** Short name such as {@code write-after-publish}. */
	public String slug() {
		return slug;
	}

	/** The rule in one sentence, as the docs and markers print it. */
	public String text() {
		return text;
	}

	/** {@code R2 write-after-publish}; {@code WARN} for a WARN_ON. */
	public String title() {
		return this == WARN ? name() : name() + " " + slug;
	}

	/** The rule's bit in the interpreter's violation word. */
	public int bit() {
		return ordinal();
	}

	/** The rule of a bit of the violation word. */
	public static Rule ofBit(int bit) {
		return values()[bit];
	}

	/** The rule with this id ("R2", "WARN"), or null: how a marker's or a diagnostic's code is read back. */
	public static Rule byId(String id) {
		if (id == null) {
			return null;
		}
		for (Rule r : values()) {
			if (r.name().equals(id)) {
				return r;
			}
		}
		return null;
	}
}
