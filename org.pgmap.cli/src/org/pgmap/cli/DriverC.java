package org.pgmap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.pgmap.cli.extract.ExtractScript;
import org.pgmap.dsl.library.PgmapLibrary;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Helper;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** What extract and conform share: a driver's C read into extract.py's JSON, and what the library's cores offer. */
final class DriverC {

	private DriverC() {
	}

	/** The extraction of the C files, or of the JSON file extract.py wrote before ({@code fromJson}, when not null). */
	static JsonObject extraction(String fromJson, List<Path> cFiles, String era, boolean allowNoOps, int timeout)
			throws ExtractScript.ScriptError {
		if (fromJson == null) {
			return ExtractScript.run(cFiles, era, allowNoOps, timeout);
		}
		try {
			return JsonParser.parseString(Files.readString(Path.of(fromJson), StandardCharsets.UTF_8)).getAsJsonObject();
		} catch (IOException | InvalidPathException | JsonParseException | IllegalStateException e) {
			throw new ExtractScript.ScriptError(fromJson + ": not an extraction (" + e.getMessage() + ")");
		}
	}

	/** The helpers each core of the library declares (a call of zone_device_page_init is kept only where the era has it). */
	static Map<String, Set<String>> coreHelpers(Session session) {
		Map<String, Set<String>> result = new LinkedHashMap<>();
		for (Core c : session.injector().getInstance(PgmapLibrary.class).cores()) {
			Set<String> names = new TreeSet<>();
			for (Helper h : c.getHelpers()) {
				names.add(h.getName());
			}
			result.put(c.getName(), names);
		}
		return result;
	}
}
