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

	/**
	 * What each code means, in one line, in the README's order: the table of static checks, then
	 * the problems of the later phases. The static forms of refcount rules that keep the rule's id
	 * (R2, R3, R6, R10) are described by their {@link org.pgmap.engine.Rule}, not here. The SARIF
	 * report's rule metadata comes from this map; a test checks that every code has its line.
	 */
	public static final java.util.Map<String, String> DESCRIPTIONS = descriptions(
			SYNTAX, "the text does not parse",
			UNDEFINED_NAME, "a name that no declaration, variable or library core has",
			WRONG_KIND, "a name of the wrong kind where it is used: spin_lock(free_pages), a lock array without an index",
			WRONG_ARITY, "a call with the wrong number of arguments: set_page_count(page)",
			LOCK_NOT_RELEASED, "a lock still held at a return or at the end, on some path",
			LOCK_RELEASED_TWICE, "a lock released when it is not held (released twice)",
			LOCK_NEVER_TAKEN, "a lock released that was never taken on the path",
			LOCK_TAKEN_TWICE, "a lock taken while already held: a self-deadlock",
			POOL_UNGUARDED, "push, pop, alloc_bit, clear_bit, claim_page or release_page on a pool without its guarded-by lock held",
			MISSING_OP, "a MEMORY_DEVICE_PRIVATE or COHERENT pagemap whose driver has no page_free (PRIVATE without migrate_to_ram: a warning)",
			PGMAP_FIELD_WRITE, "a write to page.pgmap, which memremap_pages() sets and nothing may change (R10)",
			START_BLOCK, "a start block that is not a thread's first statement, or that has a choice (either, any_page)",
			NO_PAGE_FREE, "the core calls page_free for this pagemap's type but its driver has none: like the kernel, the model runs nothing there",
			UNREACHABLE, "statements after a return",
			UNBOUNDED, "a size no check can bound or finish (a count of 0, nested repeats past the limit: an error), or past what keeps it fast: more than 8 threads, 16 repeats, 16 pages (a warning)",
			RECURSION, "a procedure that calls itself: the model needs every call to return",
			TOO_LARGE, "past what the model holds: too many pages, threads, lock or object instances, statements nested too deep, an array of 0",
			NOTHING_TO_CHECK, "an empty or comment-only file, a spec without a scenario, a thread group of 0 threads",
			AMBIGUOUS_NAME, "a name that two files of the spec's folder define",
			SHADOWS_LIBRARY, "a core of the spec's folder hides the library core of the same name",
			MISSING_CORE, "a spec that names no core: it needs a 'uses core' line",
			CORE_INCOMPLETE, "a core without an idle refcount or an on final_put hook, or with a free threshold the kernel never had",
			NO_IDLE_REFCOUNT, "the core gives no idle refcount for a pagemap type (and init mode) the spec uses",
			DUPLICATE_NAME, "a name declared twice in the same scope",
			ELSE_NOT_ALLOWED, "an else branch on a call that cannot fail",
			MISPLACED, "a statement or declaration where it cannot stand (a thread returning a value, call used outside a core)",
			UNREADABLE, "a file that cannot be read",
			MODEL, "the spec cannot be compiled into its executable model",
			SCENARIO_START, "a scenario's start block waits or breaks a rule: the scenario cannot start",
			INCOMPLETE, "a scenario whose model check stopped at a limit: its verdict is unknown",
			TIME_LIMIT, "the static checks stopped at the time limit: the file was not checked completely",
			INTERNAL_ERROR, "a failure of pgmap itself, not of the spec: a bug to report");

	private static java.util.Map<String, String> descriptions(String... codesAndTexts) {
		java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
		for (int i = 0; i < codesAndTexts.length; i += 2) {
			m.put(codesAndTexts[i], codesAndTexts[i + 1]);
		}
		return java.util.Collections.unmodifiableMap(m);
	}

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
