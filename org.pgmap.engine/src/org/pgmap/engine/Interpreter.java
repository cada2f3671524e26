package org.pgmap.engine;

import java.util.List;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.ExecModel.Pool;
import org.pgmap.engine.model.ExecModel.PoolKind;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * Runs an {@link ExecModel}: the state of pages, locks, pools, objects and pagemaps, the ghost
 * state the rules need (who holds which references, who owns or published which page), and one
 * program counter and a few slots per thread, all in one int vector. A step runs one instruction
 * of one thread (several inside atomic { }) and records the rules it breaks in the vector's
 * first word, so the checker sees on each interleaving which rule broke first.
 */
public final class Interpreter implements TransitionSystem {

	/** Bit of the violation word for a kernel WARN_ON reached (warn, a failing assert). */
	public static final int WARN_BIT = Rule.values().length;

	// per-page fields
	static final int COUNT = 0, PLOCK = 1, ZDD = 2, MAPPING = 3, POOL = 4, PUBLISHED = 5, OWNER = 6, FREED = 7,
			PGREF = 8, REFS = 9;

	final ExecModel model;
	final int threads;
	final int pages;
	final int pageStride;
	final int[] slotBase;
	final int pageBase;
	final int[] stackBase;
	final int lockBase;
	final int objectBase;
	final int pagemapBase;
	final int width;
	final int[] idle;
	final int[] pagemapOfPage;
	final boolean[] initiallyPooled;
	final Instr[][] programs;
	private final int[] initial;
	/** [thread][pc]: the step from pc only reads and writes the thread's own slots and moves it forward. */
	private final boolean[][] localStep;

	public Interpreter(ExecModel model) {
		this.model = model;
		this.threads = model.threads().size();
		this.pages = model.pageCount();
		this.pageStride = REFS + threads + 1; // + the setup pseudo-thread
		int at = 1 + threads;
		slotBase = new int[threads + 1];
		for (int t = 0; t < threads; t++) {
			slotBase[t] = at;
			at += model.threads().get(t).slots().size();
		}
		slotBase[threads] = at;
		at += model.setup().slots().size();
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
		width = at;
		idle = new int[pages];
		pagemapOfPage = new int[pages];
		for (int p = 0; p < pages; p++) {
			pagemapOfPage[p] = model.pagemapOf(p);
			idle[p] = model.pagemaps().get(pagemapOfPage[p]).idleRefcount();
		}
		programs = new Instr[threads + 1][];
		for (int t = 0; t < threads; t++) {
			programs[t] = model.threads().get(t).program().toArray(new Instr[0]);
		}
		programs[threads] = model.setup().program().toArray(new Instr[0]);
		initiallyPooled = new boolean[pages];
		initial = setup();
		localStep = new boolean[threads][];
		for (int t = 0; t < threads; t++) {
			localStep[t] = new boolean[programs[t].length];
			for (int pc = 0; pc < programs[t].length; pc++) {
				localStep[t][pc] = programs[t][pc].op() != Op.END && local(t, pc, pc, false, 0);
			}
		}
	}

	/** Whether every way the step that began at {@code start} can go from pc is thread-local and ends past start. */
	private boolean local(int t, int start, int pc, boolean reported, int depth) {
		Instr in = programs[t][pc];
		if (depth > programs[t].length || !localInstruction(in)) {
			return false;
		}
		boolean rep = reported || !in.silent();
		int[] nexts = switch (in.op()) {
		case BRANCH -> new int[] { pc + 1, in.target() };
		case JUMP -> new int[] { in.target() };
		default -> new int[] { pc + 1 };
		};
		for (int next : nexts) {
			Instr after = programs[t][next];
			boolean goOn = in.atomic() || !rep || after.silent();
			if (after.op() == Op.END || !goOn) {
				if (next <= start) {
					return false;
				}
			} else if (!local(t, start, next, rep, depth + 1)) {
				return false;
			}
		}
		return true;
	}

	/** Reads and writes only constants and the thread's own slots, never blocks, never breaks a rule. */
	private static boolean localInstruction(Instr in) {
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
	 * Partial-order reduction: when some thread's next step is thread-local (it touches only its
	 * own slots, so it commutes with every step of the other threads, and it breaks no rule), that
	 * step alone is an ample set: the other orders of it and the other threads' steps reach the
	 * same states. Every such step moves its thread forward, so no cycle is made of them alone.
	 */
	@Override
	public void successors(int[] state, StepSink out, boolean partialOrder) {
		if (partialOrder) {
			for (int t = 0; t < threads; t++) {
				int pc = state[1 + t];
				if (!localStep[t][pc]) {
					continue;
				}
				int[][] only = new int[1][];
				int[] via = new int[2];
				run(state.clone(), t, -1, pc, true, (thread, statement, next) -> {
					only[0] = next;
					via[0] = thread;
					via[1] = statement;
				});
				if (only[0] != null && only[0][0] == state[0]) {
					out.step(via[0], via[1], only[0]);
					return;
				}
				break;
			}
		}
		successors(state, out);
	}

	@Override
	public Symmetry symmetry() {
		return ModelSymmetry.of(this);
	}

	public int width() {
		return width;
	}

	@Override
	public int[] initial() {
		return initial.clone();
	}

	/** The state after memremap_pages(): pools filled, the core's init hook run for every page. */
	private int[] setup() {
		int[] s = new int[width];
		for (int m = 0; m < model.pagemaps().size(); m++) {
			s[pagemapBase + 2 * m] = 1; // the base reference memremap_pages() holds
		}
		for (int o = 0; o < model.objects().size(); o++) {
			s[objectBase + 2 * o] = model.objects().get(o).kref();
		}
		for (int q = 0; q < model.pools().size(); q++) {
			for (int p : model.pools().get(q).initial()) {
				addToPool(s, q, p);
				s[pageBase + p * pageStride + FREED] = 1;
				initiallyPooled[p] = true;
			}
		}
		int t = threads; // the setup pseudo-thread runs alone, to its end
		int pc = 0;
		for (int steps = 0; programs[t][pc].op() != Op.END; steps++) {
			Instr in = programs[t][pc];
			if (steps > 1_000_000 || in.op() == Op.ANY_PAGE) {
				throw new IllegalStateException("memremap_pages() setup does not finish at " + in.loc());
			}
			int next = execute(s, t, in, pc, t);
			if (next == BLOCKED) {
				throw new IllegalStateException("memremap_pages() setup waits at " + in.loc());
			}
			pc = next;
		}
		s[0] = 0; // what the init hook did to the ghost state is not a violation by a thread
		return s;
	}

	static final int BLOCKED = -1;

	@Override
	public void successors(int[] state, StepSink out) {
		for (int t = 0; t < threads; t++) {
			int pc = state[1 + t];
			if (programs[t][pc].op() == Op.END) {
				continue;
			}
			int[] s = state.clone();
			run(s, t, -1, pc, true, out);
		}
	}

	/**
	 * Runs thread t from pc: one instruction, the atomic ones after it, and the silent bookkeeping
	 * around them; emits the resulting state(s). {@code reported} is the first instruction that is
	 * not bookkeeping (-1 while none ran): the statement the step stands for.
	 */
	private void run(int[] s, int t, int reported, int pc, boolean mustProgress, StepSink out) {
		while (true) {
			Instr in = programs[t][pc];
			if (in.op() == Op.ANY_PAGE) {
				for (int p = 0; p < pages; p++) {
					if (pagemapOfPage[p] != in.a()) {
						continue;
					}
					int[] c = s.clone();
					c[slotBase[t] + in.slot()] = Operand.page(p);
					c[1 + t] = pc + 1;
					Instr after = programs[t][pc + 1];
					if (after.op() != Op.END && (in.atomic() || after.silent())) {
						run(c, t, reported < 0 ? pc : reported, pc + 1, false, out);
					} else {
						finish(c, t, reported < 0 ? pc : reported, out);
					}
				}
				return;
			}
			int next = execute(s, t, in, pc, t);
			if (next == BLOCKED) {
				if (!mustProgress && reported >= 0) {
					finish(s, t, reported, out); // an atomic block that waits midway yields here
				}
				return;
			}
			if (reported < 0 && !in.silent()) {
				reported = pc;
			}
			s[1 + t] = next;
			Instr after = programs[t][next];
			boolean goOn = in.atomic() || reported < 0 || after.silent();
			if (after.op() == Op.END || !goOn) {
				finish(s, t, reported < 0 ? pc : reported, out);
				return;
			}
			pc = next;
			mustProgress = reported < 0;
		}
	}

	private void finish(int[] s, int t, int first, StepSink out) {
		checkFreePools(s);
		out.step(t, first, s);
	}

	// ------------------------------------------------------------------ semantics

	private int execute(int[] s, int t, Instr in, int pc, int thread) {
		int next = pc + 1;
		switch (in.op()) {
		case LOCK -> {
			int holder = s[lockBase + in.a()];
			if (holder != 0) {
				return BLOCKED;
			}
			s[lockBase + in.a()] = t + 1;
		}
		case UNLOCK -> s[lockBase + in.a()] = 0;
		case PAGE_LOCK -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			use(s, t, p);
			if (s[pageBase + p * pageStride + PLOCK] != 0) {
				return BLOCKED;
			}
			s[pageBase + p * pageStride + PLOCK] = t + 1;
		}
		case PAGE_UNLOCK -> {
			int p = page(s, t, in.arg(0));
			if (p >= 0) {
				s[pageBase + p * pageStride + PLOCK] = 0;
			}
		}
		case PAGE_TRYLOCK -> {
			int p = page(s, t, in.arg(0));
			if (p < 0 || s[pageBase + p * pageStride + PLOCK] != 0) {
				return in.target();
			}
			s[pageBase + p * pageStride + PLOCK] = t + 1;
		}
		case GET, MAP, REF_INC -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			int base = pageBase + p * pageStride;
			if (in.op() != Op.REF_INC && s[base + COUNT] == 0) {
				violate(s, Rule.R6);
			}
			if (in.op() == Op.REF_INC) {
				// FS_DAX / device-dax hand-off: the entry lock, not a held reference, makes it safe
				if (s[base + PUBLISHED] == t + 1) {
					violate(s, Rule.R2);
				}
			} else {
				writeCheck(s, t, p, in.core());
			}
			s[base + COUNT]++;
			s[base + REFS + t]++;
			if (in.op() == Op.MAP) {
				s[base + MAPPING] = Operand.MAPPED;
			}
		}
		case PUT, UNMAP -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				return in.target();
			}
			int base = pageBase + p * pageStride;
			if (s[base + COUNT] <= model.finalPutAt()) {
				violate(s, Rule.R11); // the underflow says more than the use without a reference
				s[base + COUNT]--;
				return in.target();
			}
			writeCheck(s, t, p, in.core());
			if (s[base + REFS + t] > 0) {
				s[base + REFS + t]--;
			}
			s[base + COUNT]--;
			if (s[base + COUNT] == model.finalPutAt()) {
				s[base + OWNER] = t + 1; // the final put: this thread runs final_put for the page
				return next;
			}
			return in.target();
		}
		case TRY_GET -> {
			int p = page(s, t, in.arg(0));
			if (p < 0 || s[pageBase + p * pageStride + COUNT] == 0) {
				return in.target();
			}
			s[pageBase + p * pageStride + COUNT]++;
			s[pageBase + p * pageStride + REFS + t]++;
		}
		case SET_COUNT -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			int base = pageBase + p * pageStride;
			writeCheck(s, t, p, in.core());
			for (int o = 0; o < threads; o++) {
				if (o != t && s[base + REFS + o] > 0) {
					violate(s, Rule.R7);
				}
			}
			s[base + COUNT] = value(s, t, in.arg(1));
		}
		case POOL_PUT -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			int base = pageBase + p * pageStride;
			if (s[base + POOL] != 0) {
				violate(s, Rule.R8); // published into a pool it is already in: a double free
				break;
			}
			writeCheck(s, t, p, in.core());
			if (model.pools().get(in.a()).linkedByLru()) {
				violate(s, Rule.R10);
			}
			addToPool(s, in.a(), p);
			s[base + PUBLISHED] = t + 1;
			s[base + OWNER] = 0;
		}
		case POOL_TAKE -> {
			int p = takeFromPool(s, in.a());
			if (p < 0) {
				s[slotBase[t] + in.slot()] = Operand.NULL;
				return in.target();
			}
			int base = pageBase + p * pageStride;
			if (s[base + FREED] == 0) {
				violate(s, Rule.R5);
			}
			s[base + FREED] = 0;
			s[base + PUBLISHED] = 0;
			s[base + OWNER] = t + 1;
			s[slotBase[t] + in.slot()] = Operand.page(p);
		}
		case KREF_GET, KREF_PUT, KFREE -> {
			int o = Operand.objectId(value(s, t, in.arg(0)));
			if (o < 0) {
				break;
			}
			int base = objectBase + 2 * o;
			if (s[base + 1] != 0) {
				violate(s, Rule.R12);
				break;
			}
			if (in.op() == Op.KREF_GET) {
				s[base]++;
			} else if (in.op() == Op.KREF_PUT) {
				if (--s[base] == 0) {
					s[base + 1] = 1;
				}
			} else {
				s[base + 1] = 1;
			}
		}
		case PGMAP_GET, PGMAP_TRYGET -> {
			int m = pagemap(s, t, in.arg(0));
			if (m < 0) {
				break;
			}
			if (s[pagemapBase + 2 * m + 1] != 0) {
				violate(s, Rule.R9);
				if (in.op() == Op.PGMAP_TRYGET) {
					return in.target();
				}
			}
			s[pagemapBase + 2 * m]++;
			int p = pageBehind(s, t, in.arg(0));
			if (p >= 0) {
				s[pageBase + p * pageStride + PGREF]++;
			}
		}
		case PGMAP_PUT -> {
			int m = pagemap(s, t, in.arg(0));
			if (m < 0) {
				break;
			}
			int base = s[pagemapBase + 2 * m + 1] != 0 ? 0 : 1;
			int p = pageBehind(s, t, in.arg(0));
			if (s[pagemapBase + 2 * m] <= base || (p >= 0 && s[pageBase + p * pageStride + PGREF] == 0)) {
				violate(s, Rule.R9); // dropped twice
				break;
			}
			s[pagemapBase + 2 * m]--;
			if (p >= 0) {
				s[pageBase + p * pageStride + PGREF]--;
			}
		}
		case MEMUNMAP -> {
			int m = pagemap(s, t, in.arg(0));
			if (m < 0) {
				break;
			}
			if (s[pagemapBase + 2 * m + 1] == 0) {
				s[pagemapBase + 2 * m + 1] = 1; // percpu_ref_kill: teardown began
				s[pagemapBase + 2 * m]--;
				return pc; // next: wait for the references to drain
			}
			if (s[pagemapBase + 2 * m] > 0) {
				return BLOCKED;
			}
		}
		case FIELD_WRITE -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			int base = pageBase + p * pageStride;
			writeCheck(s, t, p, in.core());
			if (in.core() && in.b() == 1) {
				int owner = s[base + OWNER];
				if ((owner != 0 && owner != t + 1) || heldByOther(s, t, p)) {
					violate(s, Rule.R10);
				}
			}
			s[base + (in.b() == 0 ? ZDD : MAPPING)] = value(s, t, in.arg(1));
		}
		case LET -> s[slotBase[t] + in.slot()] = value(s, t, in.arg(0));
		case BRANCH -> {
			if (!test(s, t, in)) {
				return in.target();
			}
		}
		case ASSERT -> {
			if (!test(s, t, in)) {
				violateWarn(s);
			}
		}
		case JUMP -> {
			return in.target();
		}
		case PAGE_FREE_BEGIN -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			if (heldByOther(s, t, p) || s[pageBase + p * pageStride + REFS + t] > 0) {
				violate(s, Rule.R8);
			}
			s[pageBase + p * pageStride + FREED] = 1;
		}
		case FINAL_PUT_END -> {
			int p = page(s, t, in.arg(0));
			if (p >= 0 && s[pageBase + p * pageStride + OWNER] == t + 1) {
				s[pageBase + p * pageStride + OWNER] = 0;
			}
		}
		case HANDOFF -> {
			int p = page(s, t, in.arg(0));
			if (p < 0) {
				break;
			}
			int base = pageBase + p * pageStride;
			int others = 0;
			for (int o = 0; o < threads; o++) {
				if (o != t) {
					others += s[base + REFS + o];
				}
			}
			int owner = s[base + OWNER];
			if (s[base + COUNT] != model.handoffRefcount() + others || (owner != 0 && owner != t + 1)) {
				violate(s, Rule.R4);
			}
			s[base + OWNER] = 0;
			s[base + REFS + t] = Math.max(0, model.handoffRefcount() - model.finalPutAt());
		}
		case WARN -> violateWarn(s);
		case NOP -> {
		}
		case ANY_PAGE, END -> throw new IllegalStateException(in.op() + " is handled by run()");
		}
		return next;
	}

	/** A thread writes page state: it must not have published the page (R2) and must hold or own it (R12). */
	private void writeCheck(int[] s, int t, int p, boolean core) {
		int base = pageBase + p * pageStride;
		if (s[base + PUBLISHED] == t + 1) {
			violate(s, Rule.R2);
		} else {
			use(s, t, p);
		}
	}

	/** A use of a page by a thread that neither holds a reference to it nor owns it (R12). */
	private void use(int[] s, int t, int p) {
		if (t >= threads) {
			return; // memremap_pages() setup
		}
		int base = pageBase + p * pageStride;
		if (s[base + REFS + t] == 0 && s[base + OWNER] != t + 1) {
			violate(s, Rule.R12);
		}
	}

	private boolean heldByOther(int[] s, int t, int p) {
		int base = pageBase + p * pageStride;
		for (int o = 0; o < threads; o++) {
			if (o != t && s[base + REFS + o] > 0) {
				return true;
			}
		}
		return false;
	}

	private boolean test(int[] s, int t, Instr in) {
		int left = value(s, t, in.arg(0));
		if (in.b() == 6) {
			return left != 0;
		}
		int right = value(s, t, in.arg(1));
		return switch (in.b()) {
		case 0 -> left == right;
		case 1 -> left != right;
		case 2 -> left < right;
		case 3 -> left <= right;
		case 4 -> left > right;
		case 5 -> left >= right;
		default -> false;
		};
	}

	/** Evaluates an operand; reads of a page's mutable fields check R3 and R12. */
	int value(int[] s, int t, Operand o) {
		switch (o.kind()) {
		case CONST:
			return o.value();
		case SLOT:
			return s[slotBase[t] + o.value()];
		default:
			break;
		}
		int p = page(s, t, o.inner());
		if (p < 0) {
			return 0;
		}
		int base = pageBase + p * pageStride;
		switch (o.kind()) {
		case ZONE_DEVICE_DATA, MAPPING:
			if (s[base + PUBLISHED] == t + 1) {
				violate(s, Rule.R3);
			} else {
				use(s, t, p);
			}
			return s[base + (o.kind() == Operand.Kind.ZONE_DEVICE_DATA ? ZDD : MAPPING)];
		case PGMAP_OF:
			return pagemapOfPage[p];
		case REFCOUNT:
			return s[base + COUNT];
		case TYPE:
			return ExecModel.TYPES.indexOf(model.pagemaps().get(pagemapOfPage[p]).type());
		case INIT_MODE:
			return ExecModel.MODES.indexOf(model.pagemaps().get(pagemapOfPage[p]).initMode());
		default:
			return 0;
		}
	}

	/** The page an operand names, or -1 for null (a use of null is R12). */
	private int page(int[] s, int t, Operand o) {
		int v = value(s, t, o);
		if (v <= 0 || v > pages) {
			violate(s, Rule.R12);
			return -1;
		}
		return v - 1;
	}

	private int pagemap(int[] s, int t, Operand o) {
		if (o.kind() == Operand.Kind.CONST) {
			return o.value();
		}
		return value(s, t, o);
	}

	/** For page.pgmap operands: the page, to pair pgmap references per page (R9). */
	private int pageBehind(int[] s, int t, Operand o) {
		if (o.kind() != Operand.Kind.PGMAP_OF) {
			return -1;
		}
		int v = value(s, t, o.inner());
		return v <= 0 || v > pages ? -1 : v - 1;
	}

	private void addToPool(int[] s, int q, int p) {
		s[pageBase + p * pageStride + POOL] = q + 1;
		if (model.pools().get(q).kind() == PoolKind.FREELIST) {
			int at = stackBase[q];
			int n = 0;
			while (n < pages && s[at + n] != 0) {
				n++;
			}
			if (n < pages) {
				s[at + n] = p + 1; // top of the stack: mdevice->free_pages = page
			}
		}
	}

	private int takeFromPool(int[] s, int q) {
		Pool pool = model.pools().get(q);
		if (pool.kind() == PoolKind.FREELIST) {
			int at = stackBase[q];
			int n = 0;
			while (n < pages && s[at + n] != 0) {
				n++;
			}
			if (n == 0) {
				return -1;
			}
			int p = s[at + n - 1] - 1;
			s[at + n - 1] = 0;
			s[pageBase + p * pageStride + POOL] = 0;
			return p;
		}
		for (int p = 0; p < pages; p++) {
			if (s[pageBase + p * pageStride + POOL] == q + 1) {
				s[pageBase + p * pageStride + POOL] = 0;
				return p;
			}
		}
		return -1;
	}

	/** R1: outside its pool's critical section every free page has the era's idle refcount. */
	private void checkFreePools(int[] s) {
		for (int p = 0; p < pages; p++) {
			int base = pageBase + p * pageStride;
			int q = s[base + POOL] - 1;
			if (q < 0) {
				continue;
			}
			int guard = model.pools().get(q).guard();
			// a negative count is an underflow, which R11 reports where it happens
			if ((guard < 0 || s[lockBase + guard] == 0) && s[base + COUNT] != idle[p] && s[base + COUNT] >= 0) {
				violate(s, Rule.R1);
			}
		}
	}

	/** R13 and R14 at a state where no thread can move. */
	public void checkEnd(int[] s, java.util.function.IntConsumer violated) {
		boolean allDone = true;
		for (int t = 0; t < threads; t++) {
			if (programs[t][s[1 + t]].op() != Op.END) {
				allDone = false;
			}
		}
		if (!allDone) {
			violated.accept(Rule.R13.ordinal());
			return;
		}
		boolean leak = false;
		boolean pgmapLeak = false;
		int[] pgrefs = new int[model.pagemaps().size()];
		for (int p = 0; p < pages; p++) {
			int base = pageBase + p * pageStride;
			int held = 0;
			for (int t = 0; t < threads; t++) {
				held += s[base + REFS + t];
			}
			boolean free = s[base + POOL] != 0;
			if (!free && held == 0 && initiallyPooled[p]) {
				leak = true; // nobody holds it and it never went back to its pool
			}
			if (!free && held > 0 && s[base + COUNT] != model.finalPutAt() + held) {
				leak = true;
			}
			if (!free && held == 0 && !initiallyPooled[p] && s[base + COUNT] != idle[p]) {
				leak = true;
			}
			if (free && s[base + PGREF] > 0) {
				pgmapLeak = true;
			}
			pgrefs[pagemapOfPage[p]] += s[base + PGREF];
		}
		for (int o = 0; o < model.objects().size(); o++) {
			if (s[objectBase + 2 * o + 1] == 0 && s[objectBase + 2 * o] > model.objects().get(o).kref()) {
				leak = true;
			}
		}
		for (int m = 0; m < model.pagemaps().size(); m++) {
			int base = s[pagemapBase + 2 * m + 1] != 0 ? 0 : 1;
			if (s[pagemapBase + 2 * m] != base + pgrefs[m]) {
				pgmapLeak = true;
			}
		}
		if (leak) {
			violated.accept(Rule.R14.ordinal());
		}
		if (pgmapLeak) {
			violated.accept(Rule.R9.ordinal());
		}
	}

	private static void violate(int[] s, Rule rule) {
		s[0] |= 1 << rule.ordinal();
	}

	private static void violateWarn(int[] s) {
		s[0] |= 1 << WARN_BIT;
	}

	// ------------------------------------------------------------------ for traces

	public int threads() {
		return threads;
	}

	public int pages() {
		return pages;
	}

	public int count(int[] s, int p) {
		return s[pageBase + p * pageStride + COUNT];
	}

	public int pageField(int[] s, int p, int field) {
		return s[pageBase + p * pageStride + field];
	}

	public int lockHolder(int[] s, int l) {
		return s[lockBase + l];
	}

	public int pc(int[] s, int t) {
		return s[1 + t];
	}

	public Instr instruction(int t, int pc) {
		return programs[t][pc];
	}

	public List<Integer> freeList(int[] s, int q) {
		java.util.List<Integer> r = new java.util.ArrayList<>();
		if (model.pools().get(q).kind() == PoolKind.FREELIST) {
			for (int n = 0; n < pages && s[stackBase[q] + n] != 0; n++) {
				r.add(s[stackBase[q] + n] - 1);
			}
		} else {
			for (int p = 0; p < pages; p++) {
				if (s[pageBase + p * pageStride + POOL] == q + 1) {
					r.add(p);
				}
			}
		}
		return r;
	}

	public int pgmapRefs(int[] s, int m) {
		return s[pagemapBase + 2 * m];
	}
}
