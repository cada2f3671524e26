package org.pgmap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.CheckService.SpecResult;
import org.pgmap.engine.Checker;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pgmap check}: the static checks of every file, then, through the check service, the
 * model check of every scenario of each spec without errors; the report as text, JSON or SARIF, and
 * with {@code --trace-dir} each violation's trace as files. The front end (parse, validate,
 * compile) comes from {@link CheckFrontEnd}, through the front-end cache unless {@code --no-cache}:
 * the model check itself always runs, so the cache never decides a verdict.
 */
@Command(name = "check")
public final class CheckCommand extends SpecCommand {

	@Mixin
	private ModelCheckOptions modelCheck;

	@Spec
	private CommandSpec command;

	private boolean json;
	private boolean diagram;
	private boolean sarif;

	@Option(names = "--static", arity = "0")
	private boolean staticOnly;

	private Path traceDir;

	@Option(names = "--no-cache", arity = "0")
	private boolean noCache;

	@Option(names = "--format", paramLabel = "text|json|diagram|sarif")
	void format(String value) {
		if (!value.equals("text") && !value.equals("json") && !value.equals("diagram") && !value.equals("sarif")) {
			throw new ParameterException(command.commandLine(), "unknown format '" + value + "': use text, json, diagram or sarif");
		}
		json = value.equals("json");
		diagram = value.equals("diagram");
		sarif = value.equals("sarif");
	}

	@Option(names = "--trace-dir", paramLabel = "DIR")
	void traceDir(String value) {
		traceDir = path(value);
	}

	/** The options picocli would set, for {@link QuickCheck}. */
	void set(ModelCheckOptions limits, boolean staticChecksOnly, boolean withoutCache) {
		modelCheck = limits;
		staticOnly = staticChecksOnly;
		noCache = withoutCache;
	}

	@Override
	protected String optionProblem() {
		return traceDir != null && Files.exists(traceDir) && !Files.isDirectory(traceDir)
				? "--trace-dir " + traceDir + " is a file, not a folder"
				: null;
	}

	@Override
	protected int run(List<Path> files) {
		FrontEndCache cache = noCache || session.cacheDir == null ? null : new FrontEndCache(session.cacheDir);
		List<CheckFrontEnd.Result> results = CheckFrontEnd.run(this, session, files, modelCheck, staticOnly, cache);
		CheckReport.Builder found = new CheckReport.Builder(session::displayPath, modelCheck.options().describe());
		CheckService.ScenarioChecker checker = session.scenarioChecker != null ? session.scenarioChecker : Checker::check;
		for (CheckFrontEnd.Result r : results) {
			session.currentFile = r.displayName();
			found.add(r);
			if (!staticOnly) {
				found.add(r.models() == null ? new SpecResult(r.displayName(), null, null, List.of(), r.problems())
						: CheckService.checkModels(r.displayName(), r.models(), r.problems(), checker, this::internalError,
								modelCheck.limits(), modelCheck.options(), modelCheck.phases(), session::displayPath));
			}
		}
		session.currentFile = null;
		CheckReport report = found.build();
		int exit = report.exitCode();
		Reporter reporter = sarif ? new SarifReporter(session.out, session::displayPath)
				: json ? new JsonReporter(session.out, session::displayPath)
				: new TextReporter(session.out, session::displayPath, diagram);
		try {
			reporter.report(report);
		} finally {
			if (traceDir != null) {
				String problem = TraceFiles.write(traceDir, report.scenarios());
				if (problem != null) {
					session.err.println("pgmap: " + problem);
					exit = exit == PgmapCli.INTERNAL ? PgmapCli.INTERNAL : PgmapCli.USAGE;
				}
			}
		}
		return exit;
	}
}
