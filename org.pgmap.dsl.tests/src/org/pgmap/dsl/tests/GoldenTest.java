package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.generator.CGenerator;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.PromelaGenerator;
import org.pgmap.engine.model.ExecModel;

import com.google.inject.Inject;

/**
 * The generated C and Promela of every example, byte for byte against the files in golden/.
 * A change to a generator shows up as a readable diff of these files; regenerate them with
 * {@code ./mvnw verify -Dpgmap.golden.update=true}.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class GoldenTest {

	@Inject
	private SpecChecker checker;

	static Path golden() {
		return Specs.root().resolve("org.pgmap.dsl.tests/golden");
	}

	/** file name -> content for one example: its C module(s), Kbuild and one Promela model per scenario. */
	private Map<String, String> generate(FileResult r) {
		Model model = (Model) r.resource().getContents().get(0);
		List<ExecModel> models = ModelCompiler.compile(model);
		TreeSet<String> violated = new TreeSet<>();
		for (ExecModel m : models) {
			Checker.check(m, Limits.DEFAULT, () -> false).violations().forEach(v -> violated.add(v.rule().name()));
		}
		Map<String, String> files = new LinkedHashMap<>(
				CGenerator.generate(model, r.file().getFileName().toString(), new ArrayList<>(violated)));
		for (ExecModel m : models) {
			files.put(CGenerator.ident(m.spec()) + "." + CGenerator.ident(m.scenario()) + ".pml", PromelaGenerator.generate(m));
		}
		return files;
	}

	@Test
	public void generatedCodeMatchesTheGoldenFiles() throws Exception {
		boolean update = Boolean.getBoolean("pgmap.golden.update");
		int compared = 0;
		java.util.Set<Path> expected = new java.util.HashSet<>();
		for (FileResult r : checker.check(Specs.exampleFiles())) {
			assertFalse(r.hasErrors(), r.diagnostics().toString());
			Model model = (Model) r.resource().getContents().get(0);
			Path dir = golden().resolve(CGenerator.ident(model.getHeader().getName()));
			for (Map.Entry<String, String> f : generate(r).entrySet()) {
				expected.add(dir.resolve(f.getKey()));
				Path file = dir.resolve(f.getKey());
				if (update) {
					Files.createDirectories(dir);
					Files.writeString(file, f.getValue());
				}
				assertTrue(Files.exists(file), file + " is missing: run ./mvnw verify -Dpgmap.golden.update=true");
				assertEquals(Files.readString(file), f.getValue(), file + " differs from what the generator writes now");
				compared++;
			}
		}
		assertTrue(compared >= 3 * Specs.exampleFiles().size(), "C, header, Kbuild and Promela per example: " + compared);
		// no golden file of an example or scenario that is gone
		try (var walk = Files.walk(golden())) {
			for (Path f : walk.filter(Files::isRegularFile).sorted(java.util.Comparator.reverseOrder()).toList()) {
				if (!expected.contains(f)) {
					if (update) {
						Files.delete(f);
					} else {
						throw new AssertionError(f + " belongs to no example any more: run ./mvnw verify -Dpgmap.golden.update=true");
					}
				}
			}
		}
	}

	@Test
	public void aFailingSpecsCodeSaysSoAtTheTop() throws Exception {
		FileResult r = checker.check(List.of(Specs.examples().resolve("test_hmm/v6_0.pgmap"))).get(0);
		String c = generate(r).get("dmirror_driver_pgmap.c");
		assertTrue(c.startsWith("// SPDX-License-Identifier: GPL-2.0\n/*\n * WARNING: spec test_hmm_v6_0 FAILS its model check: R1, R2, R4, R6, R8."), c);
	}

	@Test
	public void specNamesCannotLeaveTheOutputFolder() {
		assertEquals("___etc_passwd", CGenerator.ident("../etc/passwd"));
		assertEquals("_9lives", CGenerator.ident("9lives"));
	}
}
