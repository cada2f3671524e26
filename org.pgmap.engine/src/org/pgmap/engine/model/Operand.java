package org.pgmap.engine.model;

/**
 * A value an instruction reads: a constant, a thread-local slot, or something read off a page.
 * Values: 0 is null / none, pages are page id + 1, objects are {@link #object(int)}, the
 * driver's private pointer is {@link #PRIVATE}, a mapping is {@link #MAPPED}.
 */
public record Operand(Kind kind, int value, Operand inner) {

	public enum Kind {
		CONST, SLOT, ZONE_DEVICE_DATA, MAPPING, PGMAP_OF, REFCOUNT, TYPE, INIT_MODE
	}

	public static final int NULL = 0;
	public static final int PRIVATE = -1;
	public static final int MAPPED = -2;

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

	public static Operand of(Kind kind, Operand page) {
		return new Operand(kind, 0, page);
	}

	@Override
	public String toString() {
		return switch (kind) {
		case CONST -> value == NULL ? "null" : value == PRIVATE ? "private" : value == MAPPED ? "mapped"
				: value <= -10 ? "object" + objectId(value) : Integer.toString(value);
		case SLOT -> "$" + value;
		default -> kind.name().toLowerCase() + "(" + inner + ")";
		};
	}
}
