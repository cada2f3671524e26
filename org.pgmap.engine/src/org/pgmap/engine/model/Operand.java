package org.pgmap.engine.model;

/**
 * A value an instruction reads: a constant, a thread-local slot, a driver variable, or something
 * read off a page. Values: 0 is null / none, pages are page id + 1, objects are
 * {@link #object(int)}, the driver's private pointer is {@link #PRIVATE}.
 */
public record Operand(Kind kind, int value, Operand inner) {

	public enum Kind {
		CONST, SLOT, GLOBAL, ZONE_DEVICE_DATA, MAPPING, PGMAP_OF, REFCOUNT, TYPE, INIT_MODE, HAS_PAGE_FREE, MAPPED
	}

	public static final int NULL = 0;
	public static final int PRIVATE = -1;

	public static int page(int id) {
		return id + 1;
	}

	public static int object(int id) {
		return -(10 + id);
	}

	public static int objectId(int value) {
		return value <= -10 ? -value - 10 : -1;
	}

	public static Operand constant(int v) {
		return new Operand(Kind.CONST, v, null);
	}

	public static Operand slot(int s) {
		return new Operand(Kind.SLOT, s, null);
	}

	public static Operand global(int g) {
		return new Operand(Kind.GLOBAL, g, null);
	}

	public static Operand of(Kind kind, Operand page) {
		return new Operand(kind, 0, page);
	}

	/** Whether the value is known when the program is compiled (a constant). */
	public boolean isConstant() {
		return kind == Kind.CONST;
	}

	@Override
	public String toString() {
		return switch (kind) {
		case CONST -> value == NULL ? "null" : value == PRIVATE ? "private"
				: value <= -10 ? "object" + objectId(value) : Integer.toString(value);
		case SLOT -> "$" + value;
		case GLOBAL -> "@" + value;
		default -> kind.name().toLowerCase() + "(" + inner + ")";
		};
	}
}
