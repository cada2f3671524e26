package org.pgmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.CheckService.ScenarioResult;
import org.pgmap.dsl.check.CheckService.SpecResult;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.SpecFiles;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.PgmapPackage;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.Rule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pgmap diff BEFORE AFTER}: what a change does to the verdicts, the way a reviewer asks
 * it. BEFORE and AFTER are two specs, two folders (specs paired by their path inside each), or
 * one spec checked under two cores ({@code --core A --vs-core B}; the spec file is not touched:
 * a copy of its folder with the other core named is checked). For each scenario both sides have:
 * the violations the change removes and adds, each with its shortest trace, the ones that stay,
 * and the change in the number of states. Exit 1 when it adds a violation, 3 when a side's check
 * stopped at a limit, 2 for a spec that could not be checked.
 */
@Command(name = "diff")
public final class DiffCommand extends SpecCommand {

	@Mixin
	private ModelCheckOptions modelCheck;

	@Option(names = "--core", paramLabel = "NAME")
	private String core;

	@Option(names = "--vs-core", paramLabel = "NAME")
	private String vsCore;

	@Option(names = "--format", paramLabel = "text|diagram|mail|sarif")
	private String format = "text";

	/** mail: the reply body, written once everything is compared. */
	private final List<String> mail = new ArrayList<>();

	/** One side: the spec as checked (its parsed resource, for quick fixes), and how it is named in the report. */
	private record Side(String name, SpecResult checked, List<Diagnostic> problems, UnaryOperator<String> display,
			org.eclipse.emf.ecore.resource.Resource resource, List<Diagnostic> findings) {
		Side(String name, SpecResult checked, List<Diagnostic> problems, UnaryOperator<String> display) {
			this(name, checked, problems, display, null, List.of());
		}
	}

	@Override
	protected String optionProblem() {
		if (!List.of("text", "diagram", "mail", "sarif").contains(format)) {
			return "unknown format '" + format + "': diff takes --format text, diagram, mail or sarif";
		}
		if ((core == null) != (vsCore == null)) {
			return "--core and --vs-core go together";
		}
		if (core != null) {
			if (!core.matches("[A-Za-z_][A-Za-z0-9_]{0,99}") || !vsCore.matches("[A-Za-z_][A-Za-z0-9_]{0,99}")) {
				return "--core and --vs-core take the name of a core";
			}
			return roots.size() == 1 && Files.isRegularFile(roots.get(0)) ? null
					: "diff --core A --vs-core B takes one spec file";
		}
		if (roots.size() != 2 || Files.isDirectory(roots.get(0)) != Files.isDirectory(roots.get(1))) {
			return "diff takes two spec files, two folders, or one spec file with --core and --vs-core";
		}
		return null;
	}

	/** Where the comparison is printed: stdout, or nowhere for --format mail (which prints only the reply) and sarif. */
	private java.io.PrintStream report;

	/** --format sarif: the log, the violations the change adds as its results. */
	private SarifReporter sarif;

	/** The comparison of each scenario, for the SARIF log's properties. */
	private final List<Object> compared = new ArrayList<>();

	@Override
	protected int run(List<Path> files) {
		boolean quiet = format.equals("mail") || format.equals("sarif");
		report = quiet ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : session.out;
		sarif = format.equals("sarif") ? new SarifReporter(session.out, session::displayPath) : null;
		Map<String, Side[]> pairs = new TreeMap<>();
		try {
			if (core != null) {
				Path spec = roots.get(0);
				pairs.put(session.display(spec), new Side[] { underCore(spec, core), underCore(spec, vsCore) });
			} else if (!Files.isDirectory(roots.get(0))) {
				pairs.put(session.display(roots.get(0)) + " -> " + session.display(roots.get(1)),
						new Side[] { check(roots.get(0)), check(roots.get(1)) });
			} else {
				Map<Path, Path> before = specsUnder(roots.get(0));
				Map<Path, Path> after = specsUnder(roots.get(1));
				for (Map.Entry<Path, Path> e : before.entrySet()) {
					Path other = after.get(e.getKey());
					if (other == null) {
						report.println(e.getKey() + ": only in " + session.display(roots.get(0)));
					} else {
						pairs.put(e.getKey().toString(), new Side[] { check(e.getValue()), check(other) });
					}
				}
				after.keySet().stream().filter(k -> !before.containsKey(k))
						.forEach(k -> report.println(k + ": only in " + session.display(roots.get(1))));
			}
		} catch (IOException e) {
			session.err.println("pgmap: " + e.getMessage());
			return PgmapCli.USAGE;
		}
		int exit = PgmapCli.OK;
		int added = 0;
		int removed = 0;
		int stayed = 0;
		int scenarios = 0;
		for (Map.Entry<String, Side[]> pair : pairs.entrySet()) {
			Side a = pair.getValue()[0];
			Side b = pair.getValue()[1];
			report.println("diff " + a.name() + " -> " + b.name());
			if (!a.problems().isEmpty() || !b.problems().isEmpty()) {
				java.io.PrintStream to = quiet ? session.err : report; // the reply and the log have no room for them
				a.problems().forEach(d -> to.println(d.format()));
				b.problems().forEach(d -> to.println(d.format()));
				to.println("  not compared: a side has errors or could not be model-checked completely");
				if (sarif != null) {
					concat(a.problems(), b.problems()).forEach(d -> sarif.notification(
							d.id().equals(IssueCodes.INTERNAL_ERROR) ? IssueCodes.INTERNAL_ERROR : SarifReporter.NOT_COMPARED, "error",
							"diff " + a.name() + " -> " + b.name() + " not compared: " + d.format(), null));
				}
				exit = Math.max(exit, SpecCommand.exitOf(concat(a.problems(), b.problems())) == PgmapCli.INTERNAL ? PgmapCli.INTERNAL : PgmapCli.USAGE);
				continue;
			}
			Map<String, ScenarioResult> before = byScenario(a.checked());
			Map<String, ScenarioResult> after = byScenario(b.checked());
			for (Map.Entry<String, ScenarioResult> e : before.entrySet()) {
				ScenarioResult x = e.getValue();
				ScenarioResult y = after.get(e.getKey());
				if (y == null) {
					report.println("scenario " + e.getKey() + ": only before");
					continue;
				}
				scenarios++;
				report.println("scenario " + e.getKey() + ":");
				Map<Rule, Checker.Violation> vx = violations(x);
				Map<Rule, Checker.Violation> vy = violations(y);
				for (Rule r : vx.keySet()) {
					if (!vy.containsKey(r)) {
						removed++;
						print("removes", x, vx.get(r), a);
					}
				}
				for (Rule r : vy.keySet()) {
					if (!vx.containsKey(r)) {
						added++;
						print("adds", y, vy.get(r), b);
					}
				}
				List<String> same = new ArrayList<>();
				for (Rule r : vx.keySet()) {
					if (vy.containsKey(r)) {
						stayed++;
						same.add(r.name() + (vy.get(r).rootCause() ? "" : " (consequence)"));
					}
				}
				report.println("  stays: " + (same.isEmpty() ? "nothing" : String.join(", ", same)));
				long sx = x.report().statistics().states();
				long sy = y.report().statistics().states();
				if (sarif != null) {
					compared(a, b, e.getKey(), x, y, vx, vy);
				}
				report.println("  states " + sx + " -> " + sy + " (" + (sy >= sx ? "+" : "") + (sy - sx) + ")");
				if (x.report().verdict() == Verdict.INCOMPLETE || y.report().verdict() == Verdict.INCOMPLETE) {
					report.println("  INCOMPLETE: " + (x.report().verdict() == Verdict.INCOMPLETE ? "before: " + x.report().incompleteReason() + " " : "")
							+ (y.report().verdict() == Verdict.INCOMPLETE ? "after: " + y.report().incompleteReason() : ""));
					exit = Math.max(exit, PgmapCli.INCOMPLETE);
				}
			}
			after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(k -> report.println("scenario " + k + ": only after"));
		}
		report.println(scenarios + (scenarios == 1 ? " scenario" : " scenarios") + " compared: the change removes " + removed
				+ ", adds " + added + ", keeps " + stayed + (stayed == 1 ? " violation" : " violations"));
		if (format.equals("mail")) {
			if (added == 0) {
				List<String> head = wrap("pgmap finds no new race in this change: it adds no violation of the refcount rules"
						+ (removed > 0 ? ", and it removes " + removed + " (below)." : "."), 76);
				mail.addAll(0, head);
				mail.add(head.size(), "");
			}
			mail.forEach(session.out::println);
			if (!mail.isEmpty() && !mail.get(mail.size() - 1).isEmpty()) {
				session.out.println();
			}
			session.out.println("(pgmap diff: " + scenarios + (scenarios == 1 ? " scenario" : " scenarios") + " compared; removes "
					+ removed + ", adds " + added + ", keeps " + stayed + ")");
		}
		int code = exit == PgmapCli.INTERNAL || exit == PgmapCli.USAGE ? exit : added > 0 ? PgmapCli.FINDINGS : exit;
		if (sarif != null) {
			sarif.writeDiff(code, compared, SarifReporter.object("scenarios", scenarios, "removes", removed, "adds", added, "keeps", stayed));
		}
		return code;
	}

	/** --format sarif: one scenario's comparison as a notification and an entry of the log's properties. */
	private void compared(Side a, Side b, String scenario, ScenarioResult x, ScenarioResult y, Map<Rule, Checker.Violation> vx,
			Map<Rule, Checker.Violation> vy) {
		List<String> removes = vx.keySet().stream().filter(r -> !vy.containsKey(r)).map(Rule::name).toList();
		List<String> adds = vy.keySet().stream().filter(r -> !vx.containsKey(r)).map(Rule::name).toList();
		List<String> keeps = vx.keySet().stream().filter(vy::containsKey).map(Rule::name).toList();
		long sx = x.report().statistics().states();
		long sy = y.report().statistics().states();
		boolean incomplete = x.report().verdict() == Verdict.INCOMPLETE || y.report().verdict() == Verdict.INCOMPLETE;
		sarif.notification(incomplete ? IssueCodes.INCOMPLETE : SarifReporter.DIFF, incomplete ? "warning" : "note",
				"diff " + a.name() + " -> " + b.name() + ": scenario " + scenario + ": removes " + listed(removes) + "; adds " + listed(adds)
						+ "; keeps " + listed(keeps) + "; states " + sx + " -> " + sy
						+ (incomplete ? "; INCOMPLETE: " + (x.report().verdict() == Verdict.INCOMPLETE ? "before: " + x.report().incompleteReason() + " " : "")
								+ (y.report().verdict() == Verdict.INCOMPLETE ? "after: " + y.report().incompleteReason() : "") : ""),
				specPath(b));
		compared.add(SarifReporter.object("before", a.name(), "after", b.name(), "scenario", scenario,
				"verdictBefore", x.report().verdict().name().toLowerCase(), "verdictAfter", y.report().verdict().name().toLowerCase(),
				"removes", removes, "adds", adds, "keeps", keeps, "statesBefore", sx, "statesAfter", sy));
	}

	private static String listed(List<String> rules) {
		return rules.isEmpty() ? "nothing" : String.join(", ", rules);
	}

	/** The spec file of a side as shown: its name without the " (core NAME)" that --core adds. */
	private static String specPath(Side side) {
		return side.name().replaceFirst(" \\(core [A-Za-z0-9_]+\\)$", "");
	}

	private void print(String what, ScenarioResult s, Checker.Violation v, Side side) {
		report.println("  " + what + " " + v.rule().title() + (v.rootCause() ? " (root cause)" : " (consequence)") + ", "
				+ v.trace().size() + " steps:");
		Diagnostic finding = org.pgmap.dsl.check.Findings.violation(s.model(), v, side.checked().file(), side.display());
		report.println("    " + finding.format());
		if (format.equals("text")) {
			for (Checker.TraceStep step : v.trace()) {
				report.println("      " + TextReporter.stepLine(step));
			}
		} else {
			report.println();
			org.pgmap.engine.RaceDiagram.lines(v.trace()).forEach(report::println);
			report.println();
		}
		if (format.equals("mail")) {
			mail(what, s, v, side, finding);
		}
		if (sarif != null && what.equals("adds")) {
			sarif.added(specPath(side), s.model(), s.report(), finding, v, side.display());
		}
	}

	/**
	 * A paragraph of the reply: what the change breaks (or repairs), the diagram, the rule, and
	 * the suggested order when a quick fix of the spec has one on a line of the trace. A
	 * consequence (a rule broken later on the same interleaving) gets one line, not a diagram.
	 */
	private void mail(String what, ScenarioResult s, Checker.Violation v, Side side, Diagnostic finding) {
		boolean adds = what.equals("adds");
		String rule = v.rule().title();
		if (!v.rootCause()) {
			mail.addAll(wrap((adds ? "As a consequence it also breaks " : "It also no longer breaks ") + rule + " (" + finding.file() + ":"
					+ finding.line() + ", " + v.trace().size() + " steps).", 76));
			return;
		}
		if (!mail.isEmpty() && !mail.get(mail.size() - 1).isEmpty()) {
			mail.add("");
		}
		long threads = v.trace().stream().map(Checker.TraceStep::thread).distinct().count();
		String who = threads == 1 ? "one thread alone" : threads + " threads interleaving";
		if (adds) {
			mail.addAll(wrap("This change is racy: in scenario " + s.model().scenario() + ", " + who + " break" + (threads == 1 ? "s" : "")
					+ " " + rule + " in " + v.trace().size() + " steps:", 76));
		} else {
			mail.addAll(wrap("This change repairs " + rule + " in scenario " + s.model().scenario() + "; before it, " + who + " broke it in "
					+ v.trace().size() + " steps:", 76));
		}
		mail.add("");
		mail.addAll(org.pgmap.engine.RaceDiagram.lines(v.trace()));
		mail.add("");
		mail.addAll(wrap(rule + ": " + v.rule().text() + ".", 76));
		mail.add("Broken at " + finding.file() + ":" + finding.line() + ".");
		if (adds) {
			for (String fix : suggestions(side, v)) {
				mail.add("Suggested order: " + fix);
			}
			// what the static checks say of the same rule on this spec (the order they would change, in words)
			for (Diagnostic d : side.findings()) {
				if (d.id().equals(v.rule().name()) || d.id().equals(org.pgmap.dsl.validation.IssueCodes.WRITE_AFTER_PUBLISH)
						&& v.rule() == org.pgmap.engine.Rule.R1) {
					mail.addAll(wrap("The static check agrees: " + d.message() + " (" + d.file() + ":" + d.line() + ")", 76));
				}
			}
		}
		mail.add("");
	}

	/** The quick fixes of the side's own findings on lines of the trace (in the spec's file): their labels. */
	private List<String> suggestions(Side side, Checker.Violation v) {
		if (!(side.resource() instanceof org.eclipse.xtext.resource.XtextResource resource) || side.checked() == null) {
			return List.of();
		}
		java.util.Set<Integer> lines = new java.util.HashSet<>();
		String file = resource.getURI().isFile() ? Path.of(resource.getURI().toFileString()).getFileName().toString() : null;
		for (Checker.TraceStep step : v.trace()) {
			if (file != null && step.loc().file().endsWith(file)) {
				lines.add(step.loc().line());
			}
		}
		List<String> labels = new ArrayList<>();
		var validator = resource.getResourceServiceProvider().getResourceValidator();
		for (org.eclipse.xtext.validation.Issue issue : validator.validate(resource, org.eclipse.xtext.validation.CheckMode.ALL,
				org.eclipse.xtext.util.CancelIndicator.NullImpl)) {
			if (issue.getCode() != null && org.pgmap.dsl.ide.quickfix.QuickFixes.fixable(issue.getCode()) && issue.getLineNumber() != null
					&& lines.contains(issue.getLineNumber())) {
				for (org.pgmap.dsl.ide.quickfix.QuickFixes.Fix fix : org.pgmap.dsl.ide.quickfix.QuickFixes.fixes(resource, issue)) {
					labels.add(fix.label() + " (line " + issue.getLineNumber() + ")");
				}
			}
		}
		return labels;
	}

	private static List<String> wrap(String text, int width) {
		List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String word : text.split(" ")) {
			if (line.length() > 0 && line.length() + 1 + word.length() > width) {
				lines.add(line.toString());
				line.setLength(0);
			}
			line.append(line.length() > 0 ? " " : "").append(word);
		}
		if (line.length() > 0) {
			lines.add(line.toString());
		}
		return lines;
	}

	private static List<Diagnostic> concat(List<Diagnostic> a, List<Diagnostic> b) {
		List<Diagnostic> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	private static Map<String, ScenarioResult> byScenario(SpecResult r) {
		Map<String, ScenarioResult> m = new LinkedHashMap<>();
		r.scenarios().forEach(s -> m.put(s.model().scenario(), s));
		return m;
	}

	/** The violations of a scenario by rule, in rule order. */
	private static Map<Rule, Checker.Violation> violations(ScenarioResult s) {
		Map<Rule, Checker.Violation> m = new TreeMap<>(Comparator.naturalOrder());
		if (s.checked()) {
			s.report().violations().forEach(v -> m.put(v.rule(), v));
		}
		return m;
	}

	private Map<Path, Path> specsUnder(Path dir) {
		Map<Path, Path> m = new TreeMap<>();
		for (Path f : SpecFiles.expand(List.of(dir), unread -> session.err.println("pgmap: " + unread))) {
			m.put(dir.toAbsolutePath().normalize().relativize(f.toAbsolutePath().normalize()), f);
		}
		return m;
	}

	private Side check(Path file) {
		return check(file, session.display(file), session::displayPath);
	}

	private Side check(Path file, String name, UnaryOperator<String> display) {
		FileResult r = service().specs().check(List.of(file), f -> name, CheckFrontEnd.StaticChecks.phases(modelCheck), modelCheck.timeLimitName()).get(0);
		List<Diagnostic> problems = new ArrayList<>(r.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList());
		if (!problems.isEmpty()) {
			return new Side(name, null, problems, display);
		}
		if (CheckService.specOf(r.resource()) == null) {
			problems.add(new Diagnostic(name, 1, 1, 1, 1, Diagnostic.Severity.ERROR, "nothing-to-check", "this file declares no spec: nothing to compare"));
			return new Side(name, null, problems, display);
		}
		SpecResult checked = service().modelCheck(r, modelCheck.limits(), modelCheck.options(), modelCheck.phases(), display);
		return new Side(name, checked, checked.problems(), display, r.resource(), r.diagnostics());
	}

	/**
	 * The spec checked under another core: its folder's specs copied to a temporary folder, the
	 * spec's {@code uses core} naming {@code coreName} there; locations are shown in the original.
	 */
	private Side underCore(Path spec, String coreName) throws IOException {
		FileResult parsed = service().specs().check(List.of(spec)).get(0);
		Model model = CheckService.specOf(parsed.resource());
		String name = session.display(spec) + " (core " + coreName + ")";
		if (model == null) {
			return new Side(name, null, List.of(new Diagnostic(session.display(spec), 1, 1, 1, 1, Diagnostic.Severity.ERROR,
					"nothing-to-check", "this file declares no spec with a uses core line")), session::displayPath);
		}
		List<INode> nodes = NodeModelUtils.findNodesForFeature(model.getHeader(), PgmapPackage.Literals.SPEC_HEADER__CORE);
		if (nodes.isEmpty()) {
			return new Side(name, null, List.of(new Diagnostic(session.display(spec), 1, 1, 1, 1, Diagnostic.Severity.ERROR,
					"nothing-to-check", "this spec has no uses core line")), session::displayPath);
		}
		INode node = nodes.get(0);
		String text = Files.readString(spec);
		String changed = text.substring(0, node.getOffset()) + coreName + text.substring(node.getOffset() + node.getLength());
		Path original = spec.toAbsolutePath().normalize().getParent();
		Path copy = Files.createTempDirectory("pgmap-diff");
		try {
			for (Path sibling : SpecFiles.siblingsOf(spec)) {
				Files.copy(sibling, copy.resolve(sibling.getFileName()));
			}
			Path file = copy.resolve(spec.getFileName());
			Files.writeString(file, changed);
			String prefix = copy.toString();
			return check(file, name, f -> session.displayPath(f.startsWith(prefix) ? original + f.substring(prefix.length()) : f));
		} finally {
			try (var list = Files.list(copy)) {
				for (Path f : list.toList()) {
					Files.deleteIfExists(f);
				}
			}
			Files.deleteIfExists(copy);
		}
	}

}
