package org.pgmap.cli.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Runs the bundle's {@code extract/extract.py} (Coccinelle's spatch with pgmap's semantic
 * patches) on a driver's C files and returns its JSON. The scripts are copied out of the bundle
 * (a jar at run time) into a fresh temporary folder, which is deleted afterwards; the file names
 * reach Python as argv elements, never through a shell.
 */
public final class ExtractScript {

	/** The files of the bundle's extract/ folder extract.py needs beside it. */
	static final List<String> FILES = List.of("extract.py", "pagemap.cocci", "body.cocci", "pgmap_types.h", "pgmap_macros.h");

	/** extract.py failed with a message for the user (exit 2 of the command). */
	public static final class ScriptError extends Exception {
		private static final long serialVersionUID = 1L;

		public ScriptError(String message) {
			super(message);
		}
	}

	private ExtractScript() {
	}

	/**
	 * The extraction of the C files. {@code timeoutSeconds} bounds each spatch run (extract.py
	 * enforces it) and, times three runs per file plus a minute, the whole script.
	 */
	public static JsonObject run(List<Path> cFiles, String era, boolean allowNoOps, int timeoutSeconds) throws ScriptError {
		Path dir = null;
		try {
			dir = Files.createTempDirectory("pgmap-extract");
			for (String f : FILES) {
				try (InputStream in = ExtractScript.class.getResourceAsStream("/extract/" + f)) {
					if (in == null) {
						throw new ScriptError("extract/" + f + " is missing from the pgmap bundle (a broken installation)");
					}
					Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
				}
			}
			Path out = dir.resolve("out.json");
			List<String> command = new ArrayList<>();
			command.add(System.getenv().getOrDefault("PGMAP_PYTHON", "python3"));
			command.add(dir.resolve("extract.py").toString());
			command.add("--out");
			command.add(out.toString());
			command.add("--timeout");
			command.add(Integer.toString(timeoutSeconds));
			if (era != null) {
				command.add("--era");
				command.add(era);
			}
			if (allowNoOps) {
				command.add("--allow-no-ops");
			}
			command.add("--"); // a file name that starts with '-' is a file
			for (Path c : cFiles) {
				command.add(c.toString());
			}
			ProcessBuilder pb = new ProcessBuilder(command);
			pb.redirectErrorStream(false);
			pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
			Path errFile = dir.resolve("stderr.txt");
			pb.redirectError(errFile.toFile());
			Process p;
			try {
				p = pb.start();
			} catch (IOException e) {
				throw new ScriptError("cannot run " + command.get(0) + " (Python 3 runs the Coccinelle extraction): " + e.getMessage());
			}
			long limit = (long) timeoutSeconds * 3 * cFiles.size() + 60;
			if (!p.waitFor(limit, TimeUnit.SECONDS)) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				throw new ScriptError("the extraction did not end within " + limit + " s; stopped (--timeout sets the seconds per spatch run)");
			}
			String err = Files.readString(errFile, StandardCharsets.UTF_8);
			if (p.exitValue() != 0) {
				String message = lastLine(err, "pgmap extract: error: ");
				if (message == null) {
					throw new ScriptError("extract.py failed (exit " + p.exitValue() + "): " + tail(err));
				}
				throw new ScriptError(message);
			}
			try {
				return JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8)).getAsJsonObject();
			} catch (JsonParseException | IllegalStateException e) {
				throw new ScriptError("extract.py wrote no readable JSON: " + e.getMessage());
			}
		} catch (IOException e) {
			throw new ScriptError("cannot run the extraction: " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ScriptError("interrupted");
		} finally {
			delete(dir);
		}
	}

	/** The message of extract.py's error line (without its prefix), or null. */
	private static String lastLine(String err, String prefix) {
		String found = null;
		for (String line : err.split("\n")) {
			if (line.startsWith(prefix)) {
				found = line.substring(prefix.length()).strip();
			}
		}
		return found;
	}

	private static String tail(String err) {
		String s = err.strip();
		return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
	}

	private static void delete(Path dir) {
		if (dir == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach(f -> {
				try {
					Files.deleteIfExists(f);
				} catch (IOException e) {
					// a temporary file left behind
				}
			});
		} catch (IOException e) {
			// a temporary folder left behind
		}
	}
}
