package org.pgmap.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why generated code must not be trusted: the rules its spec's model check breaks, and the
 * scenarios whose check stopped at a limit (scenario -> reason). Every file that generate
 * writes for such a spec (with --force) carries these lines, as a comment in its language.
 */
public record ProofWarning(String spec, List<String> violations, Map<String, String> incomplete) {

	public ProofWarning {
		violations = List.copyOf(violations);
		incomplete = Map.copyOf(incomplete);
	}

	/** For a spec whose every scenario passed or broke the given rules (none: it is proven). */
	public static ProofWarning of(String spec, List<String> violations) {
		return new ProofWarning(spec, violations, Map.of());
	}

	public boolean proven() {
		return violations.isEmpty() && incomplete.isEmpty();
	}

	public boolean failing() {
		return !violations.isEmpty();
	}

	/** The warning as lines of plain text (no comment markers); empty when the spec is proven. */
	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		if (proven()) {
			return lines;
		}
		if (failing()) {
			lines.add("WARNING: spec " + spec + " FAILS its model check: " + String.join(", ", violations) + ".");
		}
		new TreeMap<>(incomplete).forEach((scenario, reason) -> lines.add("WARNING: spec " + spec
				+ " is UNPROVEN: the model check of scenario " + scenario + " stopped at a limit (" + reason + ")."));
		lines.add(failing() ? "This code implements a racy protocol; do not use it as is."
				: "This code may implement a racy protocol; do not use it as is.");
		return lines;
	}

	/** The warning as one line (for JSON and messages); empty when the spec is proven. */
	public String text() {
		return String.join(" ", lines());
	}
}
