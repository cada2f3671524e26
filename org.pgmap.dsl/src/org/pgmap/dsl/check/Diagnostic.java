package org.pgmap.dsl.check;

/**
 * One finding about a spec, as the CLI, the language server and the Eclipse markers show it:
 * {@code file:line:col: severity: [id] message}.
 */
public record Diagnostic(String file, int line, int column, int endLine, int endColumn, Severity severity, String id,
		String message) implements Comparable<Diagnostic> {

	public enum Severity {
		ERROR, WARNING, INFO;

		public String label() {
			return name().toLowerCase();
		}
	}

	/** The one-line form: {@code examples/x.pgmap:12:3: error: [lock-not-released] ...}. */
	public String format() {
		return file + ":" + line + ":" + column + ": " + severity.label() + ": [" + id + "] " + message;
	}

	@Override
	public int compareTo(Diagnostic o) {
		int c = file.compareTo(o.file);
		if (c == 0) {
			c = Integer.compare(line, o.line);
		}
		if (c == 0) {
			c = Integer.compare(column, o.column);
		}
		if (c == 0) {
			c = message.compareTo(o.message);
		}
		return c;
	}
}
