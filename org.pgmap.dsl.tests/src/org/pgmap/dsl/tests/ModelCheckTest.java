package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.model.ExecModel;

import com.google.inject.Inject;

/** The verdicts of the model check on the shipped examples, as their headers state them. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ModelCheckTest {

	@Inject
	private SpecChecker checker;

	private List<Report> check(Path file) {
		FileResult r = checker.check(List.of(file)).get(0);
		assertFalse(r.hasErrors(), r.diagnostics().toString());
		List<ExecModel> models = ModelCompiler.compile((Model) r.resource().getContents().get(0));
		return models.stream().map(m -> Checker.check(m, Limits.DEFAULT, () -> false)).toList();
	}

	static String describe(Report r) {
		StringBuilder sb = new StringBuilder(r.spec() + "/" + r.scenario() + ": " + r.verdict() + " " + r.statistics() + "\n");
		for (Checker.Violation v : r.violations()) {
			sb.append("  ").append(v.rule()).append(v.rootCause() ? "" : " (consequence)").append(" at ").append(v.loc())
					.append(" in ").append(v.trace().size()).append(" steps\n");
			for (Checker.TraceStep s : v.trace()) {
				sb.append("    ").append(s.number()).append(' ').append(s.thread()).append(' ').append(s.loc().file()).append(':')
						.append(s.loc().line()).append(' ').append(s.loc().text()).append(" | ").append(s.changes()).append('\n');
			}
		}
		return sb.toString();
	}

	@Test
	public void everyExampleHasItsExpectedVerdict() {
		StringBuilder all = new StringBuilder();
		for (Path f : Specs.exampleFiles()) {
			Matcher m = ExamplesTest.VERDICT.matcher(Specs.read(f));
			assertTrue(m.find());
			Verdict expected = Verdict.valueOf(m.group(1));
			Set<String> roots = new java.util.TreeSet<>();
			Verdict verdict = Verdict.PASS;
			StringBuilder reports = new StringBuilder();
			for (Report r : check(f)) {
				all.append(describe(r));
				reports.append(describe(r));
				if (r.verdict() != Verdict.PASS) {
					verdict = r.verdict();
				}
				r.violations().stream().filter(Checker.Violation::rootCause).forEach(v -> roots.add(v.rule().name()));
			}
			assertEquals(expected, verdict, f + "\n" + reports);
			assertEquals(new java.util.TreeSet<>(ExamplesTest.statedRootCauses(Specs.read(f))), roots,
					f + ": the root causes its header states\n" + reports);
		}
		System.out.println(all);
	}

	@Test
	public void statesAndShortestTracesAgreeWithABruteForceSearch() {
		FileResult r = checker.check(List.of(Specs.examples().resolve("test_hmm/v6_0.pgmap"))).get(0);
		ExecModel model = ModelCompiler.compile((Model) r.resource().getContents().get(0)).get(0);
		Report report = Checker.check(model, Limits.DEFAULT, org.pgmap.engine.Explorer.Options.NONE, () -> false);
		org.pgmap.engine.Interpreter interpreter = new org.pgmap.engine.Interpreter(model);
		java.util.Map<List<Integer>, Integer> brute = ExplorerTest.bruteForce(interpreter);
		assertEquals(brute.size(), report.statistics().states());
		for (Checker.Violation v : report.violations()) {
			if (!v.rootCause()) {
				continue;
			}
			int bit = v.rule().bit();
			// the shortest path to a state whose violation word first has this rule's bit
			int shortest = brute.entrySet().stream().filter(e -> (e.getKey().get(0) & (1 << bit)) != 0)
					.mapToInt(java.util.Map.Entry::getValue).min().orElseThrow();
			assertEquals(shortest, v.trace().size(), v.rule() + "\n" + describe(report));
		}
	}

	@Test
	public void theSeedRaceGivesR1R2R4R6() {
		for (String name : List.of("v6_0.pgmap", "dan_v2_busy.pgmap")) {
			Report r = check(Specs.examples().resolve("test_hmm").resolve(name)).get(0);
			Set<String> rules = r.violations().stream().map(v -> v.rule().name()).collect(Collectors.toSet());
			assertTrue(rules.containsAll(Set.of("R1", "R2", "R4", "R6")), name + ": " + describe(r));
		}
	}
}
