package org.pgmap.dsl.check;

import java.util.function.UnaryOperator;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.ModelError;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Loc;

/**
 * What each later phase finds, as a {@link Diagnostic}, written once: a rule a scenario breaks,
 * a scenario that cannot start, a spec that cannot be compiled, a failure of pgmap itself. The
 * CLI prints them, the editors turn them into markers and LSP diagnostics. {@code display} maps
 * a file of the model ({@link Loc#file()}, absolute, or {@code library/NAME.pgmap}) to how it is
 * shown; a finding without a file of its own is on {@code specFile}.
 */
public final class Findings {
	private Findings() {
	}

	/** A violation as an error on its statement (in the spec, or in the core it uses), with its rule and trace. */
	public static Diagnostic violation(ExecModel m, Checker.Violation v, String specFile, UnaryOperator<String> display) {
		Loc loc = v.loc();
		String file = loc.file().isEmpty() ? specFile : display.apply(loc.file());
		int line = Math.max(1, loc.line());
		int column = Math.max(1, loc.column());
		return new Diagnostic(file, line, column, line, column + loc.text().length(), Severity.ERROR, v.rule().name(),
				v.message() + " (scenario " + m.scenario() + ", " + v.trace().size() + " steps)", v.rule(), v.rootCause(),
				m.scenario(), v.trace());
	}

	/** A scenario that cannot start (a start block that waits or breaks a rule), on the statement. */
	public static Diagnostic startError(ExecModel m, ModelError e, String specFile, UnaryOperator<String> display) {
		Loc loc = e.loc();
		String file = loc == null || loc.file().isEmpty() ? specFile : display.apply(loc.file());
		int line = loc == null ? 1 : Math.max(1, loc.line());
		int column = loc == null ? 1 : Math.max(1, loc.column());
		int end = loc == null ? column : column + Math.max(1, loc.text().length());
		return new Diagnostic(file, line, column, line, end, Severity.ERROR, IssueCodes.SCENARIO_START,
				e.getMessage() + " (scenario " + m.scenario() + ")");
	}

	/** A spec that cannot be compiled into its executable model, on the element that stops it. */
	public static Diagnostic compileError(String specFile, EObject where, String message) {
		var node = where == null ? null : NodeModelUtils.findActualNodeFor(where);
		int line = node == null ? 1 : node.getStartLine();
		return new Diagnostic(specFile, line, 1, line, 1, Severity.ERROR, IssueCodes.MODEL, message);
	}

	/** A failure of pgmap itself while working on a scenario: never a finding about the spec. */
	public static Diagnostic internalError(String specFile, String what, Throwable e) {
		return new Diagnostic(specFile, 1, 1, 1, 1, Severity.ERROR, IssueCodes.INTERNAL_ERROR, "pgmap could not " + what + " ("
				+ e.getClass().getSimpleName() + "): a bug in pgmap, not a finding; please report it with the file attached");
	}
}
