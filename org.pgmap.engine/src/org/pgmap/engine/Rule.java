package org.pgmap.engine;

/**
 * The refcount rules of ZONE_DEVICE pages (shared/domain.md), defined once: the checker reports
 * them, the validator uses their ids for static findings, the CLI and the docs print their text.
 */
public enum Rule {
	R1("free-refcount", "every page in a free pool has the era's idle refcount whenever no thread is inside that pool's critical section"),
	R2("write-after-publish", "a thread writes no mutable state (refcount, zone_device_data, mapping) of a page it has published"),
	R3("read-after-publish", "a thread reads no mutable per-page state (zone_device_data, mapping) of a page it has published"),
	R4("handoff", "the allocator hands a page to its first user with the era's allocation count, and no other thread owns or holds it"),
	R5("reuse-before-free", "a page taken from the driver's pool has had its page_free run since its last allocation"),
	R6("get-on-zero", "no get_page on a page whose refcount is 0: from 0 only the allocator's init or a failing try_get"),
	R7("lost-reference", "no set_count while other threads hold references to the page"),
	R8("page-free-once", "page_free runs only from a final put and only for a page nobody holds; no page is published into a pool it is already in"),
	R9("pgmap-ref", "pgmap references pair up: none dropped twice or leaked; no pgmap_tryget_live or page access after teardown began"),
	R10("field-hygiene", "free lists link through zone_device_data, never lru (it aliases pgmap); no core write clobbers mapping or pgmap of a page handed back to its owner"),
	R11("underflow", "no put below the free threshold (below 0, or to 0 in eras where page_free runs at 1)"),
	R12("use-after-free", "no use, put or write of a page by a thread that neither holds a reference to it nor owns it; no use of a freed driver object"),
	R13("deadlock", "no reachable state where all unfinished threads wait"),
	R14("leak", "when every thread has finished, every page is free or its refcount equals its holders' references; objects and pgmap references are released");

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

	/** {@code R2 write-after-publish}. */
	public String title() {
		return name() + " " + slug;
	}
}
