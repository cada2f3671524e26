package org.pgmap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.pgmap.cli.extract.ExtractScript;
import org.pgmap.cli.extract.SpecWriter;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.engine.Escape;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pgmap extract FILE.c... --out DIR}: reads a driver's C with Coccinelle (the bundle's
 * extract/ scripts, run with spatch) and writes {@code DIR/<first file's stem>.pgmap}, a spec of
 * the driver ({@link SpecWriter}), then runs the static checks on it. An existing file is not
 * overwritten unless {@code --force}; the file is written to a temporary file and renamed.
 * {@code --from-json FILE} takes an extraction extract.py wrote before (no spatch needed).
 */
@Command(name = "extract")
public final class ExtractCommand implements Callable<Integer> {

	@ParentCommand
	private PgmapCommand root;

	@Parameters(paramLabel = "FILE.c")
	private List<String> files = new ArrayList<>();

	@Option(names = "--out", paramLabel = "DIR")
	private String out;

	@Option(names = "--era", paramLabel = "NAME")
	private String era;

	@Option(names = "--type", paramLabel = "TYPE")
	private String type;

	@Option(names = "--pages", paramLabel = "N")
	private int pages = 2;

	@Option(names = "--allow-no-ops", arity = "0")
	private boolean allowNoOps;

	@Option(names = "--force", arity = "0")
	private boolean force;

	@Option(names = "--from-json", paramLabel = "FILE.json")
	private String fromJson;

	@Option(names = "--timeout", paramLabel = "SECONDS")
	private int timeout = 300;

	@Override
	public Integer call() {
		Session session = root.session();
		if (out == null) {
			return session.usage("extract needs --out DIR");
		}
		if (files.isEmpty() && fromJson == null) {
			return session.usage("extract needs the driver's C files (or --from-json FILE.json)");
		}
		if (pages < 1 || pages > 64) {
			return session.usage("--pages " + pages + ": give 1 to 64");
		}
		if (timeout < 1 || timeout > 3600) {
			return session.usage("--timeout " + timeout + ": give 1 to 3600 seconds");
		}
		Path outDir;
		List<Path> cFiles = new ArrayList<>();
		try {
			outDir = Path.of(out);
			for (String f : files) {
				Path p = Path.of(f);
				if (!Files.isRegularFile(p)) {
					session.err.println("pgmap extract: error: " + Escape.printable(f) + ": " + (Files.exists(p) ? "not a regular file" : "no such file"));
					return PgmapCli.USAGE;
				}
				cFiles.add(p);
			}
		} catch (InvalidPathException e) {
			return session.usage(e.getMessage());
		}
		JsonObject extraction;
		try {
			extraction = DriverC.extraction(fromJson, cFiles, era, allowNoOps, timeout);
		} catch (ExtractScript.ScriptError e) {
			session.err.println("pgmap extract: error: " + Escape.printable(e.getMessage()));
			return PgmapCli.USAGE;
		}
		SpecWriter.Result result;
		try {
			result = SpecWriter.write(extraction, new SpecWriter.Options(era, type, pages), DriverC.coreHelpers(session));
		} catch (SpecWriter.ExtractError e) {
			session.err.println("pgmap extract: error: " + Escape.printable(e.getMessage()));
			return PgmapCli.USAGE;
		}
		String stem = stem(extraction, cFiles);
		Path target = outDir.resolve(stem + ".pgmap");
		try {
			Files.createDirectories(outDir);
			if (Files.isSymbolicLink(target)) {
				session.err.println("pgmap extract: error: " + Escape.printable(target.toString()) + " is a symbolic link; pgmap does not write through links");
				return PgmapCli.USAGE;
			}
			if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
				session.err.println("pgmap extract: error: " + Escape.printable(target.toString())
						+ " exists; it is not overwritten (--force replaces it, or choose another --out)");
				return PgmapCli.USAGE;
			}
			Path tmp = Files.createTempFile(outDir, "." + stem, ".tmp");
			try {
				Files.writeString(tmp, result.text(), StandardCharsets.UTF_8);
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			} finally {
				Files.deleteIfExists(tmp);
			}
		} catch (IOException e) {
			session.err.println("pgmap extract: error: cannot write " + Escape.printable(target.toString()) + ": " + e.getMessage());
			return PgmapCli.USAGE;
		}
		for (String w : result.warnings()) {
			session.err.println("pgmap extract: warning: " + Escape.printable(w));
		}
		// the static checks of the spec written
		List<FileResult> checked = session.injector().getInstance(org.pgmap.dsl.check.CheckService.class).specs().check(List.of(target));
		int errors = 0;
		for (FileResult r : checked) {
			for (Diagnostic d : r.diagnostics()) {
				session.err.println(session.display(target) + ":" + d.line() + ":" + d.column() + ": " + d.severity().name().toLowerCase()
						+ ": [" + d.id() + "] " + d.message());
				if (d.severity() == Severity.ERROR) {
					errors++;
				}
			}
		}
		session.out.println("pgmap extract: wrote " + session.display(target) + " (core " + result.era() + ", " + result.type() + "; "
				+ result.unknown() + " unknown statement" + (result.unknown() == 1 ? "" : "s") + ", " + result.warnings().size()
				+ " warning" + (result.warnings().size() == 1 ? "" : "s") + (errors > 0 ? ", " + errors + " error" + (errors == 1 ? "" : "s")
						+ " of the static checks: edit the spec" : "") + "); next: pgmap check " + session.display(target));
		return errors > 0 ? PgmapCli.FINDINGS : PgmapCli.OK;
	}

	/** The spec's file name: the first C file's stem, made of safe characters only. */
	private static String stem(JsonObject extraction, List<Path> cFiles) {
		String name;
		if (!cFiles.isEmpty()) {
			name = cFiles.get(0).getFileName().toString();
		} else if (extraction.has("files") && !extraction.getAsJsonArray("files").isEmpty()) {
			name = Path.of(extraction.getAsJsonArray("files").get(0).getAsJsonObject().get("file").getAsString()).getFileName().toString();
		} else {
			name = "driver";
		}
		if (name.endsWith(".c")) {
			name = name.substring(0, name.length() - 2);
		}
		String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^[.-]+", "");
		return safe.isEmpty() ? "driver" : safe;
	}
}
