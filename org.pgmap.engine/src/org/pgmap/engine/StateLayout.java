package org.pgmap.engine;

import java.util.List;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.ExecModel.PoolKind;
import org.pgmap.engine.model.Instr;

/**
 * Where everything of a model's state sits in the flat int vector the checker stores, and what
 * each field holds: the one place that knows the layout. The interpreter reads and writes through
 * it, the symmetry reduction permutes threads and pages with it, the checker describes states
 * with it, and the Promela export declares the same state.
 * <p>
 * The vector: [0] the rules broken so far (a bit per rule); one program counter per thread; the
 * threads' slots (and the setup's); the driver variables; per page a block of fields
 * ({@link #PAGE_FIELDS}, then the references each thread holds and how many of them came from
 * a try_get since the page was last claimed); the free-list stacks; the lock holders; per object
 * its kref and state; per pagemap its reference count, whether teardown began, and the pgmap
 * references each thread holds.
 * <p>
 * Who holds, owns and published a page (shared/domain.md): holders are threads ({@link #refs})
 * and mappings ({@link #MAPREFS}); the thread that claimed a page from a pool or bookkeeping owns
 * it until it hands it out or puts it back ({@link #CLAIM}); threads running a page's final put
 * ({@link #RUNNING}) own it until page_free publishes it when the core frees pages of its type
 * ({@link #OWNERS}); threads that put a page back stay its publishers until they claim it again
 * ({@link #PUBLISHERS}, a set). Owners by lock or by driver code are read off the locks and the
 * instruction, not stored.
 */
public final class StateLayout {

	/** Index of the violation word: bit {@link Rule#bit()} for each rule broken so far ({@link #WARN_BIT} for a WARN_ON). */
	public static final int VIOLATIONS = 0;

	/** Bit of the violation word for a kernel WARN_ON reached (warn, a failing assert). */
	public static final int WARN_BIT = Rule.WARN.bit();

	/** Per-page fields. */
	public static final int COUNT = 0, PLOCK = 1, ZDD = 2, MAPPING = 3, POOL = 4, DIRTY = 5, CLAIM = 6, OWNERS = 7,
			PUBLISHERS = 8, RUNNING = 9, PGREF = 10, MAPREFS = 11, PFNMAPS = 12;
	/** Names of the per-page fields, in order (the Promela export declares arrays of these names). */
	public static final List<String> PAGE_FIELDS = List.of("count", "plock", "zdd", "mapping", "pool", "dirty", "claim",
			"owners", "publishers", "running", "pgref", "maprefs", "pfnmaps");
	static final int FIELDS = PAGE_FIELDS.size();

	/** Object states. */
	public static final int OBJ_UNALLOCATED = 0, OBJ_LIVE = 1, OBJ_FREED = 2;

	/** Most threads a model may have: thread sets are bit masks of one int. */
	public static final int MAX_THREADS = 30;

	final ExecModel model;
	final int threads;
	final int pages;
	final int pageStride;
	final int[] slotBase; // [threads + 2]: thread t's slots start at slotBase[t]; the setup's at slotBase[threads]
	final int globalBase;
	final int pageBase;
	final int[] stackBase;
	final int lockBase;
	final int objectBase;
	final int pagemapBase;
	final int threadPgrefBase;
	final int width;

	public StateLayout(ExecModel model) {
		this.model = model;
		this.threads = model.threads().size();
		if (threads > MAX_THREADS) {
			throw new IllegalArgumentException("at most " + MAX_THREADS + " threads");
		}
		this.pages = model.pageCount();
		this.pageStride = FIELDS + 2 * threads;
		int at = 1 + threads;
		slotBase = new int[threads + 2];
		for (int t = 0; t < threads; t++) {
			slotBase[t] = at;
			at += model.threads().get(t).slots().size();
		}
		slotBase[threads] = at;
		at += model.setup().slots().size();
		slotBase[threads + 1] = at;
		globalBase = at;
		at += model.globals().size();
		pageBase = at;
		at += pages * pageStride;
		stackBase = new int[model.pools().size()];
		for (int q = 0; q < model.pools().size(); q++) {
			stackBase[q] = at;
			if (model.pools().get(q).kind() == PoolKind.FREELIST) {
				at += pages;
			}
		}
		lockBase = at;
		at += model.locks().size();
		objectBase = at;
		at += 2 * model.objects().size();
		pagemapBase = at;
		at += 2 * model.pagemaps().size();
		threadPgrefBase = at;
		at += model.pagemaps().size() * threads;
		width = at;
	}

	public int width() {
		return width;
	}

	public int threads() {
		return threads;
	}

	public int pages() {
		return pages;
	}

	// ------------------------------------------------------------------ offsets and what they hold

	/** The rules broken so far: bit {@link Rule#bit()} of each. */
	public static int violations(int[] s) {
		return s[VIOLATIONS];
	}

	/** Records in state s that the step broke the rule. */
	static void violate(int[] s, Rule rule) {
		s[VIOLATIONS] |= 1 << rule.bit();
	}

	/** Records in state s that the step reached a WARN_ON. */
	static void violateWarn(int[] s) {
		s[VIOLATIONS] |= 1 << WARN_BIT;
	}

	public static int pc(int t) {
		return 1 + t;
	}

	public int slot(int t, int j) {
		return slotBase[t] + j;
	}

	public int slots(int t) {
		return slotBase[t + 1] - slotBase[t];
	}

	public int global(int g) {
		return globalBase + g;
	}

	public int page(int p, int field) {
		return pageBase + p * pageStride + field;
	}

	/** The per-page field a FIELD_WRITE writes: {@link #ZDD} or {@link #MAPPING}. */
	public static int field(Instr.Field f) {
		return f == Instr.Field.ZONE_DEVICE_DATA ? ZDD : MAPPING;
	}

	/** References thread t holds on page p. */
	public int refs(int p, int t) {
		return pageBase + p * pageStride + FIELDS + t;
	}

	/** How many of them thread t took by a successful try_get since the page was last claimed. */
	public int tries(int p, int t) {
		return pageBase + p * pageStride + FIELDS + threads + t;
	}

	/** Position n of free list q: page + 1, or 0 past its top. */
	public int stack(int q, int n) {
		return stackBase[q] + n;
	}

	/** How many pages free list q holds in state s (its top is position height - 1). */
	public int stackHeight(int[] s, int q) {
		int n = 0;
		while (n < pages && s[stackBase[q] + n] != 0) {
			n++;
		}
		return n;
	}

	public int lock(int l) {
		return lockBase + l;
	}

	public int objectKref(int o) {
		return objectBase + 2 * o;
	}

	public int objectState(int o) {
		return objectBase + 2 * o + 1;
	}

	/** The pagemap's percpu_ref count (the base reference memremap_pages holds, and one per get). */
	public int pgmapRefs(int m) {
		return pagemapBase + 2 * m;
	}

	public int pgmapDying(int m) {
		return pagemapBase + 2 * m + 1;
	}

	/** pgmap references thread t took itself (pgmap_get on the pagemap, not page.pgmap of a page). */
	public int threadPgrefs(int m, int t) {
		return threadPgrefBase + m * threads + t;
	}

	// ------------------------------------------------------------------ thread sets

	public static int bit(int t) {
		return 1 << t;
	}

	public static boolean has(int mask, int t) {
		return (mask & (1 << t)) != 0;
	}

	/** Whether another thread than t is in the set. */
	public static boolean hasOther(int mask, int t) {
		return (mask & ~(1 << t)) != 0;
	}

	// ------------------------------------------------------------------ symmetry

	/**
	 * The state with threads and pages renamed: {@code perm[t]} is thread t's new index for
	 * t below {@link #threads}, and {@code perm[threads + p] - threads} page p's new index. Slots
	 * marked in {@code pageSlot} hold pages and are renamed too.
	 */
	public int[] permute(int[] s, int[] perm, boolean[][] pageSlot) {
		int[] r = new int[s.length];
		r[VIOLATIONS] = s[VIOLATIONS];
		for (int t = 0; t < threads; t++) {
			int u = perm[t];
			r[pc(u)] = s[pc(t)];
			for (int j = 0; j < slots(t); j++) {
				r[slot(u, j)] = pageSlot[t][j] ? mapPage(s[slot(t, j)], perm) : s[slot(t, j)];
			}
		}
		// the setup's slots: it ran before the initial state and never runs again; nothing reads them
		System.arraycopy(s, slotBase[threads], r, slotBase[threads], pageBase - slotBase[threads]);
		for (int p = 0; p < pages; p++) {
			int to = perm[threads + p] - threads;
			int from = page(p, 0);
			int dst = page(to, 0);
			System.arraycopy(s, from, r, dst, FIELDS);
			r[dst + PLOCK] = mapThread(s[from + PLOCK], perm);
			r[dst + CLAIM] = mapThread(s[from + CLAIM], perm);
			r[dst + OWNERS] = mapMask(s[from + OWNERS], perm);
			r[dst + PUBLISHERS] = mapMask(s[from + PUBLISHERS], perm);
			r[dst + RUNNING] = mapMask(s[from + RUNNING], perm);
			for (int t = 0; t < threads; t++) {
				r[refs(to, perm[t])] = s[refs(p, t)];
				r[tries(to, perm[t])] = s[tries(p, t)];
			}
		}
		for (int j = pageBase + pages * pageStride; j < lockBase; j++) { // free-list stacks hold pages
			r[j] = mapPage(s[j], perm);
		}
		for (int j = lockBase; j < objectBase; j++) {
			r[j] = mapThread(s[j], perm);
		}
		System.arraycopy(s, objectBase, r, objectBase, threadPgrefBase - objectBase);
		for (int m = 0; m < model.pagemaps().size(); m++) {
			for (int t = 0; t < threads; t++) {
				r[threadPgrefs(m, perm[t])] = s[threadPgrefs(m, t)];
			}
		}
		return r;
	}

	int mapPage(int v, int[] perm) {
		return v > 0 && v <= pages ? perm[threads + v - 1] - threads + 1 : v;
	}

	int mapThread(int v, int[] perm) {
		return v > 0 && v <= threads ? perm[v - 1] + 1 : v;
	}

	int mapMask(int mask, int[] perm) {
		int r = 0;
		for (int t = 0; t < threads; t++) {
			if (has(mask, t)) {
				r |= bit(perm[t]);
			}
		}
		return r;
	}
}
