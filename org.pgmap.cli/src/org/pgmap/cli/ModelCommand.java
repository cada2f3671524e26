package org.pgmap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.xtext.util.CancelIndicator;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.JsonText;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.ModelPrinter;
import org.pgmap.engine.model.ExecModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pgmap model}: the executable model of each scenario of each spec, compiled by the check
 * service, as text or as one JSON array; a file's errors go to stderr instead (exit 1).
 */
@Command(name = "model")
public final class ModelCommand extends SpecCommand {

	@Spec
	private CommandSpec command;

	private boolean json;

	@Option(names = "--format", paramLabel = "text|json")
	void format(String value) {
		if (!value.equals("text") && !value.equals("json")) {
			throw new ParameterException(command.commandLine(), "unknown format '" + value + "': use text or json");
		}
		json = value.equals("json");
	}

	@Override
	protected int run(List<Path> files) {
		List<FileResult> results = service().specs().check(files, f -> session.currentFile = session.display(f), CancelIndicator.NullImpl);
		List<Object> docs = new ArrayList<>();
		List<Diagnostic> problems = new ArrayList<>();
		for (FileResult r : results) {
			session.currentFile = r.displayName();
			List<Diagnostic> found = new ArrayList<>(r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList());
			Model spec = CheckService.specOf(r.resource());
			List<ExecModel> models = found.isEmpty() && spec != null ? service().compile(spec, r.displayName(), () -> false, found) : null;
			found.forEach(d -> session.err.println(d.format()));
			problems.addAll(found);
			for (ExecModel m : models == null ? List.<ExecModel>of() : models) {
				if (json) {
					docs.add(ModelPrinter.json(m));
				} else {
					session.out.println(ModelPrinter.text(m));
				}
			}
		}
		session.currentFile = null;
		if (json) {
			session.out.print(JsonText.write(docs));
		}
		return exitOf(problems);
	}
}
