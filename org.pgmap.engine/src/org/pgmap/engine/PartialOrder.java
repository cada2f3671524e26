package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.MAPPING;
import static org.pgmap.engine.StateLayout.PGREF;
import static org.pgmap.engine.StateLayout.POOL;
import static org.pgmap.engine.StateLayout.ZDD;

import java.util.Arrays;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * Partial-order reduction by independence: at a state, one thread's next step is an ample set
 * (the other threads' steps are postponed) when no step the other threads can take before it
 * depends on it, so every interleaving the search leaves out is a reordering of independent
 * steps of one it keeps (a persistent set of one thread: Godefroid; Peled; Clarke, Grumberg and
 * Peled ch. 10). What the step touches must be <i>private</i> to its thread at that state:
 * <ul>
 * <li>A <b>page</b> is private to thread t when no other thread can reach it before t moves:
 * its pointer is in no slot another thread may still read, in no driver variable or pool another
 * thread may touch, in no page's zone_device_data or mapping field, and no other thread names
 * it by a constant (pfn_to_page), picks any page (any_page) or walks pages by their backing
 * (release_backing) from where it stands ({@link #othersReach}). Only a holder of the pointer
 * can make it reachable, and that is t, whose next step this is.</li>
 * <li>A <b>lock, pool, object or driver variable</b> is private to t when every access the
 * other threads can make to it from where they stand is made holding a lock that t holds now
 * (a must-hold analysis of each program), or there is none. A lock's own acquisition by another
 * thread counts as guarded by the lock: it waits while t holds it. So a critical section's
 * steps after the lock is taken are private, and only the acquisitions interleave.</li>
 * <li>A pagemap's <b>teardown</b> state (read by pgmap gets and puts and by accesses to device
 * memory, R9) is private when no other thread can begin memunmap_pages() of it. Pgmap gets and
 * paired puts commute with each other: the count never goes below the base reference plus the
 * references held per page and per thread (an invariant of {@link Semantics}, checked on the
 * initial state), so a paired put never sees an underflow whatever the order.</li>
 * <li>R1 is checked after every step on every page in a free pool whose lock is not held: a
 * step that takes or drops a pool's lock needs the pages in that pool private too, so no other
 * thread can change what that check sees; and a page in a pool whose lock another thread holds
 * is not private (that thread reads its count when it lets go of the lock).</li>
 * <li>The step breaks no rule (so moving it earlier changes neither which rule breaks first on
 * an interleaving nor the consequences), and every way it can go ends past where it began (so
 * no cycle of the reduced graph is made of postponing steps alone: the cycle proviso).</li>
 * </ul>
 * Then the other threads' steps cannot read or write what the step touches, cannot enable or
 * disable it, and it cannot enable or disable theirs before it runs. The reduction is checked
 * like the others (ReductionsTest: every example and a thousand random specs give the same
 * verdicts, rules, root causes and consequences, and every trace replays in the unreduced
 * model). Part of {@link Interpreter}.
 */
final class PartialOrder {

	/** A guard mask meaning "no access from here on". */
	private static final long NONE = -1L;

	private final ExecModel model;
	private final StateLayout layout;
	private final int threads;
	private final int pages;
	private final Instr[][] programs;
	private final int[] pagemapOfPage;
	private final int[][] ownerLocks;
	private final boolean[] coreFrees;
	/** Resource indices: locks, then pools, objects, driver variables, pagemaps' teardown. */
	private final int poolBase, objectBase, globalBase, teardownBase, resources;
	/** [t][pc]: the step from pc only reads and writes the thread's own slots and moves it forward. */
	final boolean[][] local;
	/** [t][pc]: every instruction the step from pc can run is of a kind that may be independent, and it moves forward. */
	final boolean[][] candidate;
	/** [t][pc]: pages (bit p) the thread may name from pc on by a constant, any_page or release_backing. */
	private final long[][] futurePages;
	/** [t][pc]: slots (bit j) the thread may read from pc on; -1L when it has more than 64. */
	private final long[][] futureSlots;
	/**
	 * [t][pc]: of those, the slots it reads from pc on only as {@code slot.pgmap} of a pgmap get or
	 * put: the page behind it is touched only in its count of pgmap references.
	 */
	private final long[][] futurePgrefSlots;
	/**
	 * [t][pc]: of those, the slots it reads from pc on only to end its final put of the page
	 * (its own running and owner bits of the page).
	 */
	private final long[][] futureBookSlots;
	/** [t][pc][r]: the locks (bit l) the thread holds at every access to resource r from pc on; {@link #NONE}: no access. */
	private final long[][][] futureGuard;
	/** [m]: pgmap gets and paired puts on pagemap m commute (the count invariant holds initially). */
	private final boolean[] pgmapCommutes;

	PartialOrder(Interpreter in, int[] initial) {
		this.model = in.model;
		this.layout = in.layout;
		this.threads = in.threads;
		this.pages = in.pages;
		this.programs = in.programs;
		this.pagemapOfPage = in.pagemapOfPage;
		this.ownerLocks = in.ownerLocks;
		this.coreFrees = in.coreFrees;
		poolBase = model.locks().size();
		objectBase = poolBase + model.pools().size();
		globalBase = objectBase + model.objects().size();
		teardownBase = globalBase + model.globals().size();
		resources = teardownBase + model.pagemaps().size();
		local = new boolean[threads][];
		candidate = new boolean[threads][];
		futurePages = new long[threads][];
		futureSlots = new long[threads][];
		futurePgrefSlots = new long[threads][];
		futureBookSlots = new long[threads][];
		futureGuard = new long[threads][][];
		boolean manyLocks = model.locks().size() > 63;
		for (int t = 0; t < threads; t++) {
			int n = programs[t].length;
			local[t] = new boolean[n];
			candidate[t] = new boolean[n];
			for (int pc = 0; pc < n; pc++) {
				if (programs[t][pc].op() != Op.END) {
					local[t][pc] = stepOf(t, pc, pc, false, 0, true);
					candidate[t][pc] = !manyLocks && !local[t][pc] && stepOf(t, pc, pc, false, 0, false);
				}
			}
			futures(t);
		}
		pgmapCommutes = new boolean[model.pagemaps().size()];
		for (int m = 0; m < pgmapCommutes.length; m++) {
			int held = initial[layout.pgmapDying(m)] != 0 ? 0 : 1;
			for (int p = 0; p < pages; p++) {
				held += pagemapOfPage[p] == m ? initial[layout.page(p, PGREF)] : 0;
			}
			for (int t = 0; t < threads; t++) {
				held += initial[layout.threadPgrefs(m, t)];
			}
			pgmapCommutes[m] = initial[layout.pgmapRefs(m)] >= held;
		}
	}

	// ------------------------------------------------------------------ what the programs can do

	private static int[] nexts(Instr in, int pc) {
		if (in.op() == Op.END) {
			return new int[0];
		}
		if (in.op() == Op.JUMP) {
			return new int[] { in.target() };
		}
		return in.target() >= 0 ? new int[] { pc + 1, in.target() } : new int[] { pc + 1 };
	}

	/**
	 * Whether every way the step that began at {@code start} can go from pc runs only instructions
	 * of the kind asked ({@code onlySlots}: thread-local; else {@link #mayBeIndependent}) and ends
	 * past start. Follows the interpreter's rule of where a step ends ({@link Interpreter}).
	 */
	private boolean stepOf(int t, int start, int pc, boolean reported, int depth, boolean onlySlots) {
		Instr in = programs[t][pc];
		if (depth > programs[t].length || !(onlySlots ? onlySlots(in) : mayBeIndependent(in))) {
			return false;
		}
		boolean rep = reported || !in.silent();
		for (int next : nexts(in, pc)) {
			Instr after = programs[t][next];
			boolean goOn = in.atomicWith(after) || !rep || after.silent();
			if (after.op() == Op.END || !goOn) {
				if (next <= start) {
					return false;
				}
			} else if (!stepOf(t, start, next, rep, depth + 1, onlySlots)) {
				return false;
			}
		}
		return true;
	}

	/** Reads and writes only constants and the thread's own slots, never blocks, never breaks a rule. */
	private static boolean onlySlots(Instr in) {
		switch (in.op()) {
		case LET, BRANCH, JUMP, NOP:
			break;
		default:
			return false;
		}
		for (Operand o : in.args()) {
			if (o.kind() != Operand.Kind.CONST && o.kind() != Operand.Kind.SLOT) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Every kind but two: memunmap_pages() reads the pgmap count every get and put changes, and
	 * release_backing walks every page. Whether an instruction of the other kinds is independent
	 * at a state is {@link Probe}'s question.
	 */
	private static boolean mayBeIndependent(Instr in) {
		return in.op() != Op.MEMUNMAP && in.op() != Op.RELEASE_BACKING && in.op() != Op.END;
	}

	/**
	 * The futures of thread t at every pc: which pages it may name, which slots it may read, and
	 * under which locks it touches each resource from there on. Locks held: a forward must-hold
	 * analysis from the thread's first instruction; futures: a backward fixpoint.
	 */
	private void futures(int t) {
		Instr[] prog = programs[t];
		int n = prog.length;
		long[] held = new long[n];
		Arrays.fill(held, -1L);
		held[0] = 0;
		for (boolean changed = true; changed;) {
			changed = false;
			for (int pc = 0; pc < n; pc++) {
				if (held[pc] == -1L && pc != 0) {
					continue; // not reached yet
				}
				Instr in = prog[pc];
				long out = held[pc];
				if (in.op() == Op.LOCK && in.lock() < 64) {
					out |= 1L << in.lock();
				} else if (in.op() == Op.UNLOCK && in.lock() < 64) {
					out &= ~(1L << in.lock());
				}
				for (int next : nexts(in, pc)) {
					if (next >= 0 && next < n) {
						long merged = held[next] & out;
						if (merged != held[next]) {
							held[next] = merged;
							changed = true;
						}
					}
				}
			}
		}
		long allPages = pages >= 64 ? -1L : (1L << pages) - 1;
		long[] pagesOf = new long[n];
		long[] slotsOf = new long[n];
		long[] pgrefSlotsOf = new long[n];
		long[] bookSlotsOf = new long[n];
		long[][] guardOf = new long[n][resources];
		boolean manySlots = layout.slots(t) > 64;
		for (int pc = 0; pc < n; pc++) {
			Instr in = prog[pc];
			long[] g = guardOf[pc];
			Arrays.fill(g, NONE);
			long h = held[pc] == -1L ? 0 : held[pc];
			long p = 0;
			long sl = 0;
			switch (in.op()) {
			case ANY_PAGE -> {
				for (int q = 0; q < pages; q++) {
					p |= pagemapOfPage[q] == in.pagemap() ? 1L << q : 0;
				}
			}
			case RELEASE_BACKING -> {
				p = allPages;
				g[poolBase + in.pool()] = h;
			}
			case LOCK -> g[in.lock()] = in.lock() < 64 ? h | 1L << in.lock() : h;
			case UNLOCK -> g[in.lock()] = h;
			case POOL_TAKE, POOL_PUT, CLAIM -> g[poolBase + in.pool()] = h;
			case KZALLOC -> {
				for (int o = in.firstObject(); o < in.firstObject() + in.objectCount(); o++) {
					g[objectBase + o] = h;
				}
			}
			case KREF_INIT, KREF_GET, KREF_TRY_GET, KREF_PUT, KFREE, ACCESS -> {
				int o = in.arg(0).kind() == Operand.Kind.CONST ? Operand.objectId(in.arg(0).value()) : -1;
				for (int k = 0; k < model.objects().size(); k++) {
					if (o < 0 || o == k) {
						g[objectBase + k] = h;
					}
				}
			}
			case GLOBAL_SET -> g[globalBase + in.global()] = h;
			case MEMUNMAP -> {
				Operand m = in.arg(0);
				for (int k = 0; k < model.pagemaps().size(); k++) {
					if (m.kind() != Operand.Kind.CONST || m.value() == k) {
						g[teardownBase + k] = h;
					}
				}
			}
			default -> {
			}
			}
			long pgrefOnly = 0;
			long bookOnly = 0;
			for (int i = 0; i < in.args().size(); i++) {
				Operand o = in.arg(i);
				p |= pointerPosition(in.op(), i) ? constPages(o) : constPages(o.inner());
				if (pgrefUse(in, o)) {
					pgrefOnly |= slotsRead(o.inner());
				} else if (in.op() == Op.FINAL_PUT_END && o.kind() == Operand.Kind.SLOT) {
					bookOnly |= slotsRead(o);
				} else {
					sl |= slotsRead(o);
				}
				markGlobals(o, g, h);
			}
			pagesOf[pc] = p;
			slotsOf[pc] = manySlots ? -1L : sl;
			pgrefSlotsOf[pc] = manySlots ? 0 : pgrefOnly;
			bookSlotsOf[pc] = manySlots ? 0 : bookOnly;
		}
		// backward: the future of pc is its own accesses and those of every instruction after it
		long[] fp = pagesOf;
		long[] fs = slotsOf;
		long[] fr = pgrefSlotsOf;
		long[] fb = bookSlotsOf;
		long[][] fg = guardOf;
		for (boolean changed = true; changed;) {
			changed = false;
			for (int pc = n - 1; pc >= 0; pc--) {
				for (int next : nexts(prog[pc], pc)) {
					if (next < 0 || next >= n) {
						continue;
					}
					long a = fp[pc] | fp[next], b = fs[pc] | fs[next], c = fr[pc] | fr[next], e = fb[pc] | fb[next];
					if (a != fp[pc] || b != fs[pc] || c != fr[pc] || e != fb[pc]) {
						fp[pc] = a;
						fs[pc] = b;
						fr[pc] = c;
						fb[pc] = e;
						changed = true;
					}
					for (int r = 0; r < resources; r++) {
						long d = fg[pc][r] & fg[next][r];
						if (d != fg[pc][r]) {
							fg[pc][r] = d;
							changed = true;
						}
					}
				}
			}
		}
		futurePages[t] = fp;
		futureSlots[t] = fs;
		futurePgrefSlots[t] = fr;
		futureBookSlots[t] = fb;
		futureGuard[t] = fg;
	}

	/** Whether operand o of instruction in is {@code slot.pgmap} of a pgmap get or put: only the page's pgmap references are touched. */
	private static boolean pgrefUse(Instr in, Operand o) {
		return (in.op() == Op.PGMAP_GET || in.op() == Op.PGMAP_TRYGET || in.op() == Op.PGMAP_PUT)
				&& o.kind() == Operand.Kind.PGMAP_OF && o.inner().kind() == Operand.Kind.SLOT;
	}

	private void markGlobals(Operand o, long[] g, long h) {
		for (; o != null; o = o.inner()) {
			if (o.kind() == Operand.Kind.GLOBAL) {
				g[globalBase + o.value()] &= h;
			}
		}
	}

	/**
	 * Whether argument i of op may be a pointer the instruction follows or keeps (a page it
	 * touches, or a value copied into a slot, a variable or a field); not a count or a compared
	 * value.
	 */
	private static boolean pointerPosition(Op op, int i) {
		return switch (op) {
		case BRANCH, ASSERT, WAIT, JUMP, NOP, CHOICE, ANY_PAGE, WARN -> false;
		case SET_COUNT -> i == 0;
		default -> true;
		};
	}

	/** Pages a constant operand may name (any constant that is a page's value: a number that looks like one only costs reduction). */
	private long constPages(Operand o) {
		long m = 0;
		for (; o != null; o = o.inner()) {
			m |= o.kind() == Operand.Kind.CONST ? pageBit(o.value()) : 0;
		}
		return m;
	}

	/**
	 * Slots whose page the operand reaches. A slot read only for what never changes of its page
	 * (its type, init mode, whether it has page_free, its pagemap outside a pgmap get or put)
	 * does not reach the page.
	 */
	private static long slotsRead(Operand o) {
		long m = 0;
		for (; o != null; o = o.inner()) {
			if (staticUse(o) && o.inner().kind() == Operand.Kind.SLOT) {
				return m;
			}
			m |= o.kind() == Operand.Kind.SLOT ? (o.value() < 64 ? 1L << o.value() : -1L) : 0;
		}
		return m;
	}

	private static boolean staticUse(Operand o) {
		return switch (o.kind()) {
		case TYPE, INIT_MODE, HAS_PAGE_FREE, PGMAP_OF -> true;
		default -> false;
		};
	}

	private long pageBit(int value) {
		return value >= 1 && value <= pages && value <= 64 ? 1L << (value - 1) : 0;
	}

	// ------------------------------------------------------------------ at a state

	/** The locks (bit l) thread t holds in s. */
	private long held(int[] s, int t) {
		long m = 0;
		for (int l = 0, n = Math.min(64, model.locks().size()); l < n; l++) {
			if (s[layout.lock(l)] == t + 1) {
				m |= 1L << l;
			}
		}
		return m;
	}

	/** Whether no thread but t can touch resource r in s before t moves: none may, or each only holding a lock t holds. */
	private boolean privateTo(int[] s, int t, long held, int r) {
		for (int u = 0; u < threads; u++) {
			if (u == t) {
				continue;
			}
			long g = futureGuard[u][s[StateLayout.pc(u)]][r];
			if (g != NONE && (g & held) == 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The pages that a thread other than t could reach in s before t moves: through the slots it
	 * may still read, its constants, any_page and release_backing, through a pool or a driver
	 * variable that is not private to t, or through a page's field; {[0]: reach in any way, [1]:
	 * also those reached only to take or drop a pgmap reference behind the page}. A slot read
	 * only to end the thread's final put of its page reaches it only while the thread owns it
	 * (the running and owner bits it clears are its own; others read only the owner bits).
	 */
	private long[] othersReach(int[] s, int t, long held) {
		long m = 0;
		long pgref = 0;
		boolean[] poolOpen = new boolean[model.pools().size()];
		for (int q = 0; q < poolOpen.length; q++) {
			poolOpen[q] = !privateTo(s, t, held, poolBase + q);
		}
		for (int p = 0; p < pages; p++) {
			int q = s[layout.page(p, POOL)] - 1;
			if (q >= 0 && poolOpen[q]) {
				m |= 1L << p;
			}
			// R1's check after every step reads the counts of a pool's pages once its lock is free:
			// the thread that holds the lock now reads them when it lets go
			if (q >= 0 && model.pools().get(q).publishes()) {
				int guard = model.pools().get(q).guard();
				int holder = guard >= 0 ? s[layout.lock(guard)] : 0;
				if (holder != 0 && holder != t + 1) {
					m |= 1L << p;
				}
			}
			m |= pageBit(s[layout.page(p, ZDD)]) | pageBit(s[layout.page(p, MAPPING)]);
		}
		for (int g = 0; g < model.globals().size(); g++) {
			if (!privateTo(s, t, held, globalBase + g)) {
				m |= pageBit(s[layout.global(g)]);
			}
		}
		for (int u = 0; u < threads; u++) {
			int pc = s[StateLayout.pc(u)];
			if (u == t || programs[u][pc].op() == Op.END) {
				continue;
			}
			m |= futurePages[u][pc];
			long live = futureSlots[u][pc];
			long pgrefLive = futurePgrefSlots[u][pc];
			long bookLive = futureBookSlots[u][pc];
			for (int j = 0, n = layout.slots(u); j < n; j++) {
				long b = pageBit(s[layout.slot(u, j)]);
				if (b == 0) {
					continue;
				}
				if (live == -1L || (j < 64 && (live & (1L << j)) != 0)) {
					m |= b;
					continue;
				}
				if (j < 64 && (pgrefLive & (1L << j)) != 0) {
					pgref |= b;
				}
				// ending its final put clears only its own bits: unseen by others unless it owns the page now
				if (j < 64 && (bookLive & (1L << j)) != 0
						&& StateLayout.has(s[layout.page(s[layout.slot(u, j)] - 1, StateLayout.OWNERS)], u)) {
					m |= b;
				}
			}
		}
		return new long[] { m, m | pgref };
	}

	/**
	 * Watches one step of thread t from state {@code origin} instruction by instruction: it stays
	 * independent while everything it touches is private to t in origin.
	 */
	final class Probe {
		private final int[] origin;
		private final int t;
		private final long held;
		private final long others;
		/** Pages other threads may reach only for their pgmap references, too. */
		private final long othersWithPgref;
		/** The instruction being checked touches the pgmap references behind its pages. */
		private boolean pgrefs;
		private boolean independent = true;

		Probe(int[] origin, int t) {
			this.origin = origin;
			this.t = t;
			this.held = held(origin, t);
			long[] reach = pages > 64 ? new long[] { -1L, -1L } : othersReach(origin, t, held);
			this.others = reach[0];
			this.othersWithPgref = reach[1];
		}

		boolean independent() {
			return independent;
		}

		private boolean owned(int r) {
			return privateTo(origin, t, held, r);
		}

		private boolean privatePage(int v) {
			return v >= 1 && v <= pages && ((pgrefs ? othersWithPgref : others) & (1L << (v - 1))) == 0;
		}

		/** Called before instruction {@code in} runs on s (an intermediate state of the step); false ends the probe. */
		boolean allows(int[] s, Instr in) {
			if (independent && !check(s, in)) {
				independent = false;
			}
			return independent;
		}

		private boolean check(int[] s, Instr in) {
			if (!mayBeIndependent(in)) {
				return false;
			}
			Op op = in.op();
			pgrefs = op == Op.PGMAP_GET || op == Op.PGMAP_TRYGET || op == Op.PGMAP_PUT || op == Op.ACCESS;
			for (int i = 0; i < in.args().size(); i++) {
				if (!operandAllowed(s, in.arg(i), pagePosition(in.op(), i))) {
					return false;
				}
			}
			switch (in.op()) {
			case LOCK, UNLOCK -> {
				if (!owned(in.lock()) || in.lock() >= 64) {
					return false;
				}
				// R1 is checked on the pages of the pools this lock guards once it is free
				for (int q = 0; q < model.pools().size(); q++) {
					if (model.pools().get(q).guard() == in.lock() && !poolPagesPrivate(s, q)) {
						return false;
					}
				}
				return true;
			}
			case POOL_TAKE, POOL_PUT, CLAIM -> {
				return owned(poolBase + in.pool()) && poolPagesPrivate(s, in.pool());
			}
			case KZALLOC -> {
				for (int o = in.firstObject(); o < in.firstObject() + in.objectCount(); o++) {
					if (!owned(objectBase + o)) {
						return false;
					}
				}
				return true;
			}
			case KREF_INIT, KREF_GET, KREF_TRY_GET, KREF_PUT, KFREE -> {
				int o = Operand.objectId(peek(s, in.arg(0)));
				return o < 0 || owned(objectBase + o); // (no object: R12, which the step's check refuses)
			}
			case ACCESS -> {
				int v = peek(s, in.arg(0));
				int o = Operand.objectId(v);
				if (o >= 0) {
					return owned(objectBase + o);
				}
				return privatePage(v) && owned(teardownBase + pagemapOfPage[v - 1]);
			}
			case GLOBAL_SET -> {
				return owned(globalBase + in.global());
			}
			case PGMAP_GET, PGMAP_TRYGET, PGMAP_PUT -> {
				int m = pagemapOperand(s, in.arg(0));
				return m >= 0 && pgmapCommutes[m] && owned(teardownBase + m);
			}
			case FIELD_WRITE -> {
				int v = peek(s, in.arg(0));
				if (in.core() && in.field() == Instr.Field.MAPPING && privatePage(v) && !coreFrees[v - 1]) {
					// R10 asks whether another thread holds a lock that owns the page (when the core does not free it)
					for (int l : ownerLocks[v - 1]) {
						if (l >= 64 || !owned(l)) {
							return false;
						}
					}
				}
				return true;
			}
			default -> {
				return true;
			}
			}
		}

		/** Every page in pool q is private (no stale pointer to it elsewhere, no other way to it). */
		private boolean poolPagesPrivate(int[] s, int q) {
			for (int p = 0; p < pages; p++) {
				if (s[layout.page(p, POOL)] == q + 1 && (others & (1L << p)) != 0) {
					return false;
				}
			}
			return true;
		}

		private int pagemapOperand(int[] s, Operand o) {
			if (o.kind() == Operand.Kind.CONST) {
				return o.value() >= 0 && o.value() < model.pagemaps().size() ? o.value() : -1;
			}
			if (o.kind() == Operand.Kind.PGMAP_OF) {
				int v = peek(s, o.inner());
				return v >= 1 && v <= pages ? pagemapOfPage[v - 1] : -1;
			}
			return -1;
		}

		/** Whether the operand's evaluation (and, in a page position, its value) touches only private things. */
		private boolean operandAllowed(int[] s, Operand o, boolean pagePosition) {
			switch (o.kind()) {
			case GLOBAL:
				if (!owned(globalBase + o.value())) {
					return false;
				}
				break;
			case CONST, SLOT:
				break;
			default:
				if (!operandAllowed(s, o.inner(), true)) {
					return false;
				}
			}
			return !pagePosition || privatePage(peek(s, o));
		}

		/** The operand's value in s, read without the checks the evaluator makes (they run with the step). */
		private int peek(int[] s, Operand o) {
			switch (o.kind()) {
			case CONST:
				return o.value();
			case SLOT:
				return s[layout.slot(t, o.value())];
			case GLOBAL:
				return s[layout.global(o.value())];
			default:
				break;
			}
			int v = peek(s, o.inner());
			if (v < 1 || v > pages) {
				return 0;
			}
			int p = v - 1;
			return switch (o.kind()) {
			case ZONE_DEVICE_DATA -> s[layout.page(p, ZDD)];
			case MAPPING -> s[layout.page(p, MAPPING)];
			case REFCOUNT -> s[layout.page(p, StateLayout.COUNT)];
			default -> 0; // PGMAP_OF, TYPE, INIT_MODE, HAS_PAGE_FREE, MAPPED: numbers, never pages
			};
		}
	}

	/** Whether argument i of op names a page the instruction touches (values copied, compared or stored are not touched). */
	private static boolean pagePosition(Op op, int i) {
		return switch (op) {
		case LET, BRANCH, ASSERT, WAIT, JUMP, NOP, CHOICE, ANY_PAGE, GLOBAL_SET, PGMAP_GET, PGMAP_TRYGET, PGMAP_PUT, KZALLOC,
				KREF_INIT, KREF_GET, KREF_TRY_GET, KREF_PUT, KFREE, ACCESS, POOL_TAKE, WARN -> false;
		case SET_COUNT, FIELD_WRITE -> i == 0;
		default -> true;
		};
	}
}
