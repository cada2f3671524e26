package org.pgmap.engine;

import org.pgmap.engine.model.Loc;

/**
 * A scenario the checker cannot start from, found while building its initial state: a start
 * block that waits, or that already breaks a rule. Reported to the user at {@link #loc()} like a
 * static error, never as an internal error.
 */
public final class ModelError extends RuntimeException {
	private static final long serialVersionUID = 1L;
	private final transient Loc loc;

	public ModelError(Loc loc, String message) {
		super(message);
		this.loc = loc;
	}

	public Loc loc() {
		return loc;
	}
}
