package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.CheckService.Generation;
import org.pgmap.dsl.check.CheckService.SpecResult;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.ide.check.TraceData;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;
import org.pgmap.engine.Rule;
import org.pgmap.engine.model.Loc;

import com.google.inject.Inject;

/**
 * The one check-and-generate pipeline as its callers see it: typed findings, the generation
 * policy (the same for the CLI and the Eclipse builder), and the trace as it travels to markers.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class PipelineTest {

	@Inject
	private CheckService service;

	private SpecResult check(String example, Limits limits) {
		FileResult file = service.specs().check(List.of(Specs.examples().resolve(example))).get(0);
		assertFalse(file.hasErrors(), file.diagnostics().toString());
		return service.modelCheck(file, limits, Options.DEFAULT, () -> () -> false, f -> f);
	}

	@Test
	public void aViolationIsATypedFindingWithItsRuleRootCauseAndTrace() {
		SpecResult racy = check("test_hmm/v6_0.pgmap", Limits.DEFAULT);
		List<Diagnostic> found = racy.violations(f -> f);
		Diagnostic r1 = found.stream().filter(d -> d.rule() == Rule.R1).findFirst().orElseThrow();
		assertTrue(r1.isViolation() && r1.rootCause(), r1.format());
		assertEquals("R1", r1.id());
		assertEquals(33, r1.line(), r1.format());
		assertEquals("two_migrations", r1.scenario());
		assertEquals(15, r1.trace().size());
		assertTrue(found.stream().anyMatch(d -> d.rule() == Rule.R2 && !d.rootCause()), "R2 follows as a consequence");
		assertTrue(racy.proof().violations().containsAll(List.of("R1", "R2", "R4", "R6", "R8")), racy.proof().violations().toString());
	}

	@Test
	public void theGenerationPolicyIsOneForTheCliAndTheBuilder() {
		SpecResult racy = check("test_hmm/v6_0.pgmap", Limits.DEFAULT);
		assertNull(service.generate(racy, "v6_0.pgmap", false, Generation.ALL_OR_NOTHING), "generate refuses a failing spec");
		Map<String, String> models = service.generate(racy, "v6_0.pgmap", false, Generation.MODELS_ALWAYS);
		assertFalse(models.isEmpty());
		assertTrue(models.keySet().stream().allMatch(n -> n.endsWith(".pml") || n.endsWith(".model.json")), models.keySet().toString());
		assertTrue(models.values().stream().allMatch(text -> text.contains("FAILS its model check")), "every file carries the warning");
		Map<String, String> forced = service.generate(racy, "v6_0.pgmap", true, Generation.ALL_OR_NOTHING);
		assertTrue(forced.keySet().stream().anyMatch(n -> n.endsWith(".c")) && forced.containsKey("Kbuild"), forced.keySet().toString());
		assertTrue(forced.values().stream().allMatch(text -> text.contains("FAILS its model check")), "forced files are marked");

		// a check stopped at a limit proves nothing: no C for the builder either (it used to write it)
		SpecResult cut = check("test_hmm/v6_1.pgmap", new Limits(20, 60, 1L << 30));
		assertFalse(cut.proof().proven());
		assertNull(service.generate(cut, "v6_1.pgmap", false, Generation.ALL_OR_NOTHING));
		Map<String, String> unproven = service.generate(cut, "v6_1.pgmap", false, Generation.MODELS_ALWAYS);
		assertTrue(unproven.keySet().stream().noneMatch(n -> n.endsWith(".c") || n.endsWith(".h") || n.equals("Kbuild")),
				unproven.keySet().toString());
		assertTrue(unproven.values().stream().allMatch(text -> text.contains("UNPROVEN")));

		SpecResult proven = check("test_hmm/v6_1.pgmap", Limits.DEFAULT);
		assertTrue(proven.proof().proven());
		Map<String, String> all = service.generate(proven, "v6_1.pgmap", false, Generation.ALL_OR_NOTHING);
		assertNotNull(all);
		assertTrue(all.keySet().stream().anyMatch(n -> n.endsWith(".c")));
		assertTrue(all.values().stream().noneMatch(text -> text.contains("WARNING: spec")));
	}

	@Test
	public void aTraceTravelsToMarkersAndBackTyped() {
		List<TraceStep> steps = List.of(new TraceStep(1, "user[0]", new Loc("/x/a|b.pgmap", 12, 3, "spin_lock(l)\n  | odd"), "l held; \"x\""),
				new TraceStep(2, "user[1]", Loc.NONE, ""));
		String[] data = TraceData.encode("<svg>\n</svg>", steps);
		TraceData.Decoded back = TraceData.decode(String.join("\n", data));
		assertEquals(steps, back.steps());
		assertEquals("<svg> </svg>", back.svg());
		assertTrue(TraceData.decode("12|user|f|3|x|y").steps().isEmpty(), "an old '|'-joined marker reads as no trace");
	}

	@Test
	public void codesAreDefinedOnce() {
		for (Rule r : Rule.values()) {
			assertTrue(IssueCodes.isModelCheckRule(r.name()), r.name());
			assertEquals(r, Rule.ofBit(r.bit()));
		}
		assertEquals(Rule.WARN, Rule.byId("WARN"));
		assertFalse(IssueCodes.isModelCheckRule(IssueCodes.LOCK_NOT_RELEASED));
		assertFalse(IssueCodes.isModelCheckRule(IssueCodes.INCOMPLETE));
		assertEquals(Rule.R10, IssueCodes.ruleOf(IssueCodes.PGMAP_FIELD_WRITE));
		assertEquals(Rule.R2, IssueCodes.ruleOf(IssueCodes.WRITE_AFTER_PUBLISH));
		assertEquals(Rule.R3, IssueCodes.ruleOf(IssueCodes.READ_AFTER_PUBLISH));
		assertEquals(Rule.R6, IssueCodes.ruleOf(IssueCodes.GET_ON_ZERO));
		assertEquals(Rule.R10, IssueCodes.ruleOf(IssueCodes.LRU_LINKED));
		assertEquals(14, Rule.REFCOUNT_RULES.size());
	}
}
