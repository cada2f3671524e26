package org.pgmap.dsl.validation;

/**
 * Every finding's code, defined once: the CLI prints it as [code], markers and LSP diagnostics
 * carry it, quick fixes and tests key on it. Static findings that anticipate a refcount rule use
 * the rule's id; the model checker's findings use {@link org.pgmap.engine.Rule}'s ids (R1-R14,
 * WARN), recognised by {@link #isModelCheckRule}.
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

	/** a file that cannot be read */
	public static final String UNREADABLE = "unreadable";
	/** the spec cannot be compiled into its executable model (a scenario that cannot be built) */
	public static final String MODEL = "model";
	/** a scenario's start block waits or breaks a rule */
	public static final String SCENARIO_START = "scenario-start";
	/** a scenario whose model check stopped at a limit: its verdict is unknown */
	public static final String INCOMPLETE = "incomplete";
	/** the static checks stopped at a time limit: the file was not checked completely */
	public static final String TIME_LIMIT = "time-limit";
	/** a failure of pgmap itself, not of the spec */
	public static final String INTERNAL_ERROR = "internal-error";

	/** static forms of the refcount rules */
	public static final String WRITE_AFTER_PUBLISH = "R2";
	public static final String READ_AFTER_PUBLISH = "R3";
	public static final String LRU_LINKED = "R10";
	public static final String PGMAP_FIELD_WRITE = "R10-pgmap";
	public static final String GET_ON_ZERO = "R6";

	/** Whether a code is a rule the model checker reports (R1-R14 or WARN), not a static finding. */
	public static boolean isModelCheckRule(String code) {
		return org.pgmap.engine.Rule.byId(code) != null;
	}

	/** The rule a code names, static form or model check ("R10-pgmap" names R10), or null. */
	public static org.pgmap.engine.Rule ruleOf(String code) {
		if (code == null) {
			return null;
		}
		int dash = code.indexOf('-');
		return org.pgmap.engine.Rule.byId(dash > 0 && code.startsWith("R") ? code.substring(0, dash) : code);
	}
}
