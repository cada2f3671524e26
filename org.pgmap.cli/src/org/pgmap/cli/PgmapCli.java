package org.pgmap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.util.CancelIndicator;
import org.pgmap.dsl.PgmapStandaloneSetup;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.generator.ModelCompiler.CompileError;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.ModelError;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.Escape;
import org.pgmap.engine.Json;
import org.pgmap.engine.ModelPrinter;
import org.pgmap.engine.ProofWarning;
import org.pgmap.engine.TraceSvg;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Loc;

import com.google.inject.Injector;

/**
 * The pgmap command line. Exit codes: 0 clean, 1 a spec has an error or a scenario fails its
 * model check, 2 usage error, unreadable path or unwritable output, 3 a check stopped at a limit
 * (incomplete), 4 pgmap itself failed (an internal error: a bug to report, never a finding).
 */
public class PgmapCli {

	public static final int OK = 0;
	public static final int FINDINGS = 1;
	public static final int USAGE = 2;
	public static final int INCOMPLETE = 3;
	public static final int INTERNAL = 4;

	static final String USAGE_TEXT = """
			usage: pgmap <command> [options] PATH...

			commands:
			  check PATH...     parse and validate specs (files, or folders searched recursively),
			                    then model-check every scenario of the specs without errors;
			                    prints file:line:col: severity: [id] message per finding, and
			                    each violated rule with its shortest trace
			  model FILE        print the executable model of each scenario of a spec
			  generate --out DIR PATH...
			                    write, for every spec, DIR/<spec>/: reference driver C (a kernel
			                    module: <driver>_pgmap.c, .h, Kbuild), the model as JSON; a spec
			                    that fails its model check is refused unless --force
			  language-server   speak LSP over stdin/stdout (diagnostics with rule ids, the model
			                    check of every scenario, completion, hover, definition, formatting)
			  format FILE...    print each file as the formatter lays it out (Ctrl+Shift+F in Eclipse);
			                    writes nothing
			  help              this text

			options:
			  --format text|json     output as text (default) or as one JSON document
			  --max-states N         stop a model check after N states (default 5000000)
			  --max-seconds S        stop a model check after S seconds (default 60)
			  --max-memory MIB       stop a model check when its state store passes MIB MiB (default 1024)
			  --no-partial-order     model check without partial-order reduction (thread-local steps)
			  --no-symmetry          model check without symmetry reduction (identical threads, pages)
			  --hash-compaction      store a 64-bit hash per state instead of the state (less memory;
			                         the report gives the probability that a state was missed)
			  --workers N            threads that expand states (default: 2, or 1 on a 1-core machine)
			  --trace-dir DIR        write each violation's trace as DIR/<spec>.<scenario>.<rule>.txt and .svg
			  --static               check: parse and validate only, no model check
			  --out DIR              generate: where to write
			  --force                generate: write the code of a failing spec too, marked as such
			  --debug                print the stack trace of an internal error

			--max-seconds bounds each phase of each file: its static checks, its compilation, and
			the model check of each of its scenarios.

			exit codes: 0 no errors, 1 errors or a failing scenario, 2 usage error, unreadable path
			or output that could not be written, 3 a check stopped at a limit (incomplete), 4 an
			internal error of pgmap (not a finding: please report it with the spec attached)
			""";

	private final PrintStream out;
	private final PrintStream err;
	private Injector injector;

	private String format = "text";
	private long maxStates = Limits.DEFAULT.maxStates();
	private double maxSeconds = Limits.DEFAULT.maxSeconds();
	private long maxBytes = Limits.DEFAULT.maxBytes();
	private Options options = Options.DEFAULT;
	private Path traceDir;
	private boolean staticOnly;
	private Path outDir;
	private boolean force;
	private boolean debug;
	private final List<Path> paths = new ArrayList<>();

	/** Set when a path could not be read completely: the run ends with USAGE after checking the rest. */
	private boolean unreadable;

	/** The file being worked on, for the message of an internal error. */
	private String currentFile;

	public PgmapCli(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	/** A CLI on an existing injector (tests that run it thousands of times). */
	public PgmapCli(PrintStream out, PrintStream err, Injector injector) {
		this(out, err);
		this.injector = injector;
	}

	/** The stack of the thread that runs a command: the parser and the checks recurse into nested blocks. */
	static final long STACK_BYTES = 64L << 20;

	public int run(String[] args) {
		int[] exit = { INTERNAL };
		Throwable[] failure = { null };
		Thread worker = new Thread(null, () -> {
			try {
				exit[0] = command(args);
			} catch (Throwable t) {
				failure[0] = t;
			}
		}, "pgmap " + (args.length > 0 ? args[0] : ""), STACK_BYTES);
		worker.start();
		try {
			worker.join();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			worker.interrupt();
			err.println("pgmap: interrupted");
			return INTERNAL;
		}
		return finish(failure[0] != null ? internal(failure[0]) : exit[0]);
	}

	private int finish(int code) {
		int exit = code;
		if (exit != INTERNAL && unreadable) {
			exit = USAGE;
		}
		if (out.checkError()) {
			err.println("pgmap: the report could not be written to standard output");
			exit = exit == INTERNAL ? INTERNAL : USAGE;
		}
		return exit;
	}

	/** An internal error: one line that names the file and asks for a report; the stack trace only with --debug. */
	private int internal(Throwable e) {
		err.println("pgmap: internal error" + (currentFile == null ? "" : " while working on " + currentFile) + " ("
				+ e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
				+ "). This is a bug in pgmap, not a finding about the spec: please report it with the spec attached"
				+ (debug ? "" : " (--debug prints the stack trace)"));
		if (debug) {
			e.printStackTrace(err);
		}
		return INTERNAL;
	}

	private static String firstLine(String s) {
		String line = s.lines().findFirst().orElse("");
		return line.length() > 200 ? line.substring(0, 197) + "..." : line;
	}

	private int command(String[] args) {
		if (args.length == 0) {
			err.print(USAGE_TEXT);
			return USAGE;
		}
		String command = args[0];
		switch (command) {
		case "help", "--help", "-h":
			out.print(USAGE_TEXT);
			return OK;
		case "language-server":
			try {
				org.pgmap.dsl.ide.server.PgmapLanguageServerLauncher.serveStdio();
			} catch (InterruptedException | java.util.concurrent.ExecutionException e) {
				err.println("pgmap: the language server stopped: " + e.getMessage());
			}
			return OK;
		case "check", "model", "generate", "format":
			break;
		default:
			err.println("pgmap: unknown command '" + command + "'");
			err.print(USAGE_TEXT);
			return USAGE;
		}
		String problem = parseOptions(List.of(args).subList(1, args.length));
		if (problem != null) {
			return usage(problem);
		}
		if (paths.isEmpty()) {
			return usage(command + " needs at least one file or folder");
		}
		// a path that cannot be read is an error of its own (exit 2); every readable one is still checked
		List<Path> readable = new ArrayList<>();
		for (Path p : paths) {
			if (!Files.exists(p)) {
				err.println("pgmap: " + p + ": no such file or folder");
				unreadable = true;
			} else if (!Files.isReadable(p)) {
				err.println("pgmap: " + p + ": cannot be read (permission denied)");
				unreadable = true;
			} else {
				readable.add(p);
			}
		}
		if (readable.isEmpty()) {
			return USAGE;
		}
		List<Path> files = SpecChecker.expand(readable, unread -> {
			err.println("pgmap: " + unread);
			unreadable = true;
		});
		if (files.isEmpty()) {
			err.println("pgmap: no .pgmap files under " + paths);
			return USAGE;
		}
		if (traceDir != null && Files.exists(traceDir) && !Files.isDirectory(traceDir)) {
			return usage("--trace-dir " + traceDir + " is a file, not a folder");
		}
		if (command.equals("generate")) {
			if (outDir == null) {
				return usage("generate needs --out DIR");
			}
			return generate(files);
		}
		if (command.equals("format")) {
			return format(files);
		}
		return command.equals("check") ? check(files) : model(files);
	}

	private String parseOptions(List<String> args) {
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			String value = null;
			String name = a;
			if (a.startsWith("--") && a.contains("=")) {
				name = a.substring(0, a.indexOf('='));
				value = a.substring(a.indexOf('=') + 1);
			}
			boolean takesValue = switch (name) {
			case "--format", "--max-states", "--max-seconds", "--max-memory", "--trace-dir", "--out", "--workers" -> true;
			default -> false;
			};
			if (!takesValue && value != null && name.startsWith("--")) {
				return name + " takes no value (give " + name + " alone to turn it on)";
			}
			if (takesValue && value == null) {
				if (i + 1 >= args.size()) {
					return name + " needs a value";
				}
				value = args.get(++i);
			}
			try {
				switch (name) {
				case "--format" -> {
					if (!value.equals("text") && !value.equals("json")) {
						return "unknown format '" + value + "': use text or json";
					}
					format = value;
				}
				case "--max-states" -> maxStates = positive(Long.parseLong(value), name);
				case "--max-seconds" -> maxSeconds = positive(Double.parseDouble(value), name);
				case "--max-memory" -> maxBytes = atMost(positive(Long.parseLong(value), name), MAX_MEMORY_MIB, name) << 20;
				case "--trace-dir" -> traceDir = Path.of(value);
				case "--static" -> staticOnly = true;
				case "--out" -> outDir = Path.of(value);
				case "--force" -> force = true;
				case "--debug" -> debug = true;
				case "--no-partial-order" -> options = options.withPartialOrder(false);
				case "--no-symmetry" -> options = options.withSymmetry(false);
				case "--hash-compaction" -> options = options.withHashCompaction(true);
				case "--workers" -> options = options.withWorkers((int) Math.min(64, positive(Long.parseLong(value), name)));
				default -> {
					if (a.startsWith("-")) {
						return "unknown option '" + a + "'";
					}
					paths.add(Path.of(a));
				}
				}
			} catch (NumberFormatException e) {
				return name + " needs a number" + (value.matches("[0-9]{10,}") ? " of a sensible size" : "") + ", not '" + value + "'";
			} catch (IllegalArgumentException e) {
				return e.getMessage();
			}
		}
		return null;
	}

	/** 1 TiB in MiB: a bound well past any machine this runs on, and far from overflowing as bytes. */
	static final long MAX_MEMORY_MIB = 1L << 20;

	private static long atMost(long v, long max, String name) {
		if (v > max) {
			throw new IllegalArgumentException(name + " must be at most " + max);
		}
		return v;
	}

	private static long positive(long v, String name) {
		if (v <= 0) {
			throw new IllegalArgumentException(name + " must be positive");
		}
		return v;
	}

	private static double positive(double v, String name) {
		if (!(v > 0)) {
			throw new IllegalArgumentException(name + " must be positive");
		}
		return v;
	}

	/** One scenario's model check, or the reason the spec could not be compiled. */
	private record ScenarioResult(String file, ExecModel model, Report report) {
	}

	/** A fresh time limit of --max-seconds, for one phase of one file. */
	private CancelIndicator timeLimit() {
		long end = System.nanoTime() + (long) (Math.min(maxSeconds, 1e7) * 1e9); // 1e7 s: no overflow
		return () -> System.nanoTime() - end > 0;
	}

	private String timeLimitName() {
		return "the time limit of " + java.math.BigDecimal.valueOf(maxSeconds).stripTrailingZeros().toPlainString() + " s (--max-seconds)";
	}

	/** The model check of one scenario (a seam for tests that make it fail). */
	protected Report modelCheck(ExecModel m, Limits limits) {
		return Checker.check(m, limits, options, () -> false);
	}

	private SpecChecker checker() {
		SpecChecker checker = injector().getInstance(SpecChecker.class);
		checker.onInternalError(e -> {
			if (debug) {
				e.printStackTrace(err);
			}
		});
		return checker;
	}

	private int check(List<Path> files) {
		SpecChecker checker = checker();
		Path cwd = Path.of("").toAbsolutePath();
		List<FileResult> results = checker.check(files, f -> currentFile = display(cwd, f), this::timeLimit,
				timeLimitName());
		List<Diagnostic> diagnostics = new ArrayList<>();
		List<Diagnostic> laterProblems = new ArrayList<>(); // compilation, scenario start, internal errors
		java.util.function.Consumer<Diagnostic> later = d -> {
			diagnostics.add(d);
			laterProblems.add(d);
		};
		List<ScenarioResult> scenarios = new ArrayList<>();
		Limits limits = new Limits(maxStates, maxSeconds, maxBytes);
		for (FileResult r : results) {
			currentFile = r.displayName();
			diagnostics.addAll(r.diagnostics());
			List<ExecModel> models = staticOnly ? null : models(r, later, timeLimit());
			if (models == null) {
				continue;
			}
			for (ExecModel m : models) {
				Report report;
				try {
					report = modelCheck(m, limits);
				} catch (ModelError e) {
					later.accept(modelErrorDiagnostic(cwd, r.displayName(), m, e));
					continue;
				} catch (RuntimeException | StackOverflowError e) {
					if (debug) {
						e.printStackTrace(err);
					}
					later.accept(new Diagnostic(r.displayName(), 1, 1, 1, 1, Severity.ERROR, IssueCodes.INTERNAL_ERROR,
							"pgmap could not model-check scenario " + m.scenario() + " (" + e.getClass().getSimpleName()
									+ "): a bug in pgmap, not a finding; please report it with the file attached"));
					continue;
				}
				scenarios.add(new ScenarioResult(r.displayName(), m, report));
				for (Checker.Violation v : report.violations()) {
					diagnostics.add(violationDiagnostic(cwd, r.displayName(), m, v));
				}
			}
		}
		currentFile = null;
		boolean internal = diagnostics.stream().anyMatch(d -> d.id().equals(IssueCodes.INTERNAL_ERROR));
		boolean stopped = diagnostics.stream().anyMatch(d -> d.id().equals(IssueCodes.TIME_LIMIT));
		int errors = (int) diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
		int warnings = (int) diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
		long failing = scenarios.stream().filter(s -> s.report().verdict() == Verdict.FAIL).count();
		long incomplete = scenarios.stream().filter(s -> s.report().verdict() == Verdict.INCOMPLETE).count();
		// a limit alone is incomplete, not a finding; an internal error outranks everything
		int limitErrors = (int) diagnostics.stream().filter(d -> d.id().equals(IssueCodes.TIME_LIMIT)).count();
		int exit = internal ? INTERNAL
				: errors - limitErrors > 0 || failing > 0 ? FINDINGS : incomplete > 0 || stopped ? INCOMPLETE : OK;
		try {
			if (format.equals("json")) {
				out.print(Json.write(report(results, diagnostics, scenarios, cwd, errors, warnings, exit)));
				return exit;
			}
			printReport(results, laterProblems, scenarios, cwd, errors, warnings, failing, incomplete);
		} finally {
			if (traceDir != null) {
				String problem = writeTraces(scenarios, cwd);
				if (problem != null) {
					err.println("pgmap: " + problem);
					exit = exit == INTERNAL ? INTERNAL : USAGE;
				}
			}
		}
		return exit;
	}

	private void printReport(List<FileResult> results, List<Diagnostic> laterProblems, List<ScenarioResult> scenarios, Path cwd,
			int errors, int warnings, long failing, long incomplete) {
		for (FileResult r : results) {
			for (Diagnostic d : r.diagnostics()) {
				out.println(d.format());
			}
		}
		for (Diagnostic d : laterProblems) {
			out.println(d.format());
		}
		for (ScenarioResult s : scenarios) {
			printScenario(s, cwd);
		}
		out.println(results.size() + (results.size() == 1 ? " file" : " files") + " checked, " + scenarios.size()
				+ (scenarios.size() == 1 ? " scenario" : " scenarios") + ": " + (scenarios.size() - failing - incomplete)
				+ " pass, " + failing + " fail, " + incomplete + " incomplete; " + errors
				+ (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings"));
	}

	private void printScenario(ScenarioResult s, Path cwd) {
		Report r = s.report();
		String verdict = switch (r.verdict()) {
		case PASS -> "pass";
		case FAIL -> "FAIL";
		case INCOMPLETE -> "INCOMPLETE (" + r.incompleteReason() + ")";
		};
		out.println(s.file() + ": scenario " + r.scenario() + ": " + verdict);
		out.println("  core " + s.model().core() + " from " + displayPath(cwd, s.model().coreFile()));
		for (Checker.Violation v : r.violations()) {
			Diagnostic d = violationDiagnostic(cwd, s.file(), s.model(), v);
			out.println(d.format());
			out.println(String.format("    %4s  %-12s %-26s %-40s %s", "step", "thread", "where", "statement", "what changed"));
			for (Checker.TraceStep step : v.trace()) {
				out.println("    " + stepLine(step));
			}
		}
		var st = r.statistics();
		out.println(String.format("  %d states, %d transitions, depth %d, %.1f MiB, %.3f s, %.0f states/s", st.states(),
				st.transitions(), st.depth(), st.bytes() / 1048576.0, st.seconds(), st.statesPerSecond()));
		out.println("  reductions: " + st.options() + (st.symmetry().isEmpty() ? "" : "; interchangeable: " + st.symmetry())
				+ (st.collisionProbability() > 0 ? String.format("; hash compaction: collision probability %.2g", st.collisionProbability()) : ""));
	}

	private static String abbreviate(String s, int n) {
		String one = s.replaceAll("\\s+", " ");
		return one.length() <= n ? one : one.substring(0, n - 1) + "…";
	}

	/** A violation as a diagnostic on its statement (in the spec, or in the library core). */
	private static Diagnostic violationDiagnostic(Path cwd, String specFile, ExecModel m, Checker.Violation v) {
		Loc loc = v.loc();
		String file = loc.file().isEmpty() ? specFile : displayPath(cwd, loc.file());
		return new Diagnostic(file, Math.max(1, loc.line()), Math.max(1, loc.column()), Math.max(1, loc.line()),
				Math.max(1, loc.column()) + loc.text().length(), Severity.ERROR, v.rule().name(),
				v.message() + " (scenario " + m.scenario() + ", " + v.trace().size() + " steps)");
	}

	/** A scenario that cannot start (a start block that waits or breaks a rule), on the statement. */
	private static Diagnostic modelErrorDiagnostic(Path cwd, String specFile, ExecModel m, ModelError e) {
		Loc loc = e.loc();
		String file = loc == null || loc.file().isEmpty() ? specFile : displayPath(cwd, loc.file());
		int line = loc == null ? 1 : Math.max(1, loc.line());
		int column = loc == null ? 1 : Math.max(1, loc.column());
		return new Diagnostic(file, line, column, line, column, Severity.ERROR, IssueCodes.SCENARIO_START,
				e.getMessage() + " (scenario " + m.scenario() + ")");
	}

	private static Diagnostic diagnostic(String file, EObject where, String message) {
		var node = where == null ? null : org.eclipse.xtext.nodemodel.util.NodeModelUtils.findActualNodeFor(where);
		int line = node == null ? 1 : node.getStartLine();
		return new Diagnostic(file, line, 1, line, 1, Severity.ERROR, IssueCodes.MODEL, message);
	}

	/** Writes each violation's trace as .txt and .svg into --trace-dir, like generate: atomically, never through a link. */
	private String writeTraces(List<ScenarioResult> scenarios, Path cwd) {
		Map<String, String> files = new LinkedHashMap<>();
		for (ScenarioResult s : scenarios) {
			for (Checker.Violation v : s.report().violations()) {
				String base = safe(s.model().spec()) + "." + safe(s.model().scenario()) + "." + safe(v.rule().name());
				StringBuilder text = new StringBuilder();
				text.append(violationDiagnostic(cwd, s.file(), s.model(), v).format()).append('\n');
				for (Checker.TraceStep step : v.trace()) {
					text.append(stepLine(step)).append('\n');
				}
				files.put(base + ".txt", text.toString());
				files.put(base + ".svg", TraceSvg.render(s.model(), v));
			}
		}
		try {
			Files.createDirectories(traceDir); // the folder itself is the user's choice, a link to one included
			new OutputFolder(traceDir).write(traceDir, files);
			return null;
		} catch (IOException e) {
			return "cannot write traces to " + traceDir + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
		} catch (OutputFolder.WriteError e) {
			return "cannot write traces: " + e.getMessage();
		}
	}

	/** Names from specs become file names: letters, digits, '_', '-' only, so nothing leaves the folder. */
	static String safe(String name) {
		String s = name.replaceAll("[^A-Za-z0-9_-]", "_");
		return s.isEmpty() ? "_" : s;
	}

	private Map<String, Object> report(List<FileResult> results, List<Diagnostic> diagnostics,
			List<ScenarioResult> scenarios, Path cwd, int errors, int warnings, int exit) {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("tool", "pgmap");
		doc.put("command", "check");
		List<Object> files = new ArrayList<>();
		for (FileResult r : results) {
			Map<String, Object> file = new LinkedHashMap<>();
			file.put("file", r.displayName());
			file.put("errors", r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).count());
			List<Object> diags = new ArrayList<>();
			for (Diagnostic d : r.diagnostics()) {
				diags.add(json(d));
			}
			file.put("diagnostics", diags);
			files.add(file);
		}
		doc.put("files", files);
		List<Object> scen = new ArrayList<>();
		for (ScenarioResult s : scenarios) {
			Report r = s.report();
			Map<String, Object> o = new LinkedHashMap<>();
			o.put("file", s.file());
			o.put("spec", r.spec());
			o.put("scenario", r.scenario());
			o.put("core", Map.of("name", s.model().core(), "file", displayPath(cwd, s.model().coreFile())));
			o.put("verdict", r.verdict().name().toLowerCase());
			o.put("incompleteReason", r.incompleteReason());
			List<Object> violations = new ArrayList<>();
			for (Checker.Violation v : r.violations()) {
				Map<String, Object> vo = new LinkedHashMap<>();
				vo.put("rule", v.rule().name());
				vo.put("rootCause", v.rootCause());
				vo.put("diagnostic", json(violationDiagnostic(cwd, s.file(), s.model(), v)));
				List<Object> trace = new ArrayList<>();
				for (Checker.TraceStep step : v.trace()) {
					Map<String, Object> so = new LinkedHashMap<>();
					so.put("step", step.number());
					so.put("thread", step.thread());
					so.put("file", step.loc().file().isEmpty() ? s.file() : displayPath(cwd, step.loc().file()));
					so.put("line", step.loc().line());
					so.put("column", step.loc().column());
					so.put("statement", step.loc().text());
					so.put("changes", step.changes());
					trace.add(so);
				}
				vo.put("trace", trace);
				violations.add(vo);
			}
			o.put("violations", violations);
			var st = r.statistics();
			Map<String, Object> stats = new LinkedHashMap<>();
			stats.put("states", st.states());
			stats.put("transitions", st.transitions());
			stats.put("depth", st.depth());
			stats.put("bytes", st.bytes());
			stats.put("seconds", st.seconds());
			stats.put("statesPerSecond", Math.round(st.statesPerSecond()));
			stats.put("reductions", st.options());
			stats.put("symmetry", st.symmetry());
			stats.put("collisionProbability", st.collisionProbability());
			o.put("statistics", stats);
			scen.add(o);
		}
		doc.put("scenarios", scen);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("files", results.size());
		summary.put("errors", errors);
		summary.put("warnings", warnings);
		summary.put("scenarios", scenarios.size());
		summary.put("failing", scenarios.stream().filter(s -> s.report().verdict() == Verdict.FAIL).count());
		summary.put("incomplete", scenarios.stream().filter(s -> s.report().verdict() == Verdict.INCOMPLETE).count());
		doc.put("summary", summary);
		doc.put("exitCode", exit);
		List<Object> all = new ArrayList<>();
		for (Diagnostic d : diagnostics) {
			all.add(json(d));
		}
		doc.put("diagnostics", all);
		return doc;
	}

	private static Map<String, Object> json(Diagnostic d) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("file", d.file());
		m.put("line", d.line());
		m.put("column", d.column());
		m.put("endLine", d.endLine());
		m.put("endColumn", d.endColumn());
		m.put("severity", d.severity().label());
		m.put("id", d.id());
		m.put("message", d.message());
		return m;
	}

	private int model(List<Path> files) {
		SpecChecker checker = injector().getInstance(SpecChecker.class);
		Path cwd = Path.of("").toAbsolutePath();
		List<FileResult> results = checker.check(files, f -> display(cwd, f), () -> false);
		List<Object> docs = new ArrayList<>();
		int exit = OK;
		for (FileResult r : results) {
			List<ExecModel> models = modelsPrintingErrors(r);
			if (models == null) {
				exit = FINDINGS;
				continue;
			}
			for (ExecModel m : models) {
				if (format.equals("json")) {
					docs.add(ModelPrinter.json(m));
				} else {
					out.println(ModelPrinter.text(m));
				}
			}
		}
		if (format.equals("json")) {
			out.print(Json.write(docs));
		}
		return exit;
	}

	/** Prints each file as the formatter lays it out; writes nothing (a file that does not parse is printed unchanged, exit 1). */
	private int format(List<Path> files) {
		int exit = OK;
		for (Path f : files) {
			try {
				String text = Files.readString(f);
				String formatted = org.pgmap.dsl.formatting2.FormatText.format(injector(), text);
				if (files.size() > 1) {
					out.println("// ---- " + f);
				}
				out.print(formatted);
				if (formatted.equals(text) && !parses(text)) {
					err.println("pgmap: " + f + ": does not parse; printed as it is (run pgmap check for the errors)");
					exit = FINDINGS;
				}
			} catch (IOException e) {
				err.println("pgmap: cannot read " + f + ": " + e.getMessage());
				return USAGE;
			}
		}
		return exit;
	}

	private boolean parses(String text) throws IOException {
		var set = injector().getInstance(org.eclipse.xtext.resource.XtextResourceSet.class);
		var resource = set.createResource(org.eclipse.emf.common.util.URI.createURI("synthetic:/parse.pgmap"));
		resource.load(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null);
		return resource.getErrors().isEmpty();
	}

	/**
	 * Writes each spec's files into DIR/<spec>/ through {@link OutputFolder}. A spec that fails
	 * its check, or whose check stopped at a limit, is refused, or with --force written with the
	 * warning in every file (and said so on stderr); two files of one spec name are refused.
	 */
	private int generate(List<Path> files) {
		SpecChecker checker = injector().getInstance(SpecChecker.class);
		Path cwd = Path.of("").toAbsolutePath();
		Limits limits = new Limits(maxStates, maxSeconds, maxBytes);
		OutputFolder output = new OutputFolder(outDir);
		boolean findings = false;
		boolean incomplete = false;
		boolean unwritten = false;
		List<FileResult> results = checker.check(files, f -> display(cwd, f), () -> false);
		Map<String, List<String>> clashes = specFolderClashes(results);
		clashes.forEach((folder, names) -> err.println("pgmap: " + String.join(" and ", names) + (names.size() == 2 ? " both" : " all")
				+ " define spec " + folder + ", which generate writes to " + Escape.printable(outDir.resolve(folder).toString())
				+ "; rename the spec in all but one of them (none of them is generated)"));
		for (FileResult r : results) {
			List<ExecModel> models = modelsPrintingErrors(r);
			if (models == null) {
				findings = true;
				continue;
			}
			Model model = (Model) r.resource().getContents().get(0);
			if (model.getHeader() == null) {
				continue; // a file of cores only
			}
			String spec = model.getHeader().getName();
			String folder = org.pgmap.dsl.generator.CGenerator.ident(spec);
			if (clashes.containsKey(folder)) {
				findings = true;
				continue; // reported above
			}
			ProofWarning warning = prove(r, spec, models, limits, cwd);
			if (warning == null) {
				findings = true;
				continue;
			}
			if (!warning.proven() && !force) {
				err.println(shown(r) + ": not generated: spec " + spec + (warning.failing()
						? " fails its model check (" + String.join(", ", warning.violations()) + ")"
						: " could not be model-checked within the limits (" + String.join("; ", warning.incomplete().values()) + ")")
						+ "; fix the spec" + (warning.failing() ? "" : " or raise the limits")
						+ ", or give --force to write its code marked as " + (warning.failing() ? "racy" : "unproven"));
				findings |= warning.failing();
				incomplete |= !warning.incomplete().isEmpty();
				continue;
			}
			try {
				Path dir = output.folder(folder);
				output.write(dir, generatedFiles(r, model, models, warning));
				out.println(shown(r) + ": wrote " + display(cwd, dir) + (warning.failing()
						? " (racy: " + String.join(", ", warning.violations()) + ")" : warning.proven() ? "" : " (unproven)"));
			} catch (OutputFolder.WriteError e) {
				err.println("pgmap: " + e.getMessage());
				unwritten = true;
				continue;
			}
			if (!warning.proven()) {
				err.println(shown(r) + ": warning: written because of --force, every file marked: " + warning.text());
				findings |= warning.failing();
				incomplete |= !warning.incomplete().isEmpty();
			}
		}
		return unwritten ? USAGE : findings ? FINDINGS : incomplete ? INCOMPLETE : OK;
	}

	/** Spec folder -> the files (display names) of the specs that would all be written to it, where more than one. */
	private static Map<String, List<String>> specFolderClashes(List<FileResult> results) {
		Map<String, List<String>> byFolder = new java.util.TreeMap<>();
		for (FileResult r : results) {
			if (r.resource() != null && !r.resource().getContents().isEmpty() && r.resource().getContents().get(0) instanceof Model m
					&& m.getHeader() != null && m.getHeader().getName() != null) {
				byFolder.computeIfAbsent(org.pgmap.dsl.generator.CGenerator.ident(m.getHeader().getName()), k -> new ArrayList<>())
						.add(shown(r));
			}
		}
		byFolder.values().removeIf(names -> names.size() < 2);
		return byFolder;
	}

	/** The model check of every scenario as a ProofWarning; null when a scenario cannot start (printed). */
	private ProofWarning prove(FileResult r, String spec, List<ExecModel> models, Limits limits, Path cwd) {
		java.util.Set<String> violated = new java.util.TreeSet<>();
		Map<String, String> incomplete = new LinkedHashMap<>();
		boolean startable = true;
		for (ExecModel m : models) {
			try {
				Report report = Checker.check(m, limits, options, () -> false);
				report.violations().forEach(v -> violated.add(v.rule().name()));
				if (report.verdict() == Verdict.INCOMPLETE) {
					incomplete.put(m.scenario(), report.incompleteReason());
				}
			} catch (ModelError e) {
				err.println(modelErrorDiagnostic(cwd, r.displayName(), m, e).format());
				startable = false;
			}
		}
		return startable ? new ProofWarning(spec, new ArrayList<>(violated), incomplete) : null;
	}

	/** A spec's generated files, name -> content: the C module(s) and Kbuild, one Promela model per scenario, the model JSON. */
	private static Map<String, String> generatedFiles(FileResult r, Model model, List<ExecModel> models, ProofWarning warning) {
		String spec = org.pgmap.dsl.generator.CGenerator.ident(model.getHeader().getName());
		Map<String, String> files = new LinkedHashMap<>(
				org.pgmap.dsl.generator.CGenerator.generate(model, r.file().getFileName().toString(), warning));
		for (ExecModel m : models) {
			files.put(spec + "." + org.pgmap.dsl.generator.CGenerator.ident(m.scenario()) + ".pml",
					org.pgmap.engine.PromelaGenerator.generate(m, warning));
		}
		files.put(spec + ".model.json", Json.write(ModelPrinter.generated(model.getHeader().getTitle(), r.displayName(), models, warning)));
		return files;
	}

	/** A spec file's name for a message: one line, whatever characters the name holds. */
	private static String shown(FileResult r) {
		return Escape.printable(r.displayName());
	}

	/**
	 * The executable models of a spec's scenarios; null when the file has static errors, holds
	 * only cores, or cannot be compiled (that is reported to {@code problems}).
	 */
	private static List<ExecModel> models(FileResult r, java.util.function.Consumer<Diagnostic> problems) {
		return models(r, problems, CancelIndicator.NullImpl);
	}

	private static List<ExecModel> models(FileResult r, java.util.function.Consumer<Diagnostic> problems, CancelIndicator limit) {
		if (r.hasErrors() || r.resource() == null || r.resource().getContents().isEmpty()
				|| !(r.resource().getContents().get(0) instanceof Model model) || model.getHeader() == null) {
			return null;
		}
		try {
			return ModelCompiler.compile(model, limit::isCanceled);
		} catch (CompileError e) {
			Diagnostic d = diagnostic(r.displayName(), e.where, e.getMessage());
			if (limit.isCanceled()) {
				d = new Diagnostic(d.file(), d.line(), d.column(), d.endLine(), d.endColumn(), Severity.ERROR,
						IssueCodes.TIME_LIMIT, d.message());
			}
			problems.accept(d);
			return null;
		}
	}

	/**
	 * For model and generate: the scenarios' models, with the static or compile errors printed
	 * to stderr; null when there were errors, empty for a file of cores only.
	 */
	private List<ExecModel> modelsPrintingErrors(FileResult r) {
		List<Diagnostic> problems = new ArrayList<>(
				r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList());
		List<ExecModel> models = problems.isEmpty() ? models(r, problems::add) : null;
		problems.forEach(d -> err.println(d.format()));
		return !problems.isEmpty() ? null : models == null ? List.of() : models;
	}

	/** One step of a trace as the text report and the trace files print it. */
	private static String stepLine(Checker.TraceStep step) {
		return String.format("%4d  %-12s %-26s %-40s %s", step.number(), step.thread(),
				step.loc().file().replaceAll(".*/", "") + ":" + step.loc().line(), abbreviate(step.loc().text(), 40),
				step.changes());
	}

	private static String display(Path cwd, Path file) {
		Path abs = file.toAbsolutePath().normalize();
		return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
	}

	private static String displayPath(Path cwd, String file) {
		return file.startsWith("/") ? display(cwd, Path.of(file)) : file;
	}

	private int usage(String message) {
		err.println("pgmap: " + message);
		err.print(USAGE_TEXT);
		return USAGE;
	}

	private Injector injector() {
		if (injector == null) {
			injector = new PgmapStandaloneSetup().createInjectorAndDoEMFRegistration();
		}
		return injector;
	}
}
