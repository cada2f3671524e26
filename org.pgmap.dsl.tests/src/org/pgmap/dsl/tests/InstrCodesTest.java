package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import org.junit.jupiter.api.Test;
import org.pgmap.dsl.pgmap.CompareOp;
import org.pgmap.engine.model.Instr.Accessed;
import org.pgmap.engine.model.Instr.Compare;
import org.pgmap.engine.model.Instr.Field;
import org.pgmap.engine.model.Instr.Nop;
import org.pgmap.engine.model.Instr.TryGet;

/**
 * The codes instructions carry in {@code b}: each enum's codes are 0 .. n-1 and decode to the
 * constant that encoded them (the model JSON prints them: they must not move), and the
 * comparisons agree with the grammar's and negate correctly.
 */
public class InstrCodesTest {

	private static <E extends Enum<E>> void roundTrips(E[] values, ToIntFunction<E> code, IntFunction<E> of, List<Integer> expected) {
		for (int i = 0; i < values.length; i++) {
			assertEquals(expected.get(i), code.applyAsInt(values[i]), values[i].name());
			assertEquals(values[i], of.apply(code.applyAsInt(values[i])));
		}
		assertEquals(expected.size(), values.length);
	}

	@Test
	public void codesAreStable() {
		roundTrips(Compare.values(), Compare::code, Compare::of, List.of(0, 1, 2, 3, 4, 5, 6));
		roundTrips(Field.values(), Field::code, Field::of, List.of(0, 1));
		roundTrips(TryGet.values(), TryGet::code, TryGet::of, List.of(0, 1));
		roundTrips(Accessed.values(), Accessed::code, Accessed::of, List.of(0, 1));
		roundTrips(Nop.values(), Nop::code, Nop::of, List.of(0, 1));
		assertEquals(Compare.TRUTH, Compare.of(6));
		assertEquals(Field.MAPPING, Field.of(1));
		assertEquals(TryGet.PIN, TryGet.of(1));
		assertEquals(Accessed.OBJECT, Accessed.of(1));
		assertEquals(Nop.FAILS, Nop.of(1));
	}

	@Test
	public void comparisonsMatchTheGrammarAndNegate() {
		for (CompareOp op : CompareOp.values()) {
			Compare c = Compare.valueOf(op.getName());
			assertEquals(op.getLiteral(), c.symbol);
			assertEquals(c, c.negated().negated());
			for (int l = -2; l <= 2; l++) {
				for (int r = -2; r <= 2; r++) {
					assertNotEquals(c.holds(l, r), c.negated().holds(l, r), c + " " + l + " " + r);
				}
			}
		}
		assertEquals(CompareOp.values().length + 1, Compare.values().length); // and TRUTH
		assertEquals(true, Compare.TRUTH.holds(3, 0));
		assertEquals(false, Compare.TRUTH.holds(0, 5));
		assertThrows(UnsupportedOperationException.class, Compare.TRUTH::negated);
	}
}
