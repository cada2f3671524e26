package org.pgmap.engine.model;

/** Where an instruction comes from: the statement as written, in its file. */
public record Loc(String file, int line, int column, String text) {
	public static final Loc NONE = new Loc("", 0, 0, "");

	@Override
	public String toString() {
		return file + ":" + line + ":" + column;
	}
}
