package org.pgmap.cli;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.pgmap.dsl.check.CheckService.ScenarioResult;
import org.pgmap.dsl.check.CheckService.SpecResult;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.Findings;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer.Statistics;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.model.ExecModel;

/**
 * What {@code pgmap check} found, as its reporters print it: each file's static findings, the
 * problems of the later phases (a compile error, a scenario that cannot start, an internal
 * error), each model-checked scenario with its violations (findings that carry their rule and
 * trace), every finding in the order it was found, and the exit code they come to.
 */
record CheckReport(List<CheckFrontEnd.Result> files, List<Diagnostic> diagnostics, List<Diagnostic> laterProblems,
		List<Scenario> scenarios, int exitCode) {

	/** One scenario's model check: its report, and each violation as a finding on its statement. */
	record Scenario(String file, ExecModel model, Report report, List<Diagnostic> violations) {
	}

	long errors() {
		return diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
	}

	long warnings() {
		return diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
	}

	long failing() {
		return scenarios.stream().filter(s -> s.report().verdict() == Verdict.FAIL).count();
	}

	long incomplete() {
		return scenarios.stream().filter(s -> s.report().verdict() == Verdict.INCOMPLETE).count();
	}

	/** Collects a check file by file. */
	static final class Builder {
		private final UnaryOperator<String> display;
		private final String reductions;
		private final List<CheckFrontEnd.Result> files = new ArrayList<>();
		private final List<Diagnostic> diagnostics = new ArrayList<>();
		private final List<Diagnostic> laterProblems = new ArrayList<>();
		private final List<Scenario> scenarios = new ArrayList<>();

		/** {@code display} shows a model's file; {@code reductions} describes the options of a scenario that was not checked. */
		Builder(UnaryOperator<String> display, String reductions) {
			this.display = display;
			this.reductions = reductions;
		}

		/** A file's static checks. */
		void add(CheckFrontEnd.Result file) {
			files.add(file);
			diagnostics.addAll(file.diagnostics());
		}

		/**
		 * A file's later phases, in the order the scenarios come: each scenario's violations, or
		 * the problem that stopped it (a scenario without a result has exactly one).
		 */
		void add(SpecResult spec) {
			Iterator<Diagnostic> problems = spec.problems().iterator();
			if (spec.models() != null) {
				Map<ExecModel, ScenarioResult> results = new IdentityHashMap<>();
				spec.scenarios().forEach(s -> results.put(s.model(), s));
				for (ExecModel m : spec.models()) {
					ScenarioResult result = results.get(m);
					if (result == null) {
						if (problems.hasNext()) {
							later(problems.next());
						}
						continue;
					}
					Report report = result.checked() ? result.report() : notChecked(m);
					List<Diagnostic> violations = report.violations().stream()
							.map(v -> Findings.violation(m, v, spec.file(), display)).toList();
					diagnostics.addAll(violations);
					scenarios.add(new Scenario(spec.file(), m, report, violations));
				}
			}
			problems.forEachRemaining(this::later);
		}

		private void later(Diagnostic problem) {
			diagnostics.add(problem);
			laterProblems.add(problem);
		}

		/** A scenario whose time limit was spent before it began: incomplete, nothing explored. */
		private Report notChecked(ExecModel m) {
			return new Report(m.spec(), m.scenario(), Verdict.INCOMPLETE, "not checked: the time limit was reached before it began",
					List.of(), new Statistics(0, 0, 0, 0, 0, 0, reductions, ""));
		}

		/** The report; its exit code: an internal error outranks everything, a limit alone is incomplete, not a finding. */
		CheckReport build() {
			CheckReport partial = new CheckReport(files, diagnostics, laterProblems, scenarios, PgmapCli.OK);
			boolean internal = diagnostics.stream().anyMatch(d -> d.id().equals(IssueCodes.INTERNAL_ERROR));
			long limitErrors = diagnostics.stream().filter(d -> d.id().equals(IssueCodes.TIME_LIMIT)).count();
			int exit = internal ? PgmapCli.INTERNAL
					: partial.errors() - limitErrors > 0 || partial.failing() > 0 ? PgmapCli.FINDINGS
							: partial.incomplete() > 0 || limitErrors > 0 ? PgmapCli.INCOMPLETE : PgmapCli.OK;
			return new CheckReport(files, diagnostics, laterProblems, scenarios, exit);
		}
	}
}
