package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Breach;
import org.pgmap.engine.Explorer;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;
import org.pgmap.engine.Explorer.Result;
import org.pgmap.engine.Explorer.Trace;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.Interpreter;
import org.pgmap.engine.ModelError;
import org.pgmap.engine.Rule;
import org.pgmap.engine.model.ExecModel;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * The reductions are sound: on every example and on more than a thousand random small specs,
 * the verdict and the set of violated rules (root causes and consequences) are the same with
 * each reduction on as with none, and every trace of a reduced search is a run of the unreduced
 * model that ends in the violation it names.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ReductionsTest {

	static final Limits LIMITS = new Limits(100_000, 60, 1L << 30);

	/**
	 * Each reduction alone, all of them, hash compaction, and 2 workers (the sharded store) with
	 * no reduction, with hash compaction and with both reductions: each 2-worker variant is also
	 * compared with the same search on 1 worker ({@link #sameAsOneWorker}).
	 */
	static final List<Options> VARIANTS = List.of(Options.NONE.withPartialOrder(true), Options.NONE.withSymmetry(true),
			Options.NONE.withPartialOrder(true).withSymmetry(true), Options.NONE.withHashCompaction(true),
			Options.NONE.withWorkers(2), Options.NONE.withWorkers(2).withHashCompaction(true),
			Options.DEFAULT.withWorkers(2), Options.DEFAULT.withWorkers(2).withHashCompaction(true));

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private SpecChecker checker;

	@Test
	public void everyExampleHasTheSameVerdictAndRulesWithEveryReduction() {
		int models = 0;
		for (FileResult r : checker.check(Specs.exampleFiles())) {
			for (ExecModel m : ModelCompiler.compile((Model) r.resource().getContents().get(0))) {
				assertTrue(agree(m, r.file().toString()) != null, r.file() + " is decided without reduction");
				models++;
			}
		}
		assertTrue(models >= 15, "models: " + models);
	}

	@Test
	public void aThousandRandomSpecsHaveTheSameVerdictAndRulesWithEveryReduction() throws Exception {
		RandomSpecs specs = new RandomSpecs(20261202L);
		XtextResourceSet set = resourceSets.get();
		int checked = 0;
		int failing = 0;
		int reducedBySymmetry = 0;
		int reducedByPartialOrder = 0;
		int invalid = 0;
		for (int i = 0; checked < 1000 && i < 4000; i++) {
			String text = specs.next(i);
			XtextResource resource = (XtextResource) set.createResource(URI.createURI("random/r" + i + ".pgmap"));
			try {
				resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
				List<Diagnostic> d = checker.validate(resource, "r" + i + ".pgmap", CancelIndicator.NullImpl);
				if (d.stream().anyMatch(x -> x.severity() == Diagnostic.Severity.ERROR)) {
					invalid++;
					continue;
				}
				for (ExecModel m : ModelCompiler.compile((Model) resource.getContents().get(0))) {
					long[] saved;
					try {
						saved = agree(m, text);
					} catch (ModelError e) {
						invalid++; // a start block that waits or breaks a rule: the CLI reports it on its line
						continue;
					}
					if (saved == null) {
						continue;
					}
					checked++;
					failing += saved[0] == 1 ? 1 : 0;
					reducedByPartialOrder += saved[1] < saved[3] ? 1 : 0;
					reducedBySymmetry += saved[2] < saved[3] ? 1 : 0;
				}
			} finally {
				resource.unload();
				set.getResources().remove(resource);
			}
		}
		System.out.println("reductions: " + checked + " random specs agree (" + failing + " failing, " + invalid
				+ " generated specs invalid and skipped); partial order saved states on " + reducedByPartialOrder
				+ ", symmetry on " + reducedBySymmetry);
		assertTrue(checked >= 1000, "random specs checked: " + checked + " (invalid: " + invalid + ")");
		// the sample is not trivial: both verdicts, and each reduction actually reduces on many
		assertTrue(failing > 100 && failing < checked - 100, "failing: " + failing);
		assertTrue(reducedBySymmetry > 100, "symmetry reduced: " + reducedBySymmetry);
		assertTrue(reducedByPartialOrder > 100, "partial order reduced: " + reducedByPartialOrder);
	}

	/** test_hmm on v6.1 with 4 identical threads and 4 pages: the scenario kernel developers write, decided. */
	@Test
	public void fourThreadsByFourPagesIsDecidedWithTheReductions() throws Exception {
		String text = Specs.read(example("test_hmm/v6_1.pgmap")).replace("pages 2 ops", "pages 4 ops")
				.replace("thread user[2]", "thread user[4]");
		XtextResourceSet set = resourceSets.get();
		XtextResource resource = (XtextResource) set.createResource(URI.createURI("scale/t4p4.pgmap"));
		resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
		assertTrue(checker.validate(resource, "t4p4.pgmap", CancelIndicator.NullImpl).stream()
				.noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR));
		ExecModel m = ModelCompiler.compile((Model) resource.getContents().get(0)).get(0);
		Checker.Report report = Checker.check(m, new Limits(1_000_000, 600, 2L << 30), () -> false);
		assertEquals(Verdict.PASS, report.verdict(), String.valueOf(report.incompleteReason()));
		// threads and pages both interchangeable: far fewer states than the 4!-fold orbits of each
		assertTrue(report.statistics().symmetry().contains("threads user[0] user[1] user[2] user[3]"), report.statistics().symmetry());
		assertTrue(report.statistics().symmetry().contains("pages dmirror[0] dmirror[1] dmirror[2] dmirror[3]"), report.statistics().symmetry());
		assertTrue(report.statistics().states() < 50_000, "states: " + report.statistics().states());
		// without the reductions the same search stops at the limit (2,584,169 states in all)
		Checker.Report plain = Checker.check(m, new Limits(200_000, 600, 2L << 30), Options.NONE, () -> false);
		assertEquals(Verdict.INCOMPLETE, plain.verdict());
	}

	/**
	 * test_hmm on v6.1 with 8 identical threads and 8 pages, the size issue 13 asks for: decided.
	 * The partial-order reduction does most of it: a thread's steps on the page it allocated and
	 * its steps inside the free list's critical section do not interleave with the others'.
	 */
	@Test
	public void eightThreadsByEightPagesIsDecidedAndPartialOrderDoesTheWork() throws Exception {
		ExecModel m8 = scaled(8, 8);
		Checker.Report report = Checker.check(m8, new Limits(2_000_000, 600, 3L << 30), () -> false);
		assertEquals(Verdict.PASS, report.verdict(), String.valueOf(report.incompleteReason()));
		assertTrue(report.statistics().states() < 400_000, "states: " + report.statistics().states());
		// on 4 x 4 the reduction by independence saves more than symmetry alone leaves
		ExecModel m4 = scaled(4, 4);
		long both = Checker.check(m4, LIMITS, Options.DEFAULT, () -> false).statistics().states();
		long symmetryOnly = Checker.check(m4, LIMITS, Options.DEFAULT.withPartialOrder(false), () -> false).statistics().states();
		assertTrue(both * 5 < symmetryOnly, "with partial order " + both + ", symmetry only " + symmetryOnly);
	}

	private ExecModel scaled(int threads, int pages) throws Exception {
		String text = Specs.read(example("test_hmm/v6_1.pgmap")).replace("pages 2 ops", "pages " + pages + " ops")
				.replace("thread user[2]", "thread user[" + threads + "]");
		XtextResourceSet set = resourceSets.get();
		XtextResource resource = (XtextResource) set.createResource(URI.createURI("scale/t" + threads + "p" + pages + ".pgmap"));
		resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
		assertTrue(checker.validate(resource, "scaled.pgmap", CancelIndicator.NullImpl).stream()
				.noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR));
		return ModelCompiler.compile((Model) resource.getContents().get(0)).get(0);
	}

	/** Hash compaction states the probability that it missed a state; the exact store does not guess. */
	@Test
	public void hashCompactionStatesItsCollisionProbability() {
		FileResult r = checker.check(List.of(example("test_hmm/v6_1.pgmap"))).get(0);
		ExecModel m = ModelCompiler.compile((Model) r.resource().getContents().get(0)).get(0);
		Checker.Report exact = Checker.check(m, LIMITS, Options.NONE, () -> false);
		Checker.Report compact = Checker.check(m, LIMITS, Options.NONE.withHashCompaction(true), () -> false);
		assertEquals(0.0, exact.statistics().collisionProbability());
		double n = compact.statistics().states();
		assertEquals(n * n / Math.pow(2, 65), compact.statistics().collisionProbability(), 1e-30);
		assertTrue(compact.statistics().collisionProbability() > 0 && compact.statistics().collisionProbability() < 1e-9);
		assertEquals(exact.statistics().states(), compact.statistics().states());
		assertTrue(compact.statistics().bytes() < exact.statistics().bytes(),
				compact.statistics().bytes() + " vs " + exact.statistics().bytes());
	}

	/**
	 * Checks the model without reduction and with each variant; asserts they agree and every trace
	 * replays. Returns null when the unreduced search is incomplete, else {failed ? 1 : 0, states
	 * with partial order, states with symmetry, states without reduction}.
	 */
	static long[] agree(ExecModel m, String what) {
		Interpreter in = new Interpreter(m);
		Result<Breach> base = new Explorer<>(in, Checker.property(in), LIMITS, Options.NONE, () -> false).run();
		if (base.incompleteReason() != null) {
			return null; // stopped at a limit: the reduced searches may see more of the space
		}
		TreeSet<String> rules = ids(base);
		for (Map.Entry<Breach, Trace<Breach>> e : base.violations().entrySet()) {
			replay(in, e.getKey(), e.getValue(), what);
		}
		long[] states = new long[VARIANTS.size()];
		Map<Options, Result<Breach>> results = new java.util.HashMap<>();
		results.put(Options.NONE, base);
		for (int v = 0; v < VARIANTS.size(); v++) {
			Options o = VARIANTS.get(v);
			Result<Breach> r = new Explorer<>(in, Checker.property(in), LIMITS, o, () -> false).run();
			results.put(o, r);
			String where = what + "\nwith " + o.describe() + ": " + ids(r) + " vs " + rules;
			assertEquals(null, r.incompleteReason(), where);
			assertEquals(base.verdict(), r.verdict(), where);
			assertEquals(rules, ids(r), where);
			if (!o.symmetry()) {
				// a reduction explores a subset of the reachable states; a symmetry representative
				// need not be reachable (ties keep their order, ModelSymmetry), so only its verdict counts
				assertTrue(r.statistics().states() <= base.statistics().states(), where);
			}
			for (Map.Entry<Breach, Trace<Breach>> e : r.violations().entrySet()) {
				replay(in, e.getKey(), e.getValue(), where);
			}
			states[v] = r.statistics().states();
		}
		for (Options o : VARIANTS) {
			if (o.workers() > 1) {
				Options one = o.withWorkers(1);
				Result<Breach> single = results.computeIfAbsent(one, x -> new Explorer<>(in, Checker.property(in), LIMITS, x, () -> false).run());
				sameAsOneWorker(single, results.get(o), what + "\nwith " + o.describe());
			}
		}
		return new long[] { base.verdict() == Verdict.FAIL ? 1 : 0, states[0], states[1], base.statistics().states() };
	}

	/**
	 * The sharded store with several workers against one worker: the same verdict, states,
	 * transitions, depth, violations and trace lengths; with the exact store the same traces.
	 */
	static void sameAsOneWorker(Result<Breach> one, Result<Breach> many, String where) {
		assertEquals(one.verdict(), many.verdict(), where);
		assertEquals(one.statistics().states(), many.statistics().states(), where);
		assertEquals(one.statistics().transitions(), many.statistics().transitions(), where);
		assertEquals(one.statistics().depth(), many.statistics().depth(), where);
		assertEquals(one.violations().keySet(), many.violations().keySet(), where);
		boolean exact = !many.statistics().options().contains("hash-compaction");
		for (Map.Entry<Breach, Trace<Breach>> e : one.violations().entrySet()) {
			List<Explorer.Step> x = e.getValue().steps();
			List<Explorer.Step> y = many.violations().get(e.getKey()).steps();
			assertEquals(x.size(), y.size(), e.getKey() + ": " + where);
			for (int i = 0; exact && i < x.size(); i++) {
				assertEquals(x.get(i).thread(), y.get(i).thread(), e.getKey() + " step " + i + ": " + where);
				assertArrayEquals(x.get(i).state(), y.get(i).state(), e.getKey() + " step " + i + ": " + where);
			}
		}
	}

	/**
	 * Bitstate on every example (a bit array far larger than their states, 1 and 2 workers): each
	 * failing example fails with the same violated rules and trace lengths as the exact search,
	 * each trace replays in the unreduced model, and no example passes: a run without violation
	 * is incomplete.
	 */
	@Test
	public void aBitstateSearchFindsEveryExamplesViolationsAndPassesNone() {
		int failing = 0;
		int models = 0;
		for (FileResult r : checker.check(Specs.exampleFiles())) {
			for (ExecModel m : ModelCompiler.compile((Model) r.resource().getContents().get(0))) {
				Interpreter in = new Interpreter(m);
				Result<Breach> exact = new Explorer<>(in, Checker.property(in), LIMITS, Options.DEFAULT, () -> false).run();
				for (int workers = 1; workers <= 2; workers++) {
					Options o = Options.DEFAULT.withWorkers(workers).withBitstate(8);
					Result<Breach> bits = new Explorer<>(in, Checker.property(in), LIMITS, o, () -> false).run();
					String where = r.file() + " " + m.scenario() + " with " + o.describe();
					assertEquals(ids(exact), ids(bits), where);
					if (exact.verdict() == Verdict.FAIL) {
						assertEquals(Verdict.FAIL, bits.verdict(), where);
						for (Map.Entry<Breach, Trace<Breach>> e : bits.violations().entrySet()) {
							assertEquals(exact.violations().get(e.getKey()).steps().size(), e.getValue().steps().size(), where);
							replay(in, e.getKey(), e.getValue(), where);
						}
					} else {
						assertEquals(Verdict.INCOMPLETE, bits.verdict(), where);
						assertTrue(bits.incompleteReason().contains("(bitstate search, not exhaustive)"), where + ": " + bits.incompleteReason());
					}
					assertTrue(bits.statistics().bitstate() != null, where);
				}
				failing += exact.verdict() == Verdict.FAIL ? 1 : 0;
				models++;
			}
		}
		assertTrue(models >= 15 && failing >= 5, models + " models, " + failing + " failing");
	}

	/** Replays a trace step by step in the unreduced model and checks that it ends in its violation. */
	/** The violations found, "R2" for a root cause and "R2~" for a consequence, sorted. */
	static TreeSet<String> ids(Result<Breach> r) {
		TreeSet<String> ids = new TreeSet<>();
		r.violations().keySet().forEach(b -> ids.add(b.rule().name() + (b.rootCause() ? "" : "~")));
		return ids;
	}

	static void replay(Interpreter in, Breach key, Trace<Breach> trace, String where) {
		assertArrayEquals(in.initial(), trace.initial(), where);
		int[] s = trace.initial();
		for (Explorer.Step step : trace.steps()) {
			List<int[]> matching = new ArrayList<>();
			in.successors(s, (thread, statement, next) -> {
				if (thread == step.thread() && statement == step.statement() && java.util.Arrays.equals(next, step.state())) {
					matching.add(next);
				}
			});
			if (matching.isEmpty()) {
				fail("trace of " + key + " is not a run of the unreduced model at step " + trace.steps().indexOf(step) + "\n" + where);
			}
			s = step.state();
		}
		int bit = key.rule().bit();
		if ((s[0] & (1 << bit)) != 0) {
			return;
		}
		boolean[] any = { false };
		in.successors(s, (thread, statement, next) -> any[0] = true);
		boolean[] atEnd = { false };
		if (!any[0]) {
			in.checkEnd(s, b -> atEnd[0] |= b == bit);
		}
		assertTrue(atEnd[0], "trace of " + key + " does not end in its violation\n" + where);
	}

	static Path example(String path) {
		return Specs.examples().resolve(path);
	}
}
