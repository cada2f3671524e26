package org.pgmap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pgmap.dsl.PgmapStandaloneSetup;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.check.SpecChecker.FileResult;

import com.google.inject.Injector;

/**
 * The pgmap command line. Exit codes: 0 clean, 1 a spec has an error, 2 usage error or
 * unreadable path.
 */
public class PgmapCli {

	public static final int OK = 0;
	public static final int FINDINGS = 1;
	public static final int USAGE = 2;

	static final String USAGE_TEXT = """
			usage: pgmap <command> [options] PATH...

			commands:
			  check PATH...     parse and validate specs (files, or folders searched recursively);
			                    prints file:line:col: severity: [id] message per finding
			  help              this text

			options of check:
			  --format text     one line per finding (default)
			  --format json     one JSON document (schema in README.md)

			exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable path
			""";

	private final PrintStream out;
	private final PrintStream err;
	private Injector injector;

	public PgmapCli(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	public int run(String[] args) {
		if (args.length == 0) {
			err.print(USAGE_TEXT);
			return USAGE;
		}
		String command = args[0];
		List<String> rest = List.of(args).subList(1, args.length);
		switch (command) {
		case "check":
			return check(rest);
		case "help", "--help", "-h":
			out.print(USAGE_TEXT);
			return OK;
		default:
			err.println("pgmap: unknown command '" + command + "'");
			err.print(USAGE_TEXT);
			return USAGE;
		}
	}

	private int check(List<String> args) {
		String format = "text";
		List<Path> paths = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (a.equals("--format")) {
				if (i + 1 >= args.size()) {
					return usage("--format needs a value: text or json");
				}
				format = args.get(++i);
			} else if (a.startsWith("--format=")) {
				format = a.substring("--format=".length());
			} else if (a.startsWith("-")) {
				return usage("unknown option '" + a + "'");
			} else {
				paths.add(Path.of(a));
			}
		}
		if (!format.equals("text") && !format.equals("json")) {
			return usage("unknown format '" + format + "': use text or json");
		}
		if (paths.isEmpty()) {
			return usage("check needs at least one file or folder");
		}
		for (Path p : paths) {
			if (!Files.exists(p)) {
				err.println("pgmap: " + p + ": no such file or folder");
				return USAGE;
			}
			if (!Files.isReadable(p)) {
				err.println("pgmap: " + p + ": cannot be read (permission denied)");
				return USAGE;
			}
		}
		List<Path> files;
		try {
			files = SpecChecker.expand(paths);
		} catch (IOException e) {
			err.println("pgmap: cannot list " + e.getMessage());
			return USAGE;
		}
		if (files.isEmpty()) {
			err.println("pgmap: no .pgmap files under " + paths);
			return USAGE;
		}
		SpecChecker checker = injector().getInstance(SpecChecker.class);
		Path cwd = Path.of("").toAbsolutePath();
		List<FileResult> results = checker.check(files, f -> display(cwd, f), () -> false);
		int errors = 0;
		int warnings = 0;
		for (FileResult r : results) {
			for (Diagnostic d : r.diagnostics()) {
				if (d.severity() == Severity.ERROR) {
					errors++;
				} else if (d.severity() == Severity.WARNING) {
					warnings++;
				}
			}
		}
		if (format.equals("json")) {
			out.print(Json.write(report(results, errors, warnings)));
		} else {
			for (FileResult r : results) {
				for (Diagnostic d : r.diagnostics()) {
					out.println(d.format());
				}
			}
			out.println(results.size() + (results.size() == 1 ? " file" : " files") + " checked: " + errors
					+ (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings"));
		}
		return errors > 0 ? FINDINGS : OK;
	}

	private static Map<String, Object> report(List<FileResult> results, int errors, int warnings) {
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
				Map<String, Object> m = new LinkedHashMap<>();
				m.put("file", d.file());
				m.put("line", d.line());
				m.put("column", d.column());
				m.put("endLine", d.endLine());
				m.put("endColumn", d.endColumn());
				m.put("severity", d.severity().label());
				m.put("id", d.id());
				m.put("message", d.message());
				diags.add(m);
			}
			file.put("diagnostics", diags);
			files.add(file);
		}
		doc.put("files", files);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("files", results.size());
		summary.put("errors", errors);
		summary.put("warnings", warnings);
		doc.put("summary", summary);
		doc.put("exitCode", errors > 0 ? FINDINGS : OK);
		return doc;
	}

	private static String display(Path cwd, Path file) {
		Path abs = file.toAbsolutePath().normalize();
		return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
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
