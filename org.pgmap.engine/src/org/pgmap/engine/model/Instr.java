package org.pgmap.engine.model;

import java.util.List;

/**
 * One instruction of a thread's program. {@code a} and {@code b} are small integer operands whose
 * meaning depends on the {@link Op}; read them through the named accessors below, never as bare
 * numbers: {@code a} is an index ({@link #lock()}, {@link #pool()}, {@link #global()},
 * {@link #pagemap()}, {@link #firstObject()}), {@code b} a count ({@link #objectCount()}) or the
 * stable {@code code} of one of the enums below ({@link #compare()}, {@link #field()},
 * {@link #tryGet()}, {@link #accessed()}, {@link #nop()}). The ints stay the encoding because the
 * model JSON prints them and the interpreter's loop reads them; the enums say what they mean.
 * <p>
 * {@code slot} is a destination, {@code target} a jump target; {@code atomic} is the atomic { }
 * block the instruction belongs to (0: none): the thread goes on to the next instruction in the
 * same step while it stays in the same block. {@code silent} marks bookkeeping the compiler added
 * (jumps, results, hand-off), which runs as part of the step before it and never is a step of its
 * own. {@code core} marks code of the core-mm side (final_put, helpers); {@code driver} the driver
 * whose procedure it comes from (-1: none).
 */
public record Instr(Op op, int a, int b, int slot, int target, List<Operand> args, int atomic, boolean silent,
		boolean core, int driver, Loc loc) {

	/** The test of BRANCH, WAIT and ASSERT ({@code b}): {@code args[0] op args[1]}, or args[0] != 0 for TRUTH. */
	public enum Compare {
		EQ(0, "=="), NE(1, "!="), LT(2, "<"), LE(3, "<="), GT(4, ">"), GE(5, ">="),
		/** args[0] != 0; there is no args[1] */
		TRUTH(6, "truth");

		private static final Compare[] BY_CODE = byCode(values(), Compare::code);

		private final int code;
		/** The C / Promela operator ("truth" for TRUTH, which has none). */
		public final String symbol;

		Compare(int code, String symbol) {
			this.code = code;
			this.symbol = symbol;
		}

		public int code() {
			return code;
		}

		public static Compare of(int code) {
			return BY_CODE[code];
		}

		/** Whether it compares by order (&lt;, &lt;=, &gt;, &gt;=), not only by equality. */
		public boolean ordered() {
			return this == LT || this == LE || this == GT || this == GE;
		}

		/** The comparison that holds exactly when this one does not; TRUTH has none (!x is x == 0). */
		public Compare negated() {
			return switch (this) {
			case EQ -> NE;
			case NE -> EQ;
			case LT -> GE;
			case LE -> GT;
			case GT -> LE;
			case GE -> LT;
			case TRUTH -> throw new UnsupportedOperationException("!x is x == 0: a comparison with one more operand");
			};
		}

		/** Whether {@code left op right} holds (for TRUTH: left != 0). */
		public boolean holds(int left, int right) {
			return switch (this) {
			case EQ -> left == right;
			case NE -> left != right;
			case LT -> left < right;
			case LE -> left <= right;
			case GT -> left > right;
			case GE -> left >= right;
			case TRUTH -> left != 0;
			};
		}
	}

	/** The page field FIELD_WRITE writes ({@code b}); page->pgmap is constant and never written. */
	public enum Field {
		ZONE_DEVICE_DATA(0), MAPPING(1);

		private static final Field[] BY_CODE = byCode(values(), Field::code);

		private final int code;

		Field(int code) {
			this.code = code;
		}

		public int code() {
			return code;
		}

		public static Field of(int code) {
			return BY_CODE[code];
		}
	}

	/** Which call a TRY_GET is ({@code b}). */
	public enum TryGet {
		/** get_page_unless_zero: a speculative reference, counted among the thread's try_gets (R4) */
		UNLESS_ZERO(0),
		/** pin_user_pages: GUP finds the page only through a mapping; the pin is held until its unpin */
		PIN(1);

		private static final TryGet[] BY_CODE = byCode(values(), TryGet::code);

		private final int code;

		TryGet(int code) {
			this.code = code;
		}

		public int code() {
			return code;
		}

		public static TryGet of(int code) {
			return BY_CODE[code];
		}
	}

	/** What the compiler knows an ACCESS touches ({@code b}): the symmetry reduction types its operand by it. */
	public enum Accessed {
		/** a page, or not known before the model runs (the interpreter tells by the value) */
		PAGE(0),
		/** a driver object */
		OBJECT(1);

		private static final Accessed[] BY_CODE = byCode(values(), Accessed::code);

		private final int code;

		Accessed(int code) {
			this.code = code;
		}

		public int code() {
			return code;
		}

		public static Accessed of(int code) {
			return BY_CODE[code];
		}
	}

	/** What a NOP stands for ({@code b}). */
	public enum Nop {
		/** wake_up_var and other calls without effect on the model */
		NO_EFFECT(0),
		/** the failing outcome of a call that may fail (kzalloc, vm_insert_page): traces say "fails" */
		FAILS(1);

		private static final Nop[] BY_CODE = byCode(values(), Nop::code);

		private final int code;

		Nop(int code) {
			this.code = code;
		}

		public int code() {
			return code;
		}

		public static Nop of(int code) {
			return BY_CODE[code];
		}
	}

	/** The lookup table code -> constant of an enum whose codes are 0 .. n-1 (checked: each code once). */
	private static <E extends Enum<E>> E[] byCode(E[] values, java.util.function.ToIntFunction<E> code) {
		E[] r = values.clone();
		java.util.Arrays.fill(r, null);
		for (E e : values) {
			int c = code.applyAsInt(e);
			if (c < 0 || c >= r.length || r[c] != null) {
				throw new ExceptionInInitializerError("codes of " + e.getDeclaringClass().getSimpleName() + " are not 0 .. n-1");
			}
			r[c] = e;
		}
		return r;
	}

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

	// ------------------------------------------------------------------ a: indices

	/** LOCK, UNLOCK: the lock instance. */
	public int lock() {
		assert op == Op.LOCK || op == Op.UNLOCK : op;
		return a;
	}

	/** POOL_PUT, POOL_TAKE, CLAIM (the bookkeeping), RELEASE_BACKING: the pool. */
	public int pool() {
		assert op == Op.POOL_PUT || op == Op.POOL_TAKE || op == Op.CLAIM || op == Op.RELEASE_BACKING : op;
		return a;
	}

	/** GLOBAL_SET: the driver variable. */
	public int global() {
		assert op == Op.GLOBAL_SET : op;
		return a;
	}

	/** ANY_PAGE: the pagemap whose pages it picks from. */
	public int pagemap() {
		assert op == Op.ANY_PAGE : op;
		return a;
	}

	/** KZALLOC: the first instance of the object array. */
	public int firstObject() {
		assert op == Op.KZALLOC : op;
		return a;
	}

	// ------------------------------------------------------------------ b: counts and codes

	/** KZALLOC: how many instances the object array has. */
	public int objectCount() {
		assert op == Op.KZALLOC : op;
		return b;
	}

	/** BRANCH, WAIT, ASSERT: the test. */
	public Compare compare() {
		assert op == Op.BRANCH || op == Op.WAIT || op == Op.ASSERT : op;
		return Compare.of(b);
	}

	/** FIELD_WRITE: the field written. */
	public Field field() {
		assert op == Op.FIELD_WRITE : op;
		return Field.of(b);
	}

	/** TRY_GET: which call. */
	public TryGet tryGet() {
		assert op == Op.TRY_GET : op;
		return TryGet.of(b);
	}

	/** ACCESS: what the compiler knows it touches. */
	public Accessed accessed() {
		assert op == Op.ACCESS : op;
		return Accessed.of(b);
	}

	/** NOP: what it stands for. */
	public Nop nop() {
		assert op == Op.NOP : op;
		return Nop.of(b);
	}
}
