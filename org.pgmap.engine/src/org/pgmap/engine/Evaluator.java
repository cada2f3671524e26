package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.COUNT;
import static org.pgmap.engine.StateLayout.MAPPING;
import static org.pgmap.engine.StateLayout.ZDD;
import static org.pgmap.engine.StateLayout.violate;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Instr.Compare;
import org.pgmap.engine.model.Operand;

/**
 * The value of an operand in a state: constants, slots, driver variables and what is read off a
 * page (reads of its mutable fields check R3 and R12), and the tests of BRANCH, WAIT and ASSERT.
 * Part of {@link Interpreter}.
 */
final class Evaluator {

	private final ExecModel model;
	private final StateLayout layout;
	private final Ownership own;
	private final int pages;
	private final int[] pagemapOfPage;

	Evaluator(Interpreter in, Ownership own) {
		this.model = in.model;
		this.layout = in.layout;
		this.own = own;
		this.pages = in.pages;
		this.pagemapOfPage = in.pagemapOfPage;
	}

	/** Whether the test of a BRANCH, WAIT or ASSERT holds (left operand first, as the kernel reads it). */
	boolean test(int[] s, int t, Instr in) {
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
			own.readCheck(s, t, p, in);
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
			return own.mappings(s, p) > 0 ? 1 : 0;
		default:
			return 0;
		}
	}

	/** The page an operand names, or -1 for null or a non-page (a use of that is R12). */
	int page(int[] s, int t, Operand o, Instr in) {
		int v = value(s, t, o, in);
		if (v <= 0 || v > pages) {
			violate(s, Rule.R12);
			return -1;
		}
		return v - 1;
	}

	/** The object an operand names; a null, freed or never allocated object is R12 and gives -1. */
	int object(int[] s, int t, Operand o, Instr in) {
		int id = Operand.objectId(value(s, t, o, in));
		if (id < 0 || s[layout.objectState(id)] != StateLayout.OBJ_LIVE) {
			violate(s, Rule.R12);
			return -1;
		}
		return id;
	}

	int pagemap(int[] s, int t, Operand o, Instr in) {
		if (o.kind() == Operand.Kind.CONST) {
			return o.value();
		}
		return value(s, t, o, in);
	}

	/** For page.pgmap operands: the page, to pair pgmap references per page (R9). */
	int pageBehind(int[] s, int t, Operand o, Instr in) {
		if (o.kind() != Operand.Kind.PGMAP_OF) {
			return -1;
		}
		int v = value(s, t, o.inner(), in);
		return v <= 0 || v > pages ? -1 : v - 1;
	}
}
