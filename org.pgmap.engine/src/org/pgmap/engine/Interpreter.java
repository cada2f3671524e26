package org.pgmap.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * Runs an {@link ExecModel}: the state of pages, locks, pools, objects and pagemaps, the ghost
 * state the rules need (who holds, owns and published each page, as shared/domain.md defines
 * it; see {@link StateLayout}), and one program counter and a few slots per thread, all in one
 * int vector. A step runs one instruction of one thread (several inside atomic { }) and records
 * the rules it breaks in the vector's violation word, so the checker sees on each interleaving
 * which rule broke first.
 * <p>
 * This class is the transition system: what the model says about each page, the initial state,
 * the steps (atomic blocks, bookkeeping, branching) and the partial-order analysis. Its parts,
 * package-private and built once per model: {@link Semantics} (what one instruction does),
 * {@link Evaluator} (operands and tests), {@link Ownership} (the right to touch a page; claim,
 * hand-off, put-back), {@link Pools} (free lists and R1), {@link EndState} (deadlock and leaks)
 * and {@link StepPath} (which instructions a step of a trace ran).
 */
public final class Interpreter implements TransitionSystem {

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
	private final Pools pools;
	private final Semantics semantics;
	private final EndState endState;
	private final StepPath stepPath;
	private final int[] initial;
	/** Which steps are independent of the other threads' (partial-order reduction). */
	private final PartialOrder partialOrder;

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
		pools = new Pools(this);
		Ownership ownership = new Ownership(this, pools);
		semantics = new Semantics(this, new Evaluator(this, ownership), ownership, pools);
		endState = new EndState(this);
		stepPath = new StepPath(this, semantics, pools);
		initial = setup();
		partialOrder = new PartialOrder(this, initial);
	}

	/**
	 * Partial-order reduction: when some thread's next step is independent of everything the
	 * other threads can do before it ({@link PartialOrder}: it touches only its own slots and
	 * pages no other thread can reach, and breaks no rule), that thread's step alone is an ample
	 * set: the other orders of it and the other threads' steps reach the same states with the
	 * same rules broken in the same order. Every such step moves its thread forward, so no cycle
	 * is made of them alone.
	 */
	@Override
	public void successors(int[] state, StepSink out, boolean partialOrder) {
		if (partialOrder) {
			for (int t = 0; t < threads; t++) {
				int pc = state[StateLayout.pc(t)];
				boolean local = this.partialOrder.local[t][pc];
				if (!local && !this.partialOrder.candidate[t][pc]) {
					continue;
				}
				PartialOrder.Probe probe = local ? null : this.partialOrder.new Probe(state, t);
				List<int[]> next = new ArrayList<>(2);
				List<Integer> statements = new ArrayList<>(2);
				boolean[] breaks = { false };
				run(state.clone(), t, -1, pc, true, (thread, statement, s) -> {
					next.add(s);
					statements.add(statement);
					breaks[0] |= StateLayout.violations(s) != StateLayout.violations(state);
				}, probe);
				if (!next.isEmpty() && !breaks[0] && (probe == null || probe.independent())) {
					for (int k = 0; k < next.size(); k++) {
						out.step(t, statements.get(k), next.get(k));
					}
					return;
				}
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
				pools.add(s, q, p);
			}
		}
		int t = threads; // the setup pseudo-thread runs alone, to its end
		int pc = 0;
		for (int steps = 0; programs[t][pc].op() != Op.END; steps++) {
			Instr in = programs[t][pc];
			if (steps > 1_000_000 || in.op() == Op.ANY_PAGE || in.op() == Op.CHOICE) {
				throw new ModelError(in.loc(), "memremap_pages() setup does not finish");
			}
			int next = semantics.execute(s, t, in, pc);
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
				int next = in.op() == Op.CHOICE ? pc + 1 : semantics.execute(s, t, in, pc);
				if (next == BLOCKED) {
					throw new ModelError(in.loc(), "the start block of thread " + who
							+ " waits here: a scenario starts from a state every thread reaches on its own");
				}
				pools.checkFree(s);
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
			run(state.clone(), t, -1, pc, true, out, null);
		}
	}

	/**
	 * Runs thread t from pc: one instruction, the atomic ones after it, and the silent bookkeeping
	 * around them; emits the resulting state(s) ({@link StepPath} retraces a step the same way). {@code reported} is the first instruction that is
	 * not bookkeeping (-1 while none ran): the statement the step stands for.
	 */
	private void run(int[] s, int t, int reported, int pc, boolean mustProgress, StepSink out, PartialOrder.Probe probe) {
		while (true) {
			Instr in = programs[t][pc];
			if (probe != null && !probe.allows(s, in)) {
				return; // not independent: the caller expands every thread
			}
			if (in.op() == Op.ANY_PAGE || in.op() == Op.CHOICE) {
				int rep = reported < 0 && !in.silent() ? pc : reported;
				if (in.op() == Op.ANY_PAGE) {
					for (int p = 0; p < pages; p++) {
						if (pagemapOfPage[p] == in.pagemap()) {
							int[] c = s.clone();
							c[layout.slot(t, in.slot())] = Operand.page(p);
							continueAt(c, t, pc, rep, pc + 1, out, probe);
						}
					}
				} else {
					continueAt(s.clone(), t, pc, rep, pc + 1, out, probe);
					continueAt(s, t, pc, rep, in.target(), out, probe);
				}
				return;
			}
			int next = semantics.execute(s, t, in, pc);
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
	private void continueAt(int[] c, int t, int at, int reported, int next, StepSink out, PartialOrder.Probe probe) {
		c[StateLayout.pc(t)] = next;
		Instr after = programs[t][next];
		if (after.op() != Op.END && (programs[t][at].atomicWith(after) || reported < 0 || after.silent())) {
			run(c, t, reported, next, reported < 0, out, probe);
		} else {
			finish(c, t, reported < 0 ? at : reported, out);
		}
	}

	private void finish(int[] s, int t, int first, StepSink out) {
		pools.checkFree(s);
		out.step(t, first, s);
	}

	// ------------------------------------------------------------------ end states

	/** R13 and R14 (and R9's leaks) at a state where no thread can move. */
	public void checkEnd(int[] s, IntConsumer violated) {
		for (Integer rule : endState.problems(s).keySet()) {
			violated.accept(rule);
		}
	}

	/** What is wrong with an end state: rule bit -> what, in words (which thread waits, which page or object leaked). */
	public Map<Integer, String> endProblems(int[] s) {
		return endState.problems(s);
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
		return pools.contents(s, q);
	}

	/**
	 * The instructions a step ran from {@code before} (thread t, starting at pc) to reach {@code after}:
	 * for a trace that lists what an atomic step did. Empty if no path of the step matches.
	 */
	public List<Integer> stepPath(int[] before, int t, int[] after) {
		return stepPath.find(before, t, after);
	}
}
