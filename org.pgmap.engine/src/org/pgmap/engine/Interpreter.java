package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.CLAIM;
import static org.pgmap.engine.StateLayout.COUNT;
import static org.pgmap.engine.StateLayout.DIRTY;
import static org.pgmap.engine.StateLayout.MAPPING;
import static org.pgmap.engine.StateLayout.MAPREFS;
import static org.pgmap.engine.StateLayout.OWNERS;
import static org.pgmap.engine.StateLayout.PFNMAPS;
import static org.pgmap.engine.StateLayout.PGREF;
import static org.pgmap.engine.StateLayout.PLOCK;
import static org.pgmap.engine.StateLayout.POOL;
import static org.pgmap.engine.StateLayout.PUBLISHERS;
import static org.pgmap.engine.StateLayout.RUNNING;
import static org.pgmap.engine.StateLayout.ZDD;
import static org.pgmap.engine.StateLayout.bit;
import static org.pgmap.engine.StateLayout.has;
import static org.pgmap.engine.StateLayout.hasOther;
import static org.pgmap.engine.StateLayout.violate;
import static org.pgmap.engine.StateLayout.violateWarn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.ExecModel.Pool;
import org.pgmap.engine.model.ExecModel.PoolKind;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Instr.Compare;
import org.pgmap.engine.model.Instr.Field;
import org.pgmap.engine.model.Instr.TryGet;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * Runs an {@link ExecModel}: the state of pages, locks, pools, objects and pagemaps, the ghost
 * state the rules need (who holds, owns and published each page, as shared/domain.md defines
 * it; see {@link StateLayout}), and one program counter and a few slots per thread, all in one
 * int vector. A step runs one instruction of one thread (several inside atomic { }) and records
 * the rules it breaks in the vector's first word, so the checker sees on each interleaving which
 * rule broke first.
 */
public final class Interpreter implements TransitionSystem {

	/** Bit of the violation word for a kernel WARN_ON reached (warn, a failing assert). */
	public static final int WARN_BIT = StateLayout.WARN_BIT;

	static final int BLOCKED = -1;

	final ExecModel model;
	final StateLayout layout;
	final int threads;
	final int pages;
	final int[] idle;
	final int[] finalAt;
	final int[] handoff;
	final boolean[] coreFrees;
	final int[] pagemapOfPage;
	/** The pool each page starts in (-1: none). */
	final int[] initialPool;
	/** [page]: the lock instances whose holder owns the page. */
	final int[][] ownerLocks;
	/** [driver][pagemap]: the driver's code owns the pagemap's pages. */
	final boolean[][] driverOwns;
	final Instr[][] programs;
	private final int[] initial;
	/** [thread][pc]: the step from pc only reads and writes the thread's own slots and moves it forward. */
	private final boolean[][] localStep;

	public Interpreter(ExecModel model) {
		this.model = model;
		this.layout = new StateLayout(model);
		this.threads = layout.threads;
		this.pages = layout.pages;
		idle = new int[pages];
		finalAt = new int[pages];
		handoff = new int[pages];
		coreFrees = new boolean[pages];
		pagemapOfPage = new int[pages];
		initialPool = new int[pages];
		for (int p = 0; p < pages; p++) {
			pagemapOfPage[p] = model.pagemapOf(p);
			ExecModel.Pagemap m = model.pagemaps().get(pagemapOfPage[p]);
			idle[p] = m.idleRefcount();
			finalAt[p] = m.finalPutAt();
			handoff[p] = m.handoffRefcount();
			coreFrees[p] = m.coreFrees();
			initialPool[p] = -1;
		}
		for (int q = 0; q < model.pools().size(); q++) {
			for (int p : model.pools().get(q).initial()) {
				initialPool[p] = q;
			}
		}
		ownerLocks = new int[pages][];
		List<List<Integer>> owners = new ArrayList<>();
		for (int p = 0; p < pages; p++) {
			owners.add(new ArrayList<>());
		}
		for (ExecModel.LockOwnership o : model.lockOwners()) {
			ExecModel.Pagemap m = model.pagemaps().get(o.pagemap());
			for (int i = 0; i < m.pages(); i++) {
				owners.get(m.firstPage() + i).add(o.lock() + (o.count() > 1 ? i % o.count() : 0));
			}
		}
		for (int p = 0; p < pages; p++) {
			ownerLocks[p] = owners.get(p).stream().mapToInt(Integer::intValue).toArray();
		}
		driverOwns = new boolean[model.drivers().size()][model.pagemaps().size()];
		for (ExecModel.DriverOwnership o : model.driverOwners()) {
			driverOwns[o.driver()][o.pagemap()] = true;
		}
		programs = new Instr[threads + 1][];
		for (int t = 0; t < threads; t++) {
			programs[t] = model.threads().get(t).program().toArray(new Instr[0]);
		}
		programs[threads] = model.setup().program().toArray(new Instr[0]);
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
			boolean goOn = in.atomicWith(after) || !rep || after.silent();
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
				int pc = state[StateLayout.pc(t)];
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
				if (only[0] != null && StateLayout.violations(only[0]) == StateLayout.violations(state)) {
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

	public StateLayout layout() {
		return layout;
	}

	public int width() {
		return layout.width;
	}

	@Override
	public int[] initial() {
		return initial.clone();
	}

	/**
	 * The state after memremap_pages() (pools filled, the core's init hook run for every page)
	 * and after each thread's start block, run in thread order without interleaving.
	 */
	private int[] setup() {
		int[] s = new int[layout.width];
		for (int m = 0; m < model.pagemaps().size(); m++) {
			s[layout.pgmapRefs(m)] = 1; // the base reference memremap_pages() holds
		}
		for (int o = 0; o < model.objects().size(); o++) {
			ExecModel.DriverObject d = model.objects().get(o);
			s[layout.objectKref(o)] = d.dynamic() ? 0 : d.kref();
			s[layout.objectState(o)] = d.dynamic() ? StateLayout.OBJ_UNALLOCATED : StateLayout.OBJ_LIVE;
		}
		for (int g = 0; g < model.globals().size(); g++) {
			s[layout.global(g)] = model.globals().get(g).initial();
		}
		for (int q = 0; q < model.pools().size(); q++) {
			for (int p : model.pools().get(q).initial()) {
				addToPool(s, q, p);
			}
		}
		int t = threads; // the setup pseudo-thread runs alone, to its end
		int pc = 0;
		for (int steps = 0; programs[t][pc].op() != Op.END; steps++) {
			Instr in = programs[t][pc];
			if (steps > 1_000_000 || in.op() == Op.ANY_PAGE || in.op() == Op.CHOICE) {
				throw new ModelError(in.loc(), "memremap_pages() setup does not finish");
			}
			int next = execute(s, t, in, pc);
			if (next == BLOCKED) {
				throw new ModelError(in.loc(), "memremap_pages() setup waits here");
			}
			pc = next;
		}
		s[StateLayout.VIOLATIONS] = 0; // what the init hook did to the ghost state is not a violation by a thread
		for (t = 0; t < threads; t++) {
			int end = model.threads().get(t).startLength();
			String who = model.threads().get(t).name();
			pc = 0;
			for (int steps = 0; pc < end && programs[t][pc].op() != Op.END; steps++) {
				Instr in = programs[t][pc];
				if (steps > 1_000_000 || in.op() == Op.ANY_PAGE) {
					throw new ModelError(in.loc(), "the start block of thread " + who
							+ " runs one history: any_page belongs after it (name the page with pfn_to_page)");
				}
				int before = StateLayout.violations(s);
				// in the start block a call that may fail succeeds, and either takes its first branch
				int next = in.op() == Op.CHOICE ? pc + 1 : execute(s, t, in, pc);
				if (next == BLOCKED) {
					throw new ModelError(in.loc(), "the start block of thread " + who
							+ " waits here: a scenario starts from a state every thread reaches on its own");
				}
				checkFreePools(s);
				if (StateLayout.violations(s) != before) {
					throw new ModelError(in.loc(), "the start block of thread " + who + " already breaks "
							+ Checker.rulesIn(StateLayout.violations(s) & ~before) + " here: a scenario starts from a state that follows the rules");
				}
				pc = next;
			}
			s[StateLayout.pc(t)] = pc;
		}
		return s;
	}

	@Override
	public void successors(int[] state, StepSink out) {
		for (int t = 0; t < threads; t++) {
			int pc = state[StateLayout.pc(t)];
			if (programs[t][pc].op() == Op.END) {
				continue;
			}
			run(state.clone(), t, -1, pc, true, out);
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
			if (in.op() == Op.ANY_PAGE || in.op() == Op.CHOICE) {
				int rep = reported < 0 && !in.silent() ? pc : reported;
				if (in.op() == Op.ANY_PAGE) {
					for (int p = 0; p < pages; p++) {
						if (pagemapOfPage[p] == in.pagemap()) {
							int[] c = s.clone();
							c[layout.slot(t, in.slot())] = Operand.page(p);
							continueAt(c, t, pc, rep, pc + 1, out);
						}
					}
				} else {
					continueAt(s.clone(), t, pc, rep, pc + 1, out);
					continueAt(s, t, pc, rep, in.target(), out);
				}
				return;
			}
			int next = execute(s, t, in, pc);
			if (next == BLOCKED) {
				if (!mustProgress && reported >= 0) {
					finish(s, t, reported, out); // an atomic block that waits midway yields here
				}
				return;
			}
			if (reported < 0 && !in.silent()) {
				reported = pc;
			}
			s[StateLayout.pc(t)] = next;
			Instr after = programs[t][next];
			boolean goOn = in.atomicWith(after) || reported < 0 || after.silent();
			if (after.op() == Op.END || !goOn) {
				finish(s, t, reported < 0 ? pc : reported, out);
				return;
			}
			pc = next;
			mustProgress = reported < 0;
		}
	}

	/** After the branching instruction at {@code at}: the thread is at {@code next}; the step goes on or ends there. */
	private void continueAt(int[] c, int t, int at, int reported, int next, StepSink out) {
		c[StateLayout.pc(t)] = next;
		Instr after = programs[t][next];
		if (after.op() != Op.END && (programs[t][at].atomicWith(after) || reported < 0 || after.silent())) {
			run(c, t, reported, next, reported < 0, out);
		} else {
			finish(c, t, reported < 0 ? at : reported, out);
		}
	}

	private void finish(int[] s, int t, int first, StepSink out) {
		checkFreePools(s);
		out.step(t, first, s);
	}

	// ------------------------------------------------------------------ semantics

	private int execute(int[] s, int t, Instr in, int pc) {
		int next = pc + 1;
		switch (in.op()) {
		case LOCK -> {
			if (s[layout.lock(in.lock())] != 0) {
				return BLOCKED;
			}
			s[layout.lock(in.lock())] = t + 1;
		}
		case UNLOCK -> s[layout.lock(in.lock())] = 0;
		case PAGE_LOCK -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (s[layout.page(p, PLOCK)] != 0) {
				return BLOCKED;
			}
			useCheck(s, t, p, in);
			s[layout.page(p, PLOCK)] = t + 1;
		}
		case PAGE_UNLOCK -> {
			int p = page(s, t, in.arg(0), in);
			if (p >= 0) {
				s[layout.page(p, PLOCK)] = 0;
			}
		}
		case PAGE_TRYLOCK -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0 || s[layout.page(p, PLOCK)] != 0) {
				return in.target();
			}
			useCheck(s, t, p, in);
			s[layout.page(p, PLOCK)] = t + 1;
		}
		case GET -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (s[layout.page(p, COUNT)] == 0) {
				violate(s, Rule.R6);
			}
			referenceCheck(s, t, p, in);
			s[layout.page(p, COUNT)]++;
			s[layout.refs(p, t)]++;
		}
		case REF_INC -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			writeCheck(s, t, p, in); // the owner's get, also from 0
			s[layout.page(p, COUNT)]++;
			s[layout.refs(p, t)]++;
		}
		case MAP, MAP_PFN -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (in.op() == Op.MAP && s[layout.page(p, COUNT)] == 0) {
				violate(s, Rule.R6);
			}
			referenceCheck(s, t, p, in);
			if (s[layout.page(p, CLAIM)] == t + 1) {
				handOff(s, t, p); // an allocator that maps the page it claimed hands it to the mapping
			}
			if (in.op() == Op.MAP) {
				s[layout.page(p, COUNT)]++;
				s[layout.page(p, MAPREFS)]++;
			} else {
				s[layout.page(p, PFNMAPS)]++;
			}
		}
		case PUT -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				return in.target();
			}
			if (s[layout.page(p, COUNT)] <= finalAt[p]) {
				violate(s, Rule.R11); // the underflow says more than the use without a reference
				s[layout.page(p, COUNT)]--;
				return in.target();
			}
			if (s[layout.refs(p, t)] > 0) {
				dropReference(s, t, p);
			} else {
				writeCheck(s, t, p, in);
			}
			return drop(s, t, p, 1, in, next);
		}
		case UNMAP -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				return in.target();
			}
			if (s[layout.page(p, MAPREFS)] > 0) {
				if (s[layout.page(p, COUNT)] <= finalAt[p]) {
					violate(s, Rule.R11);
					s[layout.page(p, MAPREFS)]--;
					s[layout.page(p, COUNT)]--;
					return in.target();
				}
				s[layout.page(p, MAPREFS)]--;
				return drop(s, t, p, 1, in, next);
			}
			if (s[layout.page(p, PFNMAPS)] > 0) {
				s[layout.page(p, PFNMAPS)]--; // a pfn mapping: nothing to put
			}
			return in.target(); // (no mapping left: someone already zapped it, nothing to drop)
		}
		case UNMAP_ALL -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				return in.target();
			}
			s[layout.page(p, PFNMAPS)] = 0;
			int k = s[layout.page(p, MAPREFS)];
			if (k == 0) {
				return in.target();
			}
			s[layout.page(p, MAPREFS)] = 0;
			if (s[layout.page(p, COUNT)] - k < finalAt[p]) {
				violate(s, Rule.R11);
				s[layout.page(p, COUNT)] -= k;
				return in.target();
			}
			return drop(s, t, p, k, in, next);
		}
		case TRY_GET -> {
			int p = page(s, t, in.arg(0), in);
			TryGet call = in.tryGet();
			if (p < 0 || s[layout.page(p, COUNT)] == 0 || (call == TryGet.PIN && mappings(s, p) == 0)) {
				return in.target(); // (pin_user_pages: GUP finds the page only through a mapping)
			}
			s[layout.page(p, COUNT)]++;
			s[layout.refs(p, t)]++;
			if (call == TryGet.UNLESS_ZERO) {
				s[layout.tries(p, t)]++; // a speculative reference; a GUP pin is held until its unpin
			}
			s[layout.page(p, PUBLISHERS)] &= ~bit(t); // a reference of its own: it knows the page anew
		}
		case SET_COUNT -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			int value = value(s, t, in.arg(1), in);
			if (!writeCheck(s, t, p, in) && othersHold(s, t, p, true)) {
				violate(s, Rule.R7); // (after a write-after-publish the lost reference is its consequence)
			}
			s[layout.page(p, COUNT)] = value;
		}
		case POOL_PUT -> {
			int p = page(s, t, in.arg(0), in);
			if (p >= 0) { // bookkeeping only records the page free: it touches no page state
				putBack(s, t, in.pool(), p, in, model.pools().get(in.pool()).publishes());
			}
		}
		case POOL_TAKE -> {
			int p = takeFromPool(s, in.pool());
			if (p < 0) {
				s[layout.slot(t, in.slot())] = Operand.NULL;
				return in.target();
			}
			claim(s, t, p);
			s[layout.slot(t, in.slot())] = Operand.page(p);
		}
		case CLAIM -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0 || s[layout.page(p, POOL)] != in.pool() + 1) {
				return in.target();
			}
			s[layout.page(p, POOL)] = 0;
			claim(s, t, p);
		}
		case RELEASE_BACKING -> {
			int v = value(s, t, in.arg(0), in);
			int o = Operand.objectId(v);
			if (o < 0) {
				violate(s, Rule.R12);
				break;
			}
			int pm = model.pools().get(in.pool()).pagemap();
			for (int p = 0; p < pages; p++) {
				if ((pm < 0 || pagemapOfPage[p] == pm) && s[layout.page(p, ZDD)] == v && s[layout.page(p, POOL)] == 0) {
					putBack(s, t, in.pool(), p, in, false);
				}
			}
		}
		case KZALLOC -> {
			int found = -1;
			for (int o = in.firstObject(), end = o + in.objectCount(); o < end; o++) {
				if (s[layout.objectState(o)] == StateLayout.OBJ_UNALLOCATED) {
					found = o;
					break;
				}
			}
			if (found < 0) {
				s[layout.slot(t, in.slot())] = Operand.NULL;
				return in.target();
			}
			s[layout.objectState(found)] = StateLayout.OBJ_LIVE;
			s[layout.objectKref(found)] = 0;
			s[layout.slot(t, in.slot())] = Operand.object(found);
		}
		case KREF_INIT, KREF_GET, KREF_TRY_GET, KREF_PUT, KFREE -> {
			int o = object(s, t, in.arg(0), in);
			if (o < 0) {
				return in.target() >= 0 ? in.target() : next;
			}
			int kref = layout.objectKref(o);
			switch (in.op()) {
			case KREF_INIT -> s[kref] = 1;
			case KREF_GET -> {
				if (s[kref] == 0) {
					violate(s, Rule.R12); // a get on a released object
				}
				s[kref]++;
			}
			case KREF_TRY_GET -> {
				if (s[kref] == 0) {
					return in.target();
				}
				s[kref]++;
			}
			case KREF_PUT -> {
				if (s[kref] == 0) {
					violate(s, Rule.R12); // a put on a released object
					return in.target() >= 0 ? in.target() : next;
				}
				if (--s[kref] > 0) {
					return in.target() >= 0 ? in.target() : next;
				}
				if (!model.objects().get(o).dynamic()) {
					s[layout.objectState(o)] = StateLayout.OBJ_FREED; // a static object's release frees it
				}
			}
			default -> s[layout.objectState(o)] = StateLayout.OBJ_FREED;
			}
		}
		case ACCESS -> {
			int v = value(s, t, in.arg(0), in);
			if (Operand.objectId(v) >= 0) {
				object(s, t, in.arg(0), in);
				break;
			}
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (t < threads && !mayUse(s, t, p, in) && mappings(s, p) == 0) {
				violate(s, Rule.R12);
			}
			int m = pagemapOfPage[p];
			if (t < threads && s[layout.pgmapDying(m)] != 0 && s[layout.page(p, PGREF)] == 0
					&& s[layout.threadPgrefs(m, t)] == 0) {
				violate(s, Rule.R9); // the device memory after teardown began, with no pgmap reference
			}
		}
		case PGMAP_GET, PGMAP_TRYGET -> {
			int m = pagemap(s, t, in.arg(0), in);
			if (m < 0) {
				break;
			}
			if (s[layout.pgmapDying(m)] != 0) {
				violate(s, Rule.R9);
				if (in.op() == Op.PGMAP_TRYGET) {
					return in.target();
				}
			}
			s[layout.pgmapRefs(m)]++;
			int p = pageBehind(s, t, in.arg(0), in);
			if (p >= 0) {
				s[layout.page(p, PGREF)]++;
			} else if (t < threads) {
				s[layout.threadPgrefs(m, t)]++;
			}
		}
		case PGMAP_PUT -> {
			int m = pagemap(s, t, in.arg(0), in);
			if (m < 0) {
				break;
			}
			int base = s[layout.pgmapDying(m)] != 0 ? 0 : 1;
			int p = pageBehind(s, t, in.arg(0), in);
			boolean paired = p >= 0 ? s[layout.page(p, PGREF)] > 0 : t >= threads || s[layout.threadPgrefs(m, t)] > 0;
			if (s[layout.pgmapRefs(m)] <= base || !paired) {
				violate(s, Rule.R9); // dropped twice, or one nobody took
				break;
			}
			s[layout.pgmapRefs(m)]--;
			if (p >= 0) {
				s[layout.page(p, PGREF)]--;
			} else if (t < threads) {
				s[layout.threadPgrefs(m, t)]--;
			}
		}
		case MEMUNMAP -> {
			int m = pagemap(s, t, in.arg(0), in);
			if (m < 0) {
				break;
			}
			if (s[layout.pgmapDying(m)] == 0) {
				s[layout.pgmapDying(m)] = 1; // percpu_ref_kill: teardown began
				s[layout.pgmapRefs(m)]--;
				return pc; // next: wait for the references to drain
			}
			if (s[layout.pgmapRefs(m)] > 0) {
				return BLOCKED;
			}
		}
		case FIELD_WRITE -> {
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			int value = value(s, t, in.arg(1), in);
			Field field = in.field();
			if (in.core() && field == Field.MAPPING && t < threads && has(s[layout.page(p, RUNNING)], t) && !coreFrees[p]
					&& !has(s[layout.page(p, PUBLISHERS)], t) && givenNewMeaning(s, t, p)) {
				violate(s, Rule.R10); // the free path writes mapping of a page its owner already uses anew
			} else {
				writeCheck(s, t, p, in);
			}
			s[layout.page(p, StateLayout.field(field))] = value;
		}
		case LET -> s[layout.slot(t, in.slot())] = value(s, t, in.arg(0), in);
		case GLOBAL_SET -> s[layout.global(in.global())] = value(s, t, in.arg(0), in);
		case BRANCH -> {
			if (!test(s, t, in)) {
				return in.target();
			}
		}
		case WAIT -> {
			if (!test(s, t, in)) {
				return BLOCKED;
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
			int p = page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (t < threads && (!has(s[layout.page(p, RUNNING)], t) || s[layout.refs(p, t)] > 0
					|| othersHold(s, t, p, true))) {
				violate(s, Rule.R8);
			}
			s[layout.page(p, DIRTY)] = 0;
		}
		case FINAL_PUT_END -> {
			int p = page(s, t, in.arg(0), in);
			if (p >= 0 && t < threads) {
				s[layout.page(p, RUNNING)] &= ~bit(t);
				s[layout.page(p, OWNERS)] &= ~bit(t);
			}
		}
		case HANDOFF -> {
			int p = page(s, t, in.arg(0), in);
			if (p >= 0 && s[layout.page(p, CLAIM)] == t + 1) {
				handOff(s, t, p);
			}
		}
		case WARN -> violateWarn(s);
		case NOP -> {
		}
		case ANY_PAGE, CHOICE, END -> throw new IllegalStateException(in.op() + " is handled by run()");
		}
		return next;
	}

	/** Drops n references of page p (they were checked); the drop that reaches the threshold starts final_put. */
	private int drop(int[] s, int t, int p, int n, Instr in, int next) {
		s[layout.page(p, COUNT)] -= n;
		if (s[layout.page(p, COUNT)] == finalAt[p]) {
			if (t < threads) {
				s[layout.page(p, RUNNING)] |= bit(t); // this thread runs final_put for the page
				if (coreFrees[p]) {
					s[layout.page(p, OWNERS)] |= bit(t); // and owns it until page_free publishes it
				}
			}
			return next;
		}
		return in.target();
	}

	private void dropReference(int[] s, int t, int p) {
		s[layout.refs(p, t)]--;
		if (s[layout.tries(p, t)] > s[layout.refs(p, t)]) {
			s[layout.tries(p, t)] = s[layout.refs(p, t)];
		}
	}

	/** A pool take or a bookkeeping claim: the thread owns the page until it hands it out or puts it back. */
	private void claim(int[] s, int t, int p) {
		// not free: handed out since its last page_free, or another thread's final put has not handed it back yet
		if (s[layout.page(p, DIRTY)] != 0 || hasOther(s[layout.page(p, OWNERS)], t)) {
			violate(s, Rule.R5);
		}
		s[layout.page(p, CLAIM)] = t + 1;
		s[layout.page(p, PUBLISHERS)] &= ~bit(t);
		for (int u = 0; u < threads; u++) {
			s[layout.tries(p, u)] = 0; // only try_gets from now on are exempt at the hand-off (R4)
		}
	}

	/**
	 * The allocator hands the page it claimed to its first user (R4): at the era's allocation count
	 * plus the try_get references taken since the claim, and nobody else holds or owns it.
	 */
	private void handOff(int[] s, int t, int p) {
		int tries = 0;
		int others = s[layout.page(p, MAPREFS)];
		for (int u = 0; u < threads; u++) {
			if (u != t) {
				tries += s[layout.tries(p, u)];
				others += s[layout.refs(p, u)] - s[layout.tries(p, u)];
			}
		}
		if (s[layout.page(p, COUNT)] != handoff[p] + tries || others > 0 || hasOther(s[layout.page(p, OWNERS)], t)) {
			violate(s, Rule.R4);
		}
		s[layout.page(p, CLAIM)] = 0;
		s[layout.page(p, DIRTY)] = 1;
		s[layout.refs(p, t)] = Math.max(s[layout.refs(p, t)], handoff[p] - finalAt[p]);
		s[layout.tries(p, t)] = 0;
	}

	/**
	 * Puts page p back into pool q: a double free is R8, and so is putting back a page that another
	 * holder than a transient try_get still holds. A pool publishes the page (the putter stays its
	 * publisher); bookkeeping only records it free. For types whose core calls no page_free, the
	 * put-back after the last reference is the proof of freedom (R5).
	 */
	private void putBack(int[] s, int t, int q, int p, Instr in, boolean checkRights) {
		Pool pool = model.pools().get(q);
		if (s[layout.page(p, POOL)] != 0) {
			violate(s, Rule.R8); // published into a pool it is already in: a double free
			return;
		}
		if (checkRights) {
			writeCheck(s, t, p, in);
		}
		if (pool.linkedByLru()) {
			violate(s, Rule.R10);
		}
		if (t < threads) {
			// a pool takes the page with the putter's references; bookkeeping only records it free
			boolean keeps = !pool.publishes() && s[layout.refs(p, t)] - s[layout.tries(p, t)] > 0;
			if (othersHold(s, t, p, false)) {
				violate(s, Rule.R8);
			} else if (!coreFrees[p] && !keeps) {
				s[layout.page(p, DIRTY)] = 0;
			}
			if (pool.publishes()) {
				s[layout.refs(p, t)] = 0;
				s[layout.tries(p, t)] = 0;
				s[layout.page(p, PUBLISHERS)] |= bit(t);
			}
		}
		if (pool.publishes()) {
			s[layout.page(p, OWNERS)] = 0; // whoever runs its final put has handed it back now
		} else if (t < threads) {
			s[layout.page(p, OWNERS)] &= ~bit(t);
		}
		if (s[layout.page(p, CLAIM)] == t + 1) {
			s[layout.page(p, CLAIM)] = 0;
		}
		addToPool(s, q, p);
	}

	// ------------------------------------------------------------------ who may touch a page

	/** Holds a reference to the page, or owns it: claimed it, runs its final put, holds its owning lock, or is its driver's code. */
	boolean mayUse(int[] s, int t, int p, Instr in) {
		if (t >= threads) {
			return true; // memremap_pages() setup
		}
		if (s[layout.refs(p, t)] > 0 || s[layout.page(p, CLAIM)] == t + 1 || has(s[layout.page(p, OWNERS)], t)
				|| (in.core() && !coreFrees[p] && has(s[layout.page(p, RUNNING)], t))) {
			return true;
		}
		for (int l : ownerLocks[p]) {
			if (s[layout.lock(l)] == t + 1) {
				return true;
			}
		}
		return in.driver() >= 0 && driverOwns[in.driver()][pagemapOfPage[p]];
	}

	/** A write of page state: not after the thread published the page (R2), and only with a right to it (R12). Returns whether R2 broke. */
	private boolean writeCheck(int[] s, int t, int p, Instr in) {
		if (t < threads && has(s[layout.page(p, PUBLISHERS)], t)) {
			violate(s, Rule.R2);
			return true;
		}
		useCheck(s, t, p, in);
		return false;
	}

	/** A read of mutable per-page state: not after publication (R3), and only with a right to it (R12). */
	private void readCheck(int[] s, int t, int p, Instr in) {
		if (t < threads && has(s[layout.page(p, PUBLISHERS)], t)) {
			violate(s, Rule.R3);
		} else {
			useCheck(s, t, p, in);
		}
	}

	private void useCheck(int[] s, int t, int p, Instr in) {
		if (!mayUse(s, t, p, in)) {
			violate(s, Rule.R12);
		}
	}

	/** A new reference (get_page, a mapping): like a write, but a live mapping lets anyone take one (do_swap_page, GUP, fork). */
	private void referenceCheck(int[] s, int t, int p, Instr in) {
		if (t < threads && has(s[layout.page(p, PUBLISHERS)], t)) {
			violate(s, Rule.R2);
		} else if (mappings(s, p) == 0) {
			useCheck(s, t, p, in);
		}
	}

	private int mappings(int[] s, int p) {
		return s[layout.page(p, MAPREFS)] + s[layout.page(p, PFNMAPS)];
	}

	/** Whether a mapping or another thread holds the page ({@code withTries}: counting transient try_get references). */
	private boolean othersHold(int[] s, int t, int p, boolean withTries) {
		if (s[layout.page(p, MAPREFS)] > 0) {
			return true;
		}
		for (int u = 0; u < threads; u++) {
			if (u != t && s[layout.refs(p, u)] - (withTries ? 0 : s[layout.tries(p, u)]) > 0) {
				return true;
			}
		}
		return false;
	}

	/** Another thread owns the page or holds it for longer than a try_get, or a mapping holds it: it has a new meaning. */
	private boolean givenNewMeaning(int[] s, int t, int p) {
		int claim = s[layout.page(p, CLAIM)];
		if ((claim != 0 && claim != t + 1) || hasOther(s[layout.page(p, OWNERS)], t) || othersHold(s, t, p, false)) {
			return true;
		}
		for (int l : ownerLocks[p]) {
			int holder = s[layout.lock(l)];
			if (holder != 0 && holder != t + 1) {
				return true;
			}
		}
		return false;
	}

	// ------------------------------------------------------------------ values

	private boolean test(int[] s, int t, Instr in) {
		Compare c = in.compare();
		int left = value(s, t, in.arg(0), in);
		if (c == Compare.TRUTH) {
			return left != 0;
		}
		return c.holds(left, value(s, t, in.arg(1), in));
	}

	/** Evaluates an operand; reads of a page's mutable fields check R3 and R12. */
	int value(int[] s, int t, Operand o, Instr in) {
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
		int p = page(s, t, o.inner(), in);
		if (p < 0) {
			return 0;
		}
		switch (o.kind()) {
		case ZONE_DEVICE_DATA, MAPPING:
			readCheck(s, t, p, in);
			return s[layout.page(p, o.kind() == Operand.Kind.ZONE_DEVICE_DATA ? ZDD : MAPPING)];
		case PGMAP_OF:
			return pagemapOfPage[p];
		case REFCOUNT:
			return s[layout.page(p, COUNT)];
		case TYPE:
			return ExecModel.TYPES.indexOf(model.pagemaps().get(pagemapOfPage[p]).type());
		case INIT_MODE:
			return ExecModel.MODES.indexOf(model.pagemaps().get(pagemapOfPage[p]).initMode());
		case HAS_PAGE_FREE:
			return model.pagemaps().get(pagemapOfPage[p]).hasPageFree() ? 1 : 0;
		case MAPPED:
			return mappings(s, p) > 0 ? 1 : 0;
		default:
			return 0;
		}
	}

	/** The page an operand names, or -1 for null or a non-page (a use of that is R12). */
	private int page(int[] s, int t, Operand o, Instr in) {
		int v = value(s, t, o, in);
		if (v <= 0 || v > pages) {
			violate(s, Rule.R12);
			return -1;
		}
		return v - 1;
	}

	/** The object an operand names; a null, freed or never allocated object is R12 and gives -1. */
	private int object(int[] s, int t, Operand o, Instr in) {
		int id = Operand.objectId(value(s, t, o, in));
		if (id < 0 || s[layout.objectState(id)] != StateLayout.OBJ_LIVE) {
			violate(s, Rule.R12);
			return -1;
		}
		return id;
	}

	private int pagemap(int[] s, int t, Operand o, Instr in) {
		if (o.kind() == Operand.Kind.CONST) {
			return o.value();
		}
		return value(s, t, o, in);
	}

	/** For page.pgmap operands: the page, to pair pgmap references per page (R9). */
	private int pageBehind(int[] s, int t, Operand o, Instr in) {
		if (o.kind() != Operand.Kind.PGMAP_OF) {
			return -1;
		}
		int v = value(s, t, o.inner(), in);
		return v <= 0 || v > pages ? -1 : v - 1;
	}

	// ------------------------------------------------------------------ pools

	private void addToPool(int[] s, int q, int p) {
		s[layout.page(p, POOL)] = q + 1;
		if (model.pools().get(q).kind() == PoolKind.FREELIST) {
			int n = layout.stackHeight(s, q);
			if (n < pages) {
				s[layout.stack(q, n)] = p + 1; // top of the stack: mdevice->free_pages = page
			}
		}
	}

	private int takeFromPool(int[] s, int q) {
		Pool pool = model.pools().get(q);
		if (pool.kind() == PoolKind.FREELIST) {
			int n = layout.stackHeight(s, q);
			if (n == 0) {
				return -1;
			}
			int p = s[layout.stack(q, n - 1)] - 1;
			s[layout.stack(q, n - 1)] = 0;
			s[layout.page(p, POOL)] = 0;
			return p;
		}
		for (int p = 0; p < pages; p++) {
			if (s[layout.page(p, POOL)] == q + 1) {
				s[layout.page(p, POOL)] = 0;
				return p;
			}
		}
		return -1;
	}

	/** R1: outside its pool's critical section every page a pool published has the era's idle refcount. */
	private void checkFreePools(int[] s) {
		for (int p = 0; p < pages; p++) {
			int q = s[layout.page(p, POOL)] - 1;
			if (q < 0 || !model.pools().get(q).publishes()) {
				continue;
			}
			int guard = model.pools().get(q).guard();
			int count = s[layout.page(p, COUNT)];
			// a negative count is an underflow, which R11 reports where it happens
			if ((guard < 0 || s[layout.lock(guard)] == 0) && count != idle[p] && count >= 0) {
				violate(s, Rule.R1);
			}
		}
	}

	// ------------------------------------------------------------------ end states

	/** R13 and R14 (and R9's leaks) at a state where no thread can move. */
	public void checkEnd(int[] s, IntConsumer violated) {
		for (Integer rule : endProblems(s).keySet()) {
			violated.accept(rule);
		}
	}

	/** What is wrong with an end state: rule bit -> what, in words (which thread waits, which page or object leaked). */
	public Map<Integer, String> endProblems(int[] s) {
		Map<Integer, String> problems = new LinkedHashMap<>();
		List<String> waiting = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Instr in = programs[t][s[StateLayout.pc(t)]];
			if (in.op() != Op.END) {
				waiting.add(model.threadName(t) + " at " + shortLoc(in));
			}
		}
		if (!waiting.isEmpty()) {
			problems.put(Rule.R13.ordinal(), String.join(", ", waiting) + " can never go on");
			return problems;
		}
		List<String> leaks = new ArrayList<>();
		List<String> pgmapLeaks = new ArrayList<>();
		int[] pgrefs = new int[model.pagemaps().size()];
		for (int p = 0; p < pages; p++) {
			int held = s[layout.page(p, MAPREFS)];
			for (int t = 0; t < threads; t++) {
				held += s[layout.refs(p, t)];
			}
			boolean free = s[layout.page(p, POOL)] != 0;
			int count = s[layout.page(p, COUNT)];
			boolean fromPool = initialPool[p] >= 0 && model.pools().get(initialPool[p]).publishes();
			String page = model.pageName(p);
			if (!free && held == 0 && fromPool) {
				leaks.add(page + " is in no pool and nobody holds it (refcount " + count + ")");
			} else if (!free && held > 0 && count != finalAt[p] + held) {
				leaks.add(page + " has refcount " + count + " but its holders account for " + (finalAt[p] + held));
			} else if (!free && held == 0 && count != idle[p]) {
				leaks.add(page + " has refcount " + count + " and no holder (idle is " + idle[p] + ")");
			}
			if (free && s[layout.page(p, PGREF)] > 0) {
				pgmapLeaks.add(page + " is free but keeps a pgmap reference");
			}
			pgrefs[pagemapOfPage[p]] += s[layout.page(p, PGREF)];
		}
		for (int o = 0; o < model.objects().size(); o++) {
			ExecModel.DriverObject d = model.objects().get(o);
			if (s[layout.objectState(o)] != StateLayout.OBJ_LIVE) {
				continue;
			}
			int kref = s[layout.objectKref(o)];
			int pins = 0;
			for (int p = 0; p < pages; p++) {
				if (s[layout.page(p, ZDD)] == Operand.object(o) && s[layout.page(p, POOL)] == 0 && d.pinnedBy(pagemapOfPage[p])) {
					pins++;
				}
			}
			int base = d.dynamic() ? 0 : d.kref();
			if (kref > base + pins) {
				leaks.add(d.name() + " has kref " + kref + " but " + (d.dynamic() ? "" : "its own " + base + " and ") + pins
						+ (pins == 1 ? " live page pins" : " live pages pin") + " it");
			} else if (d.dynamic() && kref == 0) {
				leaks.add(d.name() + " was released (kref 0) but never freed");
			}
		}
		for (int m = 0; m < model.pagemaps().size(); m++) {
			int threadRefs = 0;
			for (int t = 0; t < threads; t++) {
				threadRefs += s[layout.threadPgrefs(m, t)];
			}
			int base = s[layout.pgmapDying(m)] != 0 ? 0 : 1;
			int have = s[layout.pgmapRefs(m)];
			if (have != base + pgrefs[m] + threadRefs) {
				pgmapLeaks.add(model.pagemaps().get(m).name() + " has " + (have - base) + " pgmap references, "
						+ (pgrefs[m] + threadRefs) + " of them held by live pages or threads");
			} else if (threadRefs > 0) {
				pgmapLeaks.add(model.pagemaps().get(m).name() + ": a thread finished holding a pgmap reference");
			}
		}
		if (!leaks.isEmpty()) {
			problems.put(Rule.R14.ordinal(), String.join("; ", leaks));
		}
		if (!pgmapLeaks.isEmpty()) {
			problems.put(Rule.R9.ordinal(), String.join("; ", pgmapLeaks));
		}
		return problems;
	}

	private static String shortLoc(Instr in) {
		return in.loc().file().replaceAll(".*/", "") + ":" + in.loc().line();
	}

	// ------------------------------------------------------------------ for traces

	public int threads() {
		return threads;
	}

	public int pages() {
		return pages;
	}

	public int pc(int[] s, int t) {
		return s[StateLayout.pc(t)];
	}

	public Instr instruction(int t, int pc) {
		return programs[t][pc];
	}

	/** The pages in pool q, in order (a free list bottom to top). */
	public List<Integer> freeList(int[] s, int q) {
		List<Integer> r = new ArrayList<>();
		if (model.pools().get(q).kind() == PoolKind.FREELIST) {
			for (int n = 0, height = layout.stackHeight(s, q); n < height; n++) {
				r.add(s[layout.stack(q, n)] - 1);
			}
		} else {
			for (int p = 0; p < pages; p++) {
				if (s[layout.page(p, POOL)] == q + 1) {
					r.add(p);
				}
			}
		}
		return r;
	}

	/**
	 * The instructions a step ran from {@code before} (thread t, starting at pc) to reach {@code after}:
	 * for a trace that lists what an atomic step did. Empty if no path of the step matches.
	 */
	public List<Integer> stepPath(int[] before, int t, int[] after) {
		List<Integer> path = new ArrayList<>();
		return findPath(before.clone(), t, before[StateLayout.pc(t)], -1, true, after, path, 0) ? path : List.of();
	}

	private boolean findPath(int[] s, int t, int pc, int reported, boolean mustProgress, int[] after, List<Integer> path,
			int depth) {
		if (depth > 100_000) {
			return false;
		}
		while (true) {
			Instr in = programs[t][pc];
			path.add(pc);
			if (in.op() == Op.ANY_PAGE || in.op() == Op.CHOICE) {
				int rep = reported < 0 && !in.silent() ? pc : reported;
				List<int[]> options = new ArrayList<>();
				if (in.op() == Op.ANY_PAGE) {
					for (int p = 0; p < pages; p++) {
						if (pagemapOfPage[p] == in.pagemap()) {
							int[] c = s.clone();
							c[layout.slot(t, in.slot())] = Operand.page(p);
							c[StateLayout.pc(t)] = pc + 1;
							options.add(c);
						}
					}
				} else {
					int[] a = s.clone();
					a[StateLayout.pc(t)] = pc + 1;
					int[] b = s.clone();
					b[StateLayout.pc(t)] = in.target();
					options.add(a);
					options.add(b);
				}
				for (int[] c : options) {
					int next = c[StateLayout.pc(t)];
					Instr nextIn = programs[t][next];
					int mark = path.size();
					if (nextIn.op() != Op.END && (in.atomicWith(nextIn) || rep < 0 || nextIn.silent())) {
						if (findPath(c, t, next, rep, rep < 0, after, path, depth + 1)) {
							return true;
						}
					} else {
						checkFreePools(c);
						if (java.util.Arrays.equals(c, after)) {
							return true;
						}
					}
					path.subList(mark, path.size()).clear();
				}
				return false;
			}
			int next = execute(s, t, in, pc);
			if (next == BLOCKED) {
				checkFreePools(s);
				return !mustProgress && reported >= 0 && java.util.Arrays.equals(s, after);
			}
			if (reported < 0 && !in.silent()) {
				reported = pc;
			}
			s[StateLayout.pc(t)] = next;
			Instr nextIn = programs[t][next];
			boolean goOn = in.atomicWith(nextIn) || reported < 0 || nextIn.silent();
			if (nextIn.op() == Op.END || !goOn) {
				checkFreePools(s);
				return java.util.Arrays.equals(s, after);
			}
			pc = next;
			mustProgress = reported < 0;
		}
	}
}
