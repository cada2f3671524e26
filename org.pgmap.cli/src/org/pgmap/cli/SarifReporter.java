package org.pgmap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.JsonText;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.Rule;
import org.pgmap.engine.model.ExecModel;

/**
 * The report as one SARIF 2.1.0 log (README, "--format sarif"), for code scanning: one run of the
 * tool pgmap whose rules are R1-R14, WARN and the static checks' codes ({@link IssueCodes#DESCRIPTIONS});
 * each static finding and each violation is a result on its statement; each scenario's verdict is
 * a notification of the invocation and an entry of the run's properties. An internal error, a time
 * limit and an incomplete scenario say something about the run, not the spec: notifications, never
 * results. For {@code pgmap diff} ({@link DiffCommand}) the results are the violations the change
 * adds ({@code baselineState} new, BEFORE being the baseline), and each scenario's comparison
 * (removes, adds, keeps, states) is a notification and an entry of the run's properties.
 * <p>
 * A violation's trace is one codeFlow with a single threadFlow holding every step in the order
 * the steps ran, each step's message led by its thread. Viewers (GitHub code scanning, the VS Code
 * SARIF viewer) show a threadFlow as one numbered list of steps and do not merge several
 * threadFlows by executionOrder, and a race is its interleaving: one threadFlow per thread would
 * show what each thread did and hide the order that breaks the rule.
 * <p>
 * Files below the working folder are relative to {@code %SRCROOT%} (the working folder), others
 * absolute {@code file:} URIs; the cores shipped with pgmap ({@code library/NAME.pgmap}) are relative
 * to {@code PGMAP}, pgmap's runtime bundle. Strings go through {@link JsonText} like the JSON report's.
 */
final class SarifReporter implements Reporter {

	static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
	static final String SRCROOT = "%SRCROOT%";
	static final String LIBRARY = "PGMAP";

	/** Codes that are about the run rather than the spec: notifications, never results. */
	static final Set<String> NOT_FINDINGS = Set.of(IssueCodes.INTERNAL_ERROR, IssueCodes.TIME_LIMIT, IssueCodes.INCOMPLETE);

	/** The notification of a scenario's verdict (pass or fail; an incomplete one is {@link IssueCodes#INCOMPLETE}). */
	static final String VERDICT = "scenario-verdict";

	/** diff: the notification of one scenario's comparison, and of a pair of specs that was not compared. */
	static final String DIFF = "scenario-diff";
	static final String NOT_COMPARED = "not-compared";

	private final PrintStream out;
	private final UnaryOperator<String> display;
	private final Path cwd = Path.of("").toAbsolutePath();

	private final List<Map<String, Object>> rules = new ArrayList<>();
	private final List<Object> results = new ArrayList<>();
	private final List<Object> notifications = new ArrayList<>();
	private final Map<String, Integer> ruleIndex = new LinkedHashMap<>();

	SarifReporter(PrintStream out, UnaryOperator<String> display) {
		this.out = out;
		this.display = display;
		for (Rule r : Rule.values()) {
			addRule(r.name(), r.slug(), r.text(), r.title() + ": " + r.text() + ". Found by the model check, which explores every "
					+ "interleaving of each scenario; the code flow is the shortest interleaving that breaks it.", "model-check");
		}
		IssueCodes.DESCRIPTIONS.forEach((id, text) -> {
			if (!NOT_FINDINGS.contains(id)) {
				addRule(id, id, text, "[" + id + "] " + text + ". A static check, run on every edit and by pgmap check.", "static-check");
			}
		});
	}

	@Override
	public void report(CheckReport report) {
		for (CheckFrontEnd.Result r : report.files()) {
			r.diagnostics().forEach(this::finding);
		}
		report.laterProblems().forEach(this::finding);
		List<Object> scenarios = new ArrayList<>();
		for (CheckReport.Scenario s : report.scenarios()) {
			List<Checker.Violation> found = s.report().violations();
			for (int i = 0; i < s.violations().size(); i++) {
				results.add(violation(s, s.violations().get(i), i < found.size() ? found.get(i) : null, display));
			}
			notifications.add(verdict(s));
			scenarios.add(scenarioProperties(s));
		}
		Map<String, Object> summary = object("files", report.files().size(), "errors", report.errors(), "warnings", report.warnings(),
				"scenarios", report.scenarios().size(), "failing", report.failing(), "incomplete", report.incomplete());
		write(report.exitCode(), object("command", "check", "scenarios", scenarios, "summary", summary));
	}

	/**
	 * {@code pgmap diff}: a violation the change adds, as a result on the AFTER side's statement
	 * with {@code baselineState} new (the BEFORE side is the baseline); {@code sideDisplay} shows that
	 * side's files.
	 */
	void added(String specFile, ExecModel model, Report report, Diagnostic finding, Checker.Violation v, UnaryOperator<String> sideDisplay) {
		Map<String, Object> result = violation(new CheckReport.Scenario(specFile, model, report, List.of(finding)), finding, v, sideDisplay);
		result.put("baselineState", "new");
		results.add(result);
	}

	/** {@code pgmap diff}: what one scenario's comparison came to, or why a pair was not compared. */
	void notification(String id, String level, String message, String file) {
		notifications.add(object(
				"descriptor", object("id", id),
				"level", level,
				"message", text(message),
				"locations", file == null ? null : List.of(object("physicalLocation", object("artifactLocation", artifact(file))))));
	}

	/** {@code pgmap diff}: the log, with the comparison of each scenario in the run's properties. */
	void writeDiff(int exit, List<Object> scenarios, Map<String, Object> summary) {
		write(exit, object("command", "diff", "scenarios", scenarios, "summary", summary));
	}

	private void write(int exit, Map<String, Object> properties) {
		Map<String, Object> invocation = object(
				"executionSuccessful", exit == PgmapCli.OK || exit == PgmapCli.FINDINGS,
				"exitCode", exit,
				"toolExecutionNotifications", notifications);
		String version = version();
		Map<String, Object> driver = object(
				"name", "pgmap",
				"fullName", "pgmap: ZONE_DEVICE page refcount protocols, checked",
				"version", version,
				"semanticVersion", version.matches("\\d+\\.\\d+\\.\\d+.*") ? version.replaceFirst("^(\\d+\\.\\d+\\.\\d+).*", "$1") : null,
				"rules", rules,
				"notifications", List.of(
						descriptor(VERDICT, "a scenario's verdict: pass or FAIL (its violations are results), and the core it ran against"),
						descriptor(DIFF, "diff: what a change does to one scenario's violations (removes, adds, keeps) and states"),
						descriptor(NOT_COMPARED, "diff: a pair of specs not compared, as a side has errors or could not be checked"),
						descriptor(IssueCodes.INCOMPLETE, IssueCodes.DESCRIPTIONS.get(IssueCodes.INCOMPLETE)),
						descriptor(IssueCodes.TIME_LIMIT, IssueCodes.DESCRIPTIONS.get(IssueCodes.TIME_LIMIT)),
						descriptor(IssueCodes.INTERNAL_ERROR, IssueCodes.DESCRIPTIONS.get(IssueCodes.INTERNAL_ERROR))));
		Map<String, Object> run = object(
				"tool", object("driver", driver),
				"invocations", List.of(invocation),
				"originalUriBaseIds", object(
						SRCROOT, object("uri", "file://" + encode(cwd.toString().endsWith("/") ? cwd.toString() : cwd + "/"),
								"description", text("the working folder of the check")),
						LIBRARY, object("description", text("pgmap's runtime bundle org.pgmap.dsl: library/NAME.pgmap are the kernel-era "
								+ "cores that ship with pgmap (uses core NAME)"))),
				"columnKind", "utf16CodeUnits",
				"results", results,
				"properties", properties);
		out.print(JsonText.write(object("$schema", SCHEMA, "version", "2.1.0", "runs", List.of(run))));
	}

	/** A static finding or a problem of a later phase: a result, or a notification when it is not about the spec. */
	private void finding(Diagnostic d) {
		Map<String, Object> where = object("physicalLocation", physical(artifact(d.file()), d.line(), d.column(), d.endLine(), d.endColumn()));
		if (NOT_FINDINGS.contains(d.id())) {
			notifications.add(object(
					"descriptor", object("id", d.id()),
					"level", d.id().equals(IssueCodes.INTERNAL_ERROR) ? "error" : "warning",
					"message", text(d.file() + ": " + d.message()),
					"locations", List.of(where)));
			return;
		}
		results.add(object(
				"ruleId", d.id(),
				"ruleIndex", ruleIndexOf(d.id()),
				"level", level(d.severity()),
				"message", text(d.message()),
				"locations", List.of(where)));
	}

	/** A violation: its rule on the statement that broke it, the trace as a code flow. */
	private Map<String, Object> violation(CheckReport.Scenario s, Diagnostic d, Checker.Violation v, UnaryOperator<String> display) {
		Report r = s.report();
		Map<String, Object> artifact = v != null ? modelArtifact(v.loc().file(), s.file(), display) : artifact(d.file());
		String message = d.message() + (d.rootCause() ? ". Root cause: the first rule broken on this interleaving."
				: d.message().contains("consequence") ? "" : ". A consequence of an earlier violation on the same interleaving.");
		List<Object> steps = new ArrayList<>();
		for (TraceStep step : d.trace()) {
			steps.add(object(
					"location", object(
							"physicalLocation", physical(modelArtifact(step.loc().file(), s.file(), display), step.loc().line(), step.loc().column(), 0, 0),
							"message", text(step.thread() + ": " + oneLine(step.loc().text()) + (step.changes().isEmpty() ? "" : " => " + step.changes()))),
					"executionOrder", step.number(),
					"importance", step.number() == d.trace().size() ? "essential" : "important",
					"properties", object("step", step.number(), "thread", step.thread(), "statement", step.loc().text(), "changes", step.changes())));
		}
		String threads = d.trace().stream().map(TraceStep::thread).distinct().collect(Collectors.joining(", "));
		Map<String, Object> codeFlow = object(
				"message", text("the shortest interleaving of scenario " + r.scenario() + " that breaks " + d.id() + ": " + d.trace().size()
						+ " steps of " + threads),
				"threadFlows", List.of(object(
						"id", "interleaving",
						"message", text("every thread's steps in the order they ran; each step's message names its thread"),
						"locations", steps)));
		boolean inSpec = artifact.equals(artifact(s.file()));
		return object(
				"ruleId", d.id(),
				"ruleIndex", ruleIndexOf(d.id()),
				"level", level(d.severity()),
				"message", text(message),
				"locations", List.of(object("physicalLocation", physical(artifact, d.line(), d.column(), d.endLine(), d.endColumn()))),
				"relatedLocations", inSpec ? null : List.of(object(
						"id", 1,
						"physicalLocation", object("artifactLocation", artifact(s.file())),
						"message", text("scenario " + r.scenario() + " of spec " + r.spec() + ", which runs this core"))),
				"codeFlows", List.of(codeFlow),
				"properties", object(
						"spec", r.spec(),
						"scenario", r.scenario(),
						"core", s.model().core(),
						"coreFile", display.apply(s.model().coreFile()),
						"rootCause", d.rootCause(),
						"steps", d.trace().size()));
	}

	private Map<String, Object> verdict(CheckReport.Scenario s) {
		Report r = s.report();
		String violations = s.violations().stream().map(v -> v.id() + (v.rootCause() ? " (root cause)" : ""))
				.collect(Collectors.joining(", "));
		String verdict = switch (r.verdict()) {
		case PASS -> "pass";
		case FAIL -> "FAIL: " + violations;
		case INCOMPLETE -> "INCOMPLETE (" + r.incompleteReason() + ")" + (violations.isEmpty() ? "" : ", found so far: " + violations);
		};
		return object(
				"descriptor", object("id", r.verdict() == Verdict.INCOMPLETE ? IssueCodes.INCOMPLETE : VERDICT),
				"level", r.verdict() == Verdict.INCOMPLETE ? "warning" : "note",
				"message", text(s.file() + ": scenario " + r.scenario() + ": " + verdict + " (core " + s.model().core() + " from "
						+ display.apply(s.model().coreFile()) + "; " + r.statistics().states() + " states)"),
				"locations", List.of(object("physicalLocation", object("artifactLocation", artifact(s.file())))),
				"properties", object("scenario", r.scenario(), "verdict", r.verdict().name().toLowerCase()));
	}

	private Map<String, Object> scenarioProperties(CheckReport.Scenario s) {
		Report r = s.report();
		var st = r.statistics();
		return object(
				"file", s.file(),
				"spec", r.spec(),
				"scenario", r.scenario(),
				"core", object("name", s.model().core(), "file", display.apply(s.model().coreFile())),
				"verdict", r.verdict().name().toLowerCase(),
				"incompleteReason", r.incompleteReason(),
				"violations", s.violations().stream()
						.map(v -> object("rule", v.id(), "rootCause", v.rootCause(), "steps", v.trace().size())).toList(),
				"statistics", object("states", st.states(), "transitions", st.transitions(), "depth", st.depth(), "seconds", st.seconds()));
	}

	private void addRule(String id, String name, String shortText, String fullText, String tag) {
		ruleIndex.put(id, rules.size());
		rules.add(object(
				"id", id,
				"name", name,
				"shortDescription", text(shortText),
				"fullDescription", text(fullText),
				"defaultConfiguration", tag.equals("model-check") ? object("level", "error") : null,
				"properties", object("tags", List.of(tag))));
	}

	/** The index of a finding's rule; a code without a description (Xtext's own) gets a rule of its own. */
	private int ruleIndexOf(String id) {
		if (!ruleIndex.containsKey(id)) {
			addRule(id, id, "a finding of Xtext's own checks (" + id + ")", "[" + id + "] a finding without a pgmap issue code.", "static-check");
		}
		return ruleIndex.get(id);
	}

	private static Map<String, Object> descriptor(String id, String description) {
		return object("id", id, "shortDescription", text(description));
	}

	/** A file as a report shows it: relative to the working folder when below it, else absolute. */
	private static Map<String, Object> artifact(String file) {
		return file.startsWith("/") ? object("uri", "file://" + encode(file)) : object("uri", encode(file), "uriBaseId", SRCROOT);
	}

	/** A file of the model ({@code Loc.file()}: absolute, {@code library/NAME.pgmap}, or empty for the spec itself). */
	private static Map<String, Object> modelArtifact(String file, String specFile, UnaryOperator<String> display) {
		if (file.isEmpty()) {
			return artifact(specFile);
		}
		return file.startsWith("/") ? artifact(display.apply(file)) : object("uri", encode(file), "uriBaseId", LIBRARY);
	}

	/** A region from 1-based lines and columns; the end only when it spans something. */
	private static Map<String, Object> physical(Map<String, Object> artifact, int line, int column, int endLine, int endColumn) {
		if (line < 1) {
			return object("artifactLocation", artifact);
		}
		boolean spans = endLine > line || endLine == line && endColumn > column;
		return object("artifactLocation", artifact, "region", object(
				"startLine", line,
				"startColumn", Math.max(1, column),
				"endLine", spans ? endLine : null,
				"endColumn", spans ? endColumn : null));
	}

	private static String level(Diagnostic.Severity severity) {
		return switch (severity) {
		case ERROR -> "error";
		case WARNING -> "warning";
		case INFO -> "note";
		};
	}

	private static Map<String, Object> text(String s) {
		return object("text", s);
	}

	private static String oneLine(String s) {
		return s.replaceAll("\\s+", " ").trim();
	}

	/** A path as a URI reference: every byte but unreserved characters and '/' percent-encoded (so ':' never reads as a scheme). */
	static String encode(String path) {
		StringBuilder sb = new StringBuilder();
		for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
				sb.append((char) c);
			} else {
				sb.append('%').append(String.format("%02X", c));
			}
		}
		return sb.toString();
	}

	/** An object whose keys keep their order; a null value leaves its key out (SARIF has no nulls). */
	static Map<String, Object> object(Object... keysAndValues) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			if (keysAndValues[i + 1] != null) {
				m.put((String) keysAndValues[i], keysAndValues[i + 1]);
			}
		}
		return m;
	}

	private static String version;

	/** The Bundle-Version of the cli bundle (its manifest, on the class path or in OSGi), or "unknown". */
	static synchronized String version() {
		if (version == null) {
			version = "unknown";
			try {
				Enumeration<URL> manifests = SarifReporter.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
				while (manifests.hasMoreElements()) {
					try (InputStream in = manifests.nextElement().openStream()) {
						Attributes a = new Manifest(in).getMainAttributes();
						String name = a.getValue("Bundle-SymbolicName");
						if (name != null && name.replaceFirst(";.*", "").trim().equals("org.pgmap.cli") && a.getValue("Bundle-Version") != null) {
							version = a.getValue("Bundle-Version");
							break;
						}
					}
				}
			} catch (IOException e) {
				// the version stays unknown: it names the build, it decides nothing
			}
		}
		return version;
	}
}
