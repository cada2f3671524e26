package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.check.SpecChecker.FileResult;

import com.google.inject.Inject;

/** The shipped examples parse and validate without errors, and say what they model and expect. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ExamplesTest {

	@Inject
	private SpecChecker checker;

	/** "FAIL, root causes R1, R9 (...)": the verdict, and for a failing example the rules it breaks first. */
	public static final Pattern VERDICT = Pattern.compile(
			"^// Expected verdict of the model check: (PASS|FAIL)(?:, root causes? ((?:R\\d+|WARN)(?:, (?:R\\d+|WARN))*))?",
			Pattern.MULTILINE);

	/** The root causes an example's header states (empty for PASS). */
	public static Set<String> statedRootCauses(String text) {
		Matcher m = VERDICT.matcher(text);
		if (!m.find() || m.group(2) == null) {
			return Set.of();
		}
		return Set.of(m.group(2).split(", "));
	}

	@Test
	public void theSixTestHmmSpecsAreThere() {
		Set<String> names = Specs.pgmapFiles(Specs.examples().resolve("test_hmm")).stream()
				.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
		assertEquals(Set.of("v5_17.pgmap", "v6_0.pgmap", "dan_v2_busy.pgmap", "dan_v2_idle.pgmap", "reorder.pgmap",
				"v6_1.pgmap"), names);
	}

	@Test
	public void everyExampleParsesAndValidatesWithoutErrors() {
		List<Path> files = Specs.exampleFiles();
		assertFalse(files.isEmpty());
		for (FileResult r : checker.check(files)) {
			List<Diagnostic> errors = r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
			assertTrue(errors.isEmpty(), r.file() + ": " + errors);
		}
	}

	@Test
	public void everyExampleHasAHeaderWithItsSourceAndExpectedVerdict() {
		for (Path f : Specs.exampleFiles()) {
			String text = Specs.read(f);
			assertTrue(text.startsWith("// What it models:"), f + " starts with its header comment");
			assertTrue(text.contains("// Kernel source:"), f + " names its kernel source");
			Matcher m = VERDICT.matcher(text);
			assertTrue(m.find(), f + " states its expected verdict");
			assertTrue(m.group(1).equals("PASS") || m.group(2) != null, f + " names the root causes of its FAIL verdict");
		}
	}

	@Test
	public void theRacyCoresAreFlaggedStaticallyOnTheirUsesLine() {
		Path dir = Specs.examples().resolve("test_hmm");
		for (FileResult r : checker.check(List.of(dir.resolve("v6_0.pgmap"), dir.resolve("dan_v2_busy.pgmap"),
				dir.resolve("reorder.pgmap"), dir.resolve("v6_1.pgmap"), dir.resolve("v5_17.pgmap"),
				dir.resolve("dan_v2_idle.pgmap")))) {
			List<Diagnostic> r2 = r.diagnostics().stream().filter(d -> d.id().equals("R2")).toList();
			String name = r.file().getFileName().toString();
			if (name.equals("v6_0.pgmap") || name.equals("dan_v2_busy.pgmap")) {
				assertEquals(1, r2.size(), name + ": " + r.diagnostics());
				List<String> lines = Specs.read(r.file()).lines().toList();
				assertTrue(lines.get(r2.get(0).line() - 1).startsWith("uses core"), "the warning sits on the 'uses core' line");
				assertTrue(r2.get(0).message().contains("set_page_count writes the refcount of page after 'call page_free(page)'"),
						r2.get(0).message());
			} else {
				assertTrue(r2.isEmpty(), name + " has no static R2 finding: " + r2);
			}
		}
	}
}
