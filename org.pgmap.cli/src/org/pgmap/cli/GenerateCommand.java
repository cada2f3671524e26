package org.pgmap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.CheckService.SpecResult;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.generator.PgmapGenerator;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Escape;
import org.pgmap.engine.ProofWarning;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pgmap generate --out DIR}: checks every spec as {@code check} does, through the check
 * service, and writes the files it generates for each into {@code DIR/<spec>/} through
 * {@link OutputFolder}. The service's policy decides: a spec that fails its check, or whose check
 * stopped at a limit, is refused, or with {@code --force} written with the warning in every file
 * (and said so on stderr); two files of one spec name are refused here.
 */
@Command(name = "generate")
public final class GenerateCommand extends SpecCommand {

	@Mixin
	private ModelCheckOptions modelCheck;

	private Path outDir;

	@Option(names = "--force", arity = "0")
	private boolean force;

	@Option(names = "--out", paramLabel = "DIR")
	void out(String value) {
		outDir = path(value);
	}

	@Override
	protected String optionProblem() {
		return outDir == null ? "generate needs --out DIR" : null;
	}

	@Override
	protected int run(List<Path> files) {
		OutputFolder output = new OutputFolder(outDir);
		List<Diagnostic> problems = new ArrayList<>(); // errors, compile and start errors, limits: the exit code
		boolean findings = false;
		boolean incomplete = false;
		boolean unwritten = false;
		List<FileResult> results = service().specs().check(files, f -> session.currentFile = session.display(f),
				CheckFrontEnd.StaticChecks.phases(modelCheck), modelCheck.timeLimitName());
		Map<String, List<String>> clashes = specFolderClashes(results);
		clashes.forEach((folder, names) -> session.err.println("pgmap: " + String.join(" and ", names)
				+ (names.size() == 2 ? " both" : " all") + " define spec " + folder + ", which generate writes to "
				+ Escape.printable(outDir.resolve(folder).toString()) + "; rename the spec in all but one of them (none of them is generated)"));
		for (FileResult r : results) {
			session.currentFile = r.displayName();
			List<Diagnostic> errors = r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
			Model spec = CheckService.specOf(r.resource());
			if (!errors.isEmpty() || spec == null) { // a file of cores only has nothing to generate
				print(errors, problems);
				continue;
			}
			String folder = PgmapGenerator.folderName(spec);
			if (clashes.containsKey(folder)) {
				findings = true;
				continue; // reported above
			}
			SpecResult checked = service().modelCheck(r, modelCheck.limits(), modelCheck.options(), modelCheck.phases(), session::displayPath);
			if (!checked.problems().isEmpty()) {
				print(checked.problems(), problems);
				continue;
			}
			ProofWarning proof = checked.proof();
			Map<String, String> generated = service().generate(checked, r.file().getFileName().toString(), force);
			if (generated == null) {
				session.err.println(shown(r) + ": not generated: spec " + proof.spec() + (proof.failing()
						? " fails its model check (" + String.join(", ", proof.violations()) + ")"
						: " could not be model-checked within the limits (" + String.join("; ", proof.incomplete().values()) + ")")
						+ "; fix the spec" + (proof.failing() ? "" : " or raise the limits")
						+ ", or give --force to write its code marked as " + (proof.failing() ? "racy" : "unproven"));
			} else {
				try {
					Path dir = output.folder(folder);
					output.write(dir, generated);
					session.out.println(shown(r) + ": wrote " + session.display(dir) + (proof.failing()
							? " (racy: " + String.join(", ", proof.violations()) + ")" : proof.proven() ? "" : " (unproven)"));
				} catch (OutputFolder.WriteError e) {
					session.err.println("pgmap: " + e.getMessage());
					unwritten = true;
					continue;
				}
				if (!proof.proven()) {
					session.err.println(shown(r) + ": warning: written because of --force, every file marked: " + proof.text());
				}
			}
			findings |= proof.failing();
			incomplete |= !proof.incomplete().isEmpty();
		}
		session.currentFile = null;
		int exit = exitOf(problems);
		return exit == PgmapCli.INTERNAL ? exit
				: unwritten ? PgmapCli.USAGE
						: findings || exit == PgmapCli.FINDINGS ? PgmapCli.FINDINGS
								: incomplete || exit == PgmapCli.INCOMPLETE ? PgmapCli.INCOMPLETE : PgmapCli.OK;
	}

	/** Problems that stop a spec's generation, on stderr. */
	private void print(List<Diagnostic> found, List<Diagnostic> problems) {
		found.forEach(d -> session.err.println(d.format()));
		problems.addAll(found);
	}

	/** Spec folder -> the files (as shown) of the specs that would all be written to it, where more than one. */
	private static Map<String, List<String>> specFolderClashes(List<FileResult> results) {
		Map<String, List<String>> byFolder = new TreeMap<>();
		for (FileResult r : results) {
			Model spec = CheckService.specOf(r.resource());
			if (spec != null && spec.getHeader().getName() != null) {
				byFolder.computeIfAbsent(PgmapGenerator.folderName(spec), k -> new ArrayList<>()).add(shown(r));
			}
		}
		byFolder.values().removeIf(names -> names.size() < 2);
		return byFolder;
	}

	/** A spec file's name for a message: one line, whatever characters the name holds. */
	private static String shown(FileResult r) {
		return Escape.printable(r.displayName());
	}
}
