package org.pgmap.cli;

import java.io.PrintStream;
import java.util.function.UnaryOperator;

import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.RaceDiagram;

/**
 * The text report: one line per finding ({@code file:line:col: severity: [id] message}), then
 * each scenario's verdict, the core it ran against, each violation with its trace, and
 * statistics like SPIN's; a summary line ends it.
 */
final class TextReporter implements Reporter {

	private final PrintStream out;
	private final UnaryOperator<String> display;
	private final boolean diagrams;

	TextReporter(PrintStream out, UnaryOperator<String> display) {
		this(out, display, false);
	}

	/** With {@code diagrams}, each trace is drawn as a race diagram ({@link RaceDiagram}) instead of a table of steps. */
	TextReporter(PrintStream out, UnaryOperator<String> display, boolean diagrams) {
		this.out = out;
		this.display = display;
		this.diagrams = diagrams;
	}

	@Override
	public void report(CheckReport report) {
		for (CheckFrontEnd.Result r : report.files()) {
			for (Diagnostic d : r.diagnostics()) {
				out.println(d.format());
			}
		}
		for (Diagnostic d : report.laterProblems()) {
			out.println(d.format());
		}
		for (CheckReport.Scenario s : report.scenarios()) {
			scenario(s);
		}
		int files = report.files().size();
		int scenarios = report.scenarios().size();
		long errors = report.errors();
		long warnings = report.warnings();
		out.println(files + (files == 1 ? " file" : " files") + " checked, " + scenarios + (scenarios == 1 ? " scenario" : " scenarios")
				+ ": " + (scenarios - report.failing() - report.incomplete()) + " pass, " + report.failing() + " fail, "
				+ report.incomplete() + " incomplete; " + errors + (errors == 1 ? " error, " : " errors, ") + warnings
				+ (warnings == 1 ? " warning" : " warnings"));
	}

	private void scenario(CheckReport.Scenario s) {
		Report r = s.report();
		String verdict = switch (r.verdict()) {
		case PASS -> "pass";
		case FAIL -> "FAIL";
		case INCOMPLETE -> "INCOMPLETE (" + r.incompleteReason() + ")";
		};
		out.println(s.file() + ": scenario " + r.scenario() + ": " + verdict);
		out.println("  core " + s.model().core() + " from " + display.apply(s.model().coreFile()));
		for (Diagnostic v : s.violations()) {
			out.println(v.format());
			if (diagrams) {
				out.println();
				RaceDiagram.lines(v.trace()).forEach(out::println);
				out.println();
				continue;
			}
			out.println(String.format("    %4s  %-12s %-26s %-40s %s", "step", "thread", "where", "statement", "what changed"));
			for (TraceStep step : v.trace()) {
				out.println("    " + stepLine(step));
			}
		}
		var st = r.statistics();
		out.println(String.format("  %d states, %d transitions, depth %d, %.1f MiB, %.3f s, %.0f states/s", st.states(),
				st.transitions(), st.depth(), st.bytes() / 1048576.0, st.seconds(), st.statesPerSecond()));
		out.println("  reductions: " + st.options() + (st.symmetry().isEmpty() ? "" : "; interchangeable: " + st.symmetry())
				+ (st.collisionProbability() > 0 ? String.format("; hash compaction: collision probability %.2g", st.collisionProbability()) : ""));
		if (st.bitstate() != null) {
			out.println("  bitstate search, not exhaustive: " + st.bitstate().describe());
		}
	}

	/** One step of a trace as the report and the trace files print it. */
	static String stepLine(TraceStep step) {
		return String.format("%4d  %-12s %-26s %-40s %s", step.number(), step.thread(),
				step.loc().file().replaceAll(".*/", "") + ":" + step.loc().line(), abbreviate(step.loc().text(), 40),
				step.changes());
	}

	private static String abbreviate(String s, int n) {
		String one = s.replaceAll("\\s+", " ");
		return one.length() <= n ? one : one.substring(0, n - 1) + "…";
	}
}
