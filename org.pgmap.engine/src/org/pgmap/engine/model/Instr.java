package org.pgmap.engine.model;

import java.util.List;

/**
 * One instruction of a thread's program. {@code a} and {@code b} are small integer operands
 * (lock, pool, field, comparison), {@code slot} a destination, {@code target} a jump target;
 * {@code atomic} means the thread goes straight on to the next instruction in the same step;
 * {@code silent} marks bookkeeping the compiler added (jumps, results, hand-off), which runs
 * as part of the step before it and never is a step of its own. {@code core} marks code of the
 * core-mm side (final_put, helpers).
 */
public record Instr(Op op, int a, int b, int slot, int target, List<Operand> args, boolean atomic, boolean silent,
		boolean core, Loc loc) {

	public Operand arg(int i) {
		return args.get(i);
	}

	public Instr withTarget(int t) {
		return new Instr(op, a, b, slot, t, args, atomic, silent, core, loc);
	}

	public Instr asSilent() {
		return new Instr(op, a, b, slot, target, args, atomic, true, core, loc);
	}

	public Instr withAtomic(boolean at) {
		return new Instr(op, a, b, slot, target, args, at, silent, core, loc);
	}
}
