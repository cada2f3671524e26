package org.pgmap.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import org.pgmap.dsl.PgmapStandaloneSetup;
import org.pgmap.dsl.check.CheckService;

import com.google.inject.Injector;

/**
 * What the commands of one run share: the output streams, the runtime's injector (made when a
 * command first needs it, so that a usage error or the language server never pays for it), how
 * file names are shown, and what the run has come to besides a command's own exit code.
 */
final class Session {

	final PrintStream out;
	final PrintStream err;
	private Injector injector;
	private final Path cwd = Path.of("").toAbsolutePath();

	/** Replaces the model check of every scenario (tests that make it fail as pgmap itself could). */
	CheckService.ScenarioChecker scenarioChecker;

	/** --debug: an internal error prints its stack trace. */
	boolean debug;

	/** The file being worked on, for the message of an internal error. */
	volatile String currentFile;

	/** A path could not be read completely: the run ends with {@link PgmapCli#USAGE} after checking the rest. */
	boolean unreadable;

	/** A command failed with an exception: an internal error of pgmap. */
	Throwable failure;

	/** Where check keeps its front-end cache ({@link FrontEndCache}), or null: no cache. */
	Path cacheDir;

	Session(PrintStream out, PrintStream err, Injector injector) {
		this.out = out;
		this.err = err;
		this.injector = injector;
	}

	Injector injector() {
		if (injector == null) {
			injector = new PgmapStandaloneSetup().createInjectorAndDoEMFRegistration();
		}
		return injector;
	}

	/** A spec file as reports show it: relative to the working folder when it is below it. */
	String display(Path file) {
		Path abs = file.toAbsolutePath().normalize();
		return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
	}

	/** A file of a model ({@code Loc.file()}: absolute, or {@code library/NAME.pgmap}) as reports show it. */
	String displayPath(String file) {
		return file.startsWith("/") ? display(Path.of(file)) : file;
	}

	/** A usage error: the message and the usage text on stderr, exit 2. */
	int usage(String message) {
		err.println("pgmap: " + message);
		err.print(PgmapCommand.usage());
		return PgmapCli.USAGE;
	}
}
