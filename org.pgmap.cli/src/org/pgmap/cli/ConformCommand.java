package org.pgmap.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.pgmap.cli.extract.Conform;
import org.pgmap.cli.extract.ExtractScript;
import org.pgmap.cli.extract.SpecWriter;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.engine.Escape;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pgmap conform SPEC FILE.c...}: where the C's order of the protocol steps differs from the
 * spec, which states the intended protocol ({@link Conform}); each finding on its C line as
 * {@code FILE.c:LINE: warning: [conform-...] ...}. Exit 1 with findings, 0 without, 2 when the
 * spec does not parse or the C cannot be extracted.
 */
@Command(name = "conform")
public final class ConformCommand implements Callable<Integer> {

	@ParentCommand
	private PgmapCommand root;

	@Parameters(paramLabel = "SPEC FILE.c")
	private List<String> arguments = new ArrayList<>();

	@Option(names = "--type", paramLabel = "TYPE")
	private String type;

	@Option(names = "--from-json", paramLabel = "FILE.json")
	private String fromJson;

	@Option(names = "--timeout", paramLabel = "SECONDS")
	private int timeout = 300;

	@Override
	public Integer call() {
		Session session = root.session();
		if (arguments.isEmpty() || (arguments.size() < 2 && fromJson == null)) {
			return session.usage("conform needs a spec and the driver's C files: pgmap conform SPEC FILE.c...");
		}
		Path specFile;
		List<Path> cFiles = new ArrayList<>();
		try {
			specFile = Path.of(arguments.get(0));
			for (String f : arguments.subList(1, arguments.size())) {
				Path p = Path.of(f);
				if (fromJson == null && !Files.isRegularFile(p)) {
					session.err.println("pgmap conform: error: " + Escape.printable(f) + ": " + (Files.exists(p) ? "not a regular file" : "no such file"));
					return PgmapCli.USAGE;
				}
				cFiles.add(p);
			}
		} catch (InvalidPathException e) {
			return session.usage(e.getMessage());
		}
		if (!Files.isRegularFile(specFile)) {
			session.err.println("pgmap conform: error: " + Escape.printable(arguments.get(0)) + ": no such spec file");
			return PgmapCli.USAGE;
		}
		CheckService service = session.injector().getInstance(CheckService.class);
		List<FileResult> checked = service.specs().check(List.of(specFile));
		FileResult spec = checked.get(0);
		List<Diagnostic> errors = spec.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
		Model model = CheckService.specOf(spec.resource());
		if (!errors.isEmpty() || model == null) {
			for (Diagnostic d : errors) {
				session.err.println(session.display(specFile) + ":" + d.line() + ":" + d.column() + ": error: [" + d.id() + "] " + d.message());
			}
			session.err.println("pgmap conform: error: " + session.display(specFile) + " has errors (pgmap check shows them); conform needs a valid spec");
			return PgmapCli.USAGE;
		}
		String era = model.getHeader() != null && model.getHeader().getCore() != null ? model.getHeader().getCore().getName() : null;
		String specType = type;
		if (specType == null) {
			for (var e : model.getElements()) {
				if (e instanceof Pagemap p) {
					specType = p.getType().getLiteral();
					break;
				}
			}
		}
		JsonObject extraction;
		try {
			extraction = DriverC.extraction(fromJson, cFiles, era, true, timeout);
		} catch (ExtractScript.ScriptError e) {
			session.err.println("pgmap conform: error: " + Escape.printable(e.getMessage()));
			return PgmapCli.USAGE;
		}
		SpecWriter.Result written;
		try {
			java.util.Set<String> named = new java.util.LinkedHashSet<>();
			for (var e : model.getElements()) {
				if (e instanceof org.pgmap.dsl.pgmap.Driver d) {
					for (var m : d.getMembers()) {
						if (m instanceof org.pgmap.dsl.pgmap.Procedure p) {
							named.add(p.getName());
						}
					}
				}
			}
			written = SpecWriter.write(extraction, new SpecWriter.Options(era, specType, 2, named), DriverC.coreHelpers(session));
		} catch (SpecWriter.ExtractError e) {
			session.err.println("pgmap conform: error: " + Escape.printable(e.getMessage()));
			return PgmapCli.USAGE;
		}
		Model fromC;
		try {
			XtextResourceSet set = session.injector().getInstance(XtextResourceSet.class);
			Resource r = set.createResource(URI.createURI("synthetic:/extracted-from-c.pgmap"));
			r.load(new ByteArrayInputStream(written.text().getBytes(StandardCharsets.UTF_8)), set.getLoadOptions());
			org.eclipse.emf.ecore.util.EcoreUtil.resolveAll(set);
			fromC = r.getContents().isEmpty() ? null : (Model) r.getContents().get(0);
		} catch (IOException e) {
			session.err.println("pgmap conform: error: the spec extracted from the C does not load: " + e.getMessage());
			return PgmapCli.USAGE;
		}
		if (fromC == null) {
			session.err.println("pgmap conform: error: the spec extracted from the C is empty");
			return PgmapCli.USAGE;
		}
		Map<String, String> names = new LinkedHashMap<>();
		for (Path c : cFiles) {
			names.put(c.getFileName().toString(), session.display(c));
		}
		List<Conform.Finding> findings = Conform.compare(model, session.display(specFile), fromC, written.text(), names);
		for (Conform.Finding f : findings) {
			session.out.println((f.file() != null ? Escape.printable(f.file()) : "?") + ":" + f.line() + ": warning: [" + f.id() + "] " + Escape.printable(f.message()));
		}
		session.out.println("pgmap conform: " + findings.size() + " finding" + (findings.size() == 1 ? "" : "s") + " (" + session.display(specFile) + " against "
				+ String.join(" ", names.values()) + ")");
		return findings.isEmpty() ? PgmapCli.OK : PgmapCli.FINDINGS;
	}
}
