package org.pgmap.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.pgmap.dsl.check.CheckService;

import com.google.inject.Injector;

import picocli.CommandLine;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The pgmap command line: parses the arguments into one of {@link PgmapCommand}'s commands
 * (picocli) and runs it on a thread with a large stack. Exit codes: 0 clean, 1 a spec has an
 * error or a scenario fails its model check, 2 usage error, unreadable path or unwritable output,
 * 3 a check stopped at a limit (incomplete), 4 pgmap itself failed (an internal error: a bug to
 * report, never a finding).
 */
public class PgmapCli {

	public static final int OK = 0;
	public static final int FINDINGS = 1;
	public static final int USAGE = 2;
	public static final int INCOMPLETE = 3;
	public static final int INTERNAL = 4;

	/** The stack of the thread that runs a command: the parser and the checks recurse into nested blocks. */
	static final long STACK_BYTES = 64L << 20;

	private final Session session;

	public PgmapCli(PrintStream out, PrintStream err) {
		this(out, err, null);
	}

	/** A CLI on an existing injector (tests that run it thousands of times). */
	public PgmapCli(PrintStream out, PrintStream err, Injector injector) {
		this.session = new Session(out, err, injector);
	}

	/**
	 * Keeps check's front-end results in {@code dir} ({@link FrontEndCache}); {@code pgmap} itself
	 * ({@link Main}) uses the user's cache folder, a CLI made in a test none unless given one.
	 */
	public PgmapCli withCacheDir(Path dir) {
		session.cacheDir = dir;
		return this;
	}

	/** Replaces the model check of each scenario (a seam for tests that make it fail as pgmap itself could). */
	public PgmapCli withScenarioChecker(CheckService.ScenarioChecker checker) {
		session.scenarioChecker = checker;
		return this;
	}

	public int run(String[] args) {
		int[] exit = { INTERNAL };
		Throwable[] failure = { null };
		Thread worker = new Thread(null, () -> {
			try {
				Integer quick = args.length > 0 && args[0].equals("check") ? QuickCheck.run(session, args) : null;
				if (quick == null && (args.length > 0 && args[0].equals("help")
						|| args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))) {
					session.out.print(PgmapCommand.usage()); // what picocli would run for them, without its start
					quick = OK;
				}
				exit[0] = quick != null ? quick : commandLine(args).execute(args);
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
			session.err.println("pgmap: interrupted");
			return INTERNAL;
		}
		Throwable failed = failure[0] != null ? failure[0] : session.failure;
		return finish(failed != null ? internal(failed) : exit[0]);
	}

	/** The commands' names, in the order of the usage text. */
	private static final List<String> COMMANDS = List.of("check", "diff", "model", "generate", "language-server", "format", "extract", "conform", "help");

	/**
	 * A new command of that name, or null. Only the command named first is built when the first
	 * argument names one: picocli reflects on every command it is given, and loading the others'
	 * types (Xtext's among them) costs a start; once a command is named, the others play no part
	 * in parsing the rest. (A switch, not a map of constructor references: resolving those loads
	 * every command class.)
	 */
	private static Object command(String name) {
		return switch (name) {
		case "check" -> new CheckCommand();
		case "diff" -> new DiffCommand();
		case "model" -> new ModelCommand();
		case "generate" -> new GenerateCommand();
		case "language-server" -> new LanguageServerCommand();
		case "format" -> new FormatCommand();
		case "extract" -> new ExtractCommand();
		case "conform" -> new ConformCommand();
		case "help" -> new HelpCommand();
		default -> null;
		};
	}

	/** The commands, with pgmap's messages for arguments they refuse; an exception of a command is an internal error. */
	private CommandLine commandLine(String[] args) {
		CommandLine commandLine = new CommandLine(new PgmapCommand(session));
		if (args.length > 0 && COMMANDS.contains(args[0])) {
			commandLine.addSubcommand(args[0], command(args[0]));
		} else {
			COMMANDS.forEach(name -> commandLine.addSubcommand(name, command(name)));
		}
		commandLine.setExpandAtFiles(false); // @FILE is a file name, not a file of arguments
		commandLine.setOverwrittenOptionsAllowed(true); // the last --max-states given counts
		commandLine.setParameterExceptionHandler((e, given) -> session.usage(message(e, given)));
		commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
			session.failure = e;
			return INTERNAL;
		});
		return commandLine;
	}

	/** What is wrong with the arguments, as pgmap says it. */
	static String message(ParameterException e, String[] args) {
		CommandSpec command = e.getCommandLine().getCommandSpec();
		if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
			String first = u.getUnmatched().get(0);
			return (command.parent() == null ? "unknown command '" : "unknown option '") + first + "'";
		}
		if (e instanceof MaxValuesExceededException) { // a value given to a switch: --force=yes
			for (String a : args) {
				int eq = a.indexOf('=');
				OptionSpec o = a.startsWith("--") && eq > 0 ? command.findOption(a.substring(0, eq)) : null;
				if (o != null && o.arity().max() == 0) {
					return o.longestName() + " takes no value (give " + o.longestName() + " alone to turn it on)";
				}
			}
		}
		if (e instanceof MissingParameterException m) {
			for (ArgSpec missing : m.getMissing()) {
				if (missing instanceof OptionSpec o) {
					return o.longestName() + " needs a value";
				}
			}
		}
		return e.getMessage();
	}

	private int finish(int code) {
		int exit = code;
		if (exit != INTERNAL && session.unreadable) {
			exit = USAGE;
		}
		if (session.out.checkError()) {
			session.err.println("pgmap: the report could not be written to standard output");
			exit = exit == INTERNAL ? INTERNAL : USAGE;
		}
		return exit;
	}

	/** An internal error: one line that names the file and asks for a report; the stack trace only with --debug. */
	private int internal(Throwable e) {
		String file = session.currentFile;
		session.err.println("pgmap: internal error" + (file == null ? "" : " while working on " + file) + " ("
				+ e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()))
				+ "). This is a bug in pgmap, not a finding about the spec: please report it with the spec attached"
				+ (session.debug ? "" : " (--debug prints the stack trace)"));
		if (session.debug) {
			e.printStackTrace(session.err);
		}
		return INTERNAL;
	}

	private static String firstLine(String s) {
		String line = s.lines().findFirst().orElse("");
		return line.length() > 200 ? line.substring(0, 197) + "..." : line;
	}
}
