package org.pgmap.engine.model;

import java.util.List;

/**
 * One instruction of a thread's program. {@code a} and {@code b} are small integer operands
 * (lock, pool, field, comparison), {@code slot} a destination, {@code target} a jump target;
 * {@code atomic} is the atomic { } block the instruction belongs to (0: none): the thread goes on
 * to the next instruction in the same step while it stays in the same block. {@code silent} marks
 * bookkeeping the compiler added (jumps, results, hand-off), which runs as part of the step before
 * it and never is a step of its own. {@code core} marks code of the core-mm side (final_put,
 * helpers); {@code driver} the driver whose procedure it comes from (-1: none).
 */
public record Instr(Op op, int a, int b, int slot, int target, List<Operand> args, int atomic, boolean silent,
		boolean core, int driver, Loc loc) {

	public Operand arg(int i) {
		return args.get(i);
	}

	public Instr withTarget(int t) {
		return new Instr(op, a, b, slot, t, args, atomic, silent, core, driver, loc);
	}

	public Instr asSilent() {
		return new Instr(op, a, b, slot, target, args, atomic, true, core, driver, loc);
	}

	/** Whether the step goes on from this instruction to {@code next} without another thread moving in between. */
	public boolean atomicWith(Instr next) {
		return atomic != 0 && next.atomic == atomic;
	}
}
