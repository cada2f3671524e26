package org.pgmap.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * For traces: which instructions one step ran, found by running the step again the way
 * {@link Interpreter} runs it (one instruction, the atomic ones after it, the silent bookkeeping
 * around them; every branch of either and any_page) until a path reaches the state the step
 * reached. Keep it in step with Interpreter.run. Part of {@link Interpreter}.
 */
final class StepPath {

	private final StateLayout layout;
	private final Instr[][] programs;
	private final int pages;
	private final int[] pagemapOfPage;
	private final Semantics semantics;
	private final Pools pools;

	StepPath(Interpreter in, Semantics semantics, Pools pools) {
		this.layout = in.layout;
		this.programs = in.programs;
		this.pages = in.pages;
		this.pagemapOfPage = in.pagemapOfPage;
		this.semantics = semantics;
		this.pools = pools;
	}

	/**
	 * The instructions a step ran from {@code before} (thread t, starting at pc) to reach {@code after}:
	 * for a trace that lists what an atomic step did. Empty if no path of the step matches.
	 */
	List<Integer> find(int[] before, int t, int[] after) {
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
						pools.checkFree(c);
						if (Arrays.equals(c, after)) {
							return true;
						}
					}
					path.subList(mark, path.size()).clear();
				}
				return false;
			}
			int next = semantics.execute(s, t, in, pc);
			if (next == Interpreter.BLOCKED) {
				pools.checkFree(s);
				return !mustProgress && reported >= 0 && Arrays.equals(s, after);
			}
			if (reported < 0 && !in.silent()) {
				reported = pc;
			}
			s[StateLayout.pc(t)] = next;
			Instr nextIn = programs[t][next];
			boolean goOn = in.atomicWith(nextIn) || reported < 0 || nextIn.silent();
			if (nextIn.op() == Op.END || !goOn) {
				pools.checkFree(s);
				return Arrays.equals(s, after);
			}
			pc = next;
			mustProgress = reported < 0;
		}
	}
}
