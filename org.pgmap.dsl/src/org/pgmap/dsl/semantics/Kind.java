package org.pgmap.dsl.semantics;

/** What a name or an expression stands for, in the words of the messages. */
public enum Kind {
	PAGE("a page"),
	SPINLOCK("a spinlock"),
	MUTEX("a mutex"),
	FREELIST("a free list"),
	BITMAP("a bitmap"),
	GENPOOL("a gen_pool"),
	BOOKKEEPING("the driver's bookkeeping"),
	/** any page pool: free list, bitmap, gen_pool */
	POOL("a pool"),
	OBJECT("a driver object"),
	PAGEMAP("a pagemap"),
	INT("a number"),
	BOOL("a test"),
	TYPE("a pgmap type"),
	MODE("an init mode"),
	NOTHING("nothing"),
	/** a parameter or a field value: checked when the model runs */
	ANY("a value");

	private final String phrase;

	Kind(String phrase) {
		this.phrase = phrase;
	}

	public String phrase() {
		return phrase;
	}

	/** Whether a value of kind {@code actual} may stand where {@code this} is required. */
	public boolean accepts(Kind actual) {
		return this == ANY || actual == ANY || this == actual
				|| (this == INT && actual == BOOL) || (this == OBJECT && actual == PAGE)
				|| (this == POOL && (actual == FREELIST || actual == BITMAP || actual == GENPOOL));
	}
}
