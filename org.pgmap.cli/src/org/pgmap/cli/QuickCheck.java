package org.pgmap.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code pgmap check} without picocli, for the arguments it is usually given: picocli builds its
 * model of a command by reflection, a tenth of a second or more of a start that the front-end
 * cache otherwise brings well under half a second. Only plain forms are taken here (PATHs not
 * beginning with '-', the check's options by their full names, a value given after a space or an
 * '=', {@code --}); anything else, and any value an option refuses, returns null and the
 * arguments go to picocli, which says what is wrong with them as it always did. Once parsed, the
 * check is {@link CheckCommand}'s, the same as through picocli.
 */
final class QuickCheck {
	private QuickCheck() {
	}

	/** Runs {@code check ARGS}, or returns null when picocli should parse them. */
	static Integer run(Session session, String[] args) {
		CheckCommand check = new CheckCommand();
		ModelCheckOptions limits = new ModelCheckOptions();
		List<String> paths = new ArrayList<>();
		boolean debug = false;
		boolean staticOnly = false;
		boolean noCache = false;
		boolean onlyPaths = false;
		try {
			for (int i = 1; i < args.length; i++) {
				String a = args[i];
				if (a.isEmpty() || a.startsWith("-") && (onlyPaths || a.equals("-"))) {
					return null;
				}
				if (onlyPaths || !a.startsWith("-")) {
					paths.add(a);
					continue;
				}
				if (a.equals("--")) {
					onlyPaths = true;
					continue;
				}
				int eq = a.indexOf('=');
				String name = eq > 0 ? a.substring(0, eq) : a;
				String value = eq > 0 ? a.substring(eq + 1) : null;
				switch (name) {
				case "--static", "--no-cache", "--debug", "--no-partial-order", "--no-symmetry", "--hash-compaction" -> {
					if (value != null) {
						return null;
					}
					switch (name) {
					case "--static" -> staticOnly = true;
					case "--no-cache" -> noCache = true;
					case "--debug" -> debug = true;
					case "--no-partial-order" -> limits.noPartialOrder(true);
					case "--no-symmetry" -> limits.noSymmetry(true);
					default -> limits.hashCompaction(true);
					}
				}
				case "--format", "--trace-dir", "--max-states", "--max-seconds", "--max-memory", "--workers" -> {
					if (value == null) {
						if (i + 1 >= args.length || args[i + 1].startsWith("-") || args[i + 1].isEmpty()) {
							return null;
						}
						value = args[++i];
					}
					switch (name) {
					case "--format" -> check.format(value);
					case "--trace-dir" -> check.traceDir(value);
					case "--max-states" -> limits.maxStates(value);
					case "--max-seconds" -> limits.maxSeconds(value);
					case "--max-memory" -> limits.maxMemory(value);
					default -> limits.workers(value);
					}
				}
				default -> {
					return null;
				}
				}
			}
		} catch (RuntimeException e) {
			return null; // a value an option refuses: picocli says what is wrong with it
		}
		check.set(limits, staticOnly, noCache);
		return check.execute(session, "check", paths, debug);
	}
}
