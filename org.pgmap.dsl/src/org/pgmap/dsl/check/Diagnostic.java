package org.pgmap.dsl.check;

import java.util.List;

import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.Rule;

/**
 * One finding about a spec, as the CLI, the language server and the Eclipse markers show it:
 * {@code file:line:col: severity: [id] message}. A model checker's finding also carries its
 * {@link Rule}, whether it is the root cause, the scenario and its trace (typed, never parsed
 * back from the text); static findings have {@code rule == null} and an empty trace.
 */
public record Diagnostic(String file, int line, int column, int endLine, int endColumn, Severity severity, String id,
		String message, Rule rule, boolean rootCause, String scenario, List<TraceStep> trace)
		implements Comparable<Diagnostic> {

	public enum Severity {
		ERROR, WARNING, INFO;

		public String label() {
			return name().toLowerCase();
		}
	}

	public Diagnostic {
		trace = trace == null ? List.of() : List.copyOf(trace);
	}

	/** A static finding, or a problem of a phase (compilation, a scenario's start, a limit). */
	public Diagnostic(String file, int line, int column, int endLine, int endColumn, Severity severity, String id,
			String message) {
		this(file, line, column, endLine, endColumn, severity, id, message, null, false, null, List.of());
	}

	/** Whether the model checker found this (a rule some interleaving breaks), with a trace. */
	public boolean isViolation() {
		return rule != null;
	}

	/** The same finding with a severity and id of its own (a compile error stopped by a limit). */
	public Diagnostic as(Severity newSeverity, String newId) {
		return new Diagnostic(file, line, column, endLine, endColumn, newSeverity, newId, message, rule, rootCause, scenario, trace);
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
