package org.pgmap.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecFiles;
import org.pgmap.dsl.validation.IssueCodes;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command on spec files (check, model, generate, format): its PATHs (files, or folders searched
 * recursively for {@code *.pgmap}) and {@code --debug}. A path that cannot be read is an error of
 * its own (exit 2 at the end) and every readable one is still worked on. The runtime's services
 * ({@link CheckService}: the one pipeline) come from {@link #service()} when the command first
 * needs them: a check its front-end cache answers never loads Xtext or Guice, so no type of
 * theirs may appear in a field or method signature of a command (picocli reflects on them).
 */
public abstract class SpecCommand implements Callable<Integer> {

	@ParentCommand
	private PgmapCommand root;

	@Spec
	private CommandSpec spec;

	@Parameters(paramLabel = "PATH")
	private List<String> arguments = new ArrayList<>();

	@Option(names = "--debug", arity = "0")
	private boolean debug;

	private CheckService service;

	protected Session session;

	/** The readable PATHs as given (before folders are expanded), for commands that pair them. */
	protected List<Path> roots = List.of();

	@Override
	public final Integer call() {
		return execute(root.session(), spec.name(), arguments, debug);
	}

	/** The command on its PATHs as given ({@link QuickCheck} calls it without picocli). */
	final int execute(Session s, String name, List<String> arguments, boolean debugging) {
		session = s;
		session.debug = debugging;
		List<Path> paths = new ArrayList<>();
		for (String a : arguments) {
			try {
				paths.add(Path.of(a));
			} catch (InvalidPathException e) {
				return session.usage(e.getMessage());
			}
		}
		if (paths.isEmpty()) {
			return session.usage(name + " needs at least one file or folder");
		}
		List<Path> readable = new ArrayList<>();
		for (Path p : paths) {
			if (!Files.exists(p)) {
				session.err.println("pgmap: " + p + ": no such file or folder");
				session.unreadable = true;
			} else if (!Files.isReadable(p)) {
				session.err.println("pgmap: " + p + ": cannot be read (permission denied)");
				session.unreadable = true;
			} else {
				readable.add(p);
			}
		}
		if (readable.isEmpty()) {
			return PgmapCli.USAGE;
		}
		roots = readable;
		List<Path> files = SpecFiles.expand(readable, unread -> {
			session.err.println("pgmap: " + unread);
			session.unreadable = true;
		});
		if (files.isEmpty()) {
			session.err.println("pgmap: no .pgmap files under " + paths);
			return PgmapCli.USAGE;
		}
		String problem = optionProblem();
		if (problem != null) {
			return session.usage(problem);
		}
		return run(files);
	}

	/** The check service of the runtime's injector (made on first use), told about --debug and the test seam. */
	protected CheckService service() {
		if (service == null) {
			CheckService s = session.injector().getInstance(CheckService.class);
			s.onInternalError(this::internalError);
			if (session.scenarioChecker != null) {
				s.setScenarioChecker(session.scenarioChecker);
			}
			service = s;
		}
		return service;
	}

	/** An internal failure the pipeline recovered from: its stack trace with --debug. */
	protected void internalError(Throwable e) {
		if (session.debug) {
			e.printStackTrace(session.err);
		}
	}

	/** What is wrong with the options once the paths are known, or null. */
	protected String optionProblem() {
		return null;
	}

	/** Works on the spec files; returns the exit code. */
	protected abstract int run(List<Path> files);

	/** A path option's value (--out, --trace-dir). */
	protected Path path(String value) {
		try {
			return Path.of(value);
		} catch (InvalidPathException e) {
			throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
		}
	}

	/** The exit code of problems a phase reported: an internal error outranks a finding, which outranks a stop at a limit. */
	static int exitOf(List<Diagnostic> problems) {
		if (problems.stream().anyMatch(d -> d.id().equals(IssueCodes.INTERNAL_ERROR))) {
			return PgmapCli.INTERNAL;
		}
		if (problems.stream().anyMatch(d -> d.severity() == Severity.ERROR && !d.id().equals(IssueCodes.TIME_LIMIT))) {
			return PgmapCli.FINDINGS;
		}
		return problems.stream().anyMatch(d -> d.id().equals(IssueCodes.TIME_LIMIT)) ? PgmapCli.INCOMPLETE : PgmapCli.OK;
	}
}
