package org.pgmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.TraceSvg;

/**
 * {@code check --trace-dir DIR}: each violation's trace as {@code DIR/<spec>.<scenario>.<rule>.txt}
 * (the finding and its steps) and {@code .svg} (a lane per thread), written as generate writes,
 * through {@link OutputFolder}: atomically, never through a link.
 */
final class TraceFiles {
	private TraceFiles() {
	}

	/** Writes the traces; returns what went wrong, or null. */
	static String write(Path traceDir, List<CheckReport.Scenario> scenarios) {
		Map<String, String> files = new LinkedHashMap<>();
		for (CheckReport.Scenario s : scenarios) {
			for (int i = 0; i < s.violations().size(); i++) {
				Diagnostic v = s.violations().get(i); // the finding of the checker's i-th violation
				String base = safe(s.model().spec()) + "." + safe(s.model().scenario()) + "." + safe(v.rule().name());
				StringBuilder text = new StringBuilder();
				text.append(v.format()).append('\n');
				for (TraceStep step : v.trace()) {
					text.append(TextReporter.stepLine(step)).append('\n');
				}
				files.put(base + ".txt", text.toString());
				files.put(base + ".svg", TraceSvg.render(s.model(), s.report().violations().get(i)));
			}
		}
		try {
			Files.createDirectories(traceDir); // the folder itself is the user's choice, a link to one included
			new OutputFolder(traceDir).write(traceDir, files);
			return null;
		} catch (IOException e) {
			return "cannot write traces to " + traceDir + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
		} catch (OutputFolder.WriteError e) {
			return "cannot write traces: " + e.getMessage();
		}
	}

	/** Names from specs become file names: letters, digits, '_', '-' only, so nothing leaves the folder. */
	static String safe(String name) {
		String s = name.replaceAll("[^A-Za-z0-9_-]", "_");
		return s.isEmpty() ? "_" : s;
	}
}
