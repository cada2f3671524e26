package org.pgmap.dsl.validation;

/**
 * Every static finding has one of these codes: the CLI prints it as [code], quick fixes and
 * tests key on it. Findings that anticipate a refcount rule use the rule's id.
 */
public final class IssueCodes {
	private IssueCodes() {
	}

	public static final String SYNTAX = "syntax";
	public static final String UNDEFINED_NAME = "undefined-name";
	public static final String WRONG_KIND = "wrong-kind";
	public static final String WRONG_ARITY = "wrong-arity";
	public static final String DUPLICATE_NAME = "duplicate-name";
	public static final String ELSE_NOT_ALLOWED = "else-not-allowed";
	public static final String MISPLACED = "misplaced";

	public static final String LOCK_NOT_RELEASED = "lock-not-released";
	public static final String LOCK_RELEASED_TWICE = "lock-released-twice";
	public static final String LOCK_NEVER_TAKEN = "lock-never-taken";
	public static final String LOCK_TAKEN_TWICE = "lock-taken-twice";
	public static final String POOL_UNGUARDED = "pool-unguarded";

	public static final String MISSING_OP = "missing-op";
	public static final String MISSING_CORE = "missing-core";
	public static final String CORE_INCOMPLETE = "core-incomplete";
	public static final String NO_IDLE_REFCOUNT = "no-idle-refcount";
	public static final String UNREACHABLE = "unreachable";
	public static final String UNBOUNDED = "unbounded";
	public static final String RECURSION = "recursion";
	public static final String START_BLOCK = "start-block";
	public static final String NO_PAGE_FREE = "no-page-free";
	/** a name defined in two files of the spec's folder */
	public static final String AMBIGUOUS_NAME = "ambiguous-name";
	/** a core of the spec's folder hides the library core of the same name */
	public static final String SHADOWS_LIBRARY = "shadows-library";
	/** past what the model can hold: array sizes, thread counts, pages, nesting */
	public static final String TOO_LARGE = "too-large";
	/** a file, spec or thread group with nothing to model-check */
	public static final String NOTHING_TO_CHECK = "nothing-to-check";

	/** static forms of the refcount rules */
	public static final String WRITE_AFTER_PUBLISH = "R2";
	public static final String READ_AFTER_PUBLISH = "R3";
	public static final String LRU_LINKED = "R10";
	public static final String PGMAP_FIELD_WRITE = "R10-pgmap";
}
