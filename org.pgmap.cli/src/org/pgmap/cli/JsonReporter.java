package org.pgmap.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.function.UnaryOperator;

import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.JsonText;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Checker.TraceStep;

/**
 * The report as one JSON document (README, "--format json"), written by Gson through
 * {@link JsonText}: each record below is an object whose keys are its components, in order.
 */
final class JsonReporter implements Reporter {

	private final PrintStream out;
	private final UnaryOperator<String> display;

	JsonReporter(PrintStream out, UnaryOperator<String> display) {
		this.out = out;
		this.display = display;
	}

	record Document(String tool, String command, List<File> files, List<Scenario> scenarios, Summary summary, int exitCode,
			List<Finding> diagnostics) {
	}

	record File(String file, long errors, List<Finding> diagnostics) {
	}

	record Finding(String file, int line, int column, int endLine, int endColumn, String severity, String id, String message) {
		static Finding of(Diagnostic d) {
			return new Finding(d.file(), d.line(), d.column(), d.endLine(), d.endColumn(), d.severity().label(), d.id(), d.message());
		}
	}

	record Scenario(String file, String spec, String scenario, Core core, String verdict, String incompleteReason,
			List<Violation> violations, Statistics statistics) {
	}

	record Core(String name, String file) {
	}

	record Violation(String rule, boolean rootCause, Finding diagnostic, List<Step> trace) {
	}

	record Step(int step, String thread, String file, int line, int column, String statement, String changes) {
	}

	/**
	 * {@code mode}: the visited set, "exact", "hash-compaction" or "bitstate"; {@code bitstate}
	 * only in a bitstate search (Gson leaves a null out).
	 */
	record Statistics(long states, long transitions, int depth, long bytes, double seconds, long statesPerSecond,
			String reductions, String symmetry, double collisionProbability, String mode, Bitstate bitstate) {
	}

	/**
	 * A bitstate search's bit array and coverage estimate: {@code expectedOmitted} is the expected
	 * fraction of the new states met that were taken for visited and missed (with whatever only
	 * they lead to), {@code omittedAtEnd} that probability for a new state at the end.
	 */
	record Bitstate(long bits, int hashFunctions, double hashFactor, double expectedOmitted, double omittedAtEnd) {
	}

	record Summary(int files, long errors, long warnings, int scenarios, long failing, long incomplete) {
	}

	@Override
	public void report(CheckReport report) {
		List<File> files = report.files().stream().map(JsonReporter::file).toList();
		List<Scenario> scenarios = report.scenarios().stream().map(this::scenario).toList();
		Summary summary = new Summary(report.files().size(), report.errors(), report.warnings(), report.scenarios().size(),
				report.failing(), report.incomplete());
		out.print(JsonText.write(new Document("pgmap", "check", files, scenarios, summary, report.exitCode(),
				report.diagnostics().stream().map(Finding::of).toList())));
	}

	private static File file(CheckFrontEnd.Result r) {
		return new File(r.displayName(), r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).count(),
				r.diagnostics().stream().map(Finding::of).toList());
	}

	private Scenario scenario(CheckReport.Scenario s) {
		Report r = s.report();
		List<Violation> violations = s.violations().stream().map(v -> new Violation(v.rule().name(), v.rootCause(), Finding.of(v),
				v.trace().stream().map(step -> step(s, step)).toList())).toList();
		var st = r.statistics();
		var b = st.bitstate();
		Statistics statistics = new Statistics(st.states(), st.transitions(), st.depth(), st.bytes(), st.seconds(),
				Math.round(st.statesPerSecond()), st.options(), st.symmetry(), st.collisionProbability(),
				b != null ? "bitstate" : st.options().contains("hash-compaction") ? "hash-compaction" : "exact",
				b == null ? null : new Bitstate(b.bits(), b.hashFunctions(), b.hashFactor(), b.expectedOmitted(), b.omittedAtEnd()));
		return new Scenario(s.file(), r.spec(), r.scenario(), new Core(s.model().core(), display.apply(s.model().coreFile())),
				r.verdict().name().toLowerCase(), r.incompleteReason(), violations, statistics);
	}

	private Step step(CheckReport.Scenario s, TraceStep step) {
		String file = step.loc().file().isEmpty() ? s.file() : display.apply(step.loc().file());
		return new Step(step.number(), step.thread(), file, step.loc().line(), step.loc().column(), step.loc().text(), step.changes());
	}
}
