package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.formatting2.FormatText;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer.Verdict;

import com.google.inject.Inject;
import com.google.inject.Injector;

/**
 * Actors of the library cores: their signatures in every core, linking and the checks of a thread
 * that runs one, the verdict of each actor in each core on test_hmm's driver, and the equivalence
 * of an actor-based scenario with the hand-written threads it replaces.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ActorsTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	@Inject
	private Injector injector;

	static final List<String> CORES = List.of("v5_17", "v6_0", "dan_v2", "reorder", "v6_1", "v6_15", "folio_2026");

	/** The fixed interface: every core has these actors with these parameters, in this order. */
	static final Map<String, List<String>> SIGNATURES = new LinkedHashMap<>();
	static {
		SIGNATURES.put("migrate_user", List.of("alloc"));
		SIGNATURES.put("alloc_fails", List.of("alloc", "free"));
		SIGNATURES.put("fault_path", List.of("pgmap", "migrate_to_ram"));
		SIGNATURES.put("pfn_walker", List.of("pgmap"));
		SIGNATURES.put("unmapper", List.of("pgmap"));
		SIGNATURES.put("teardown", List.of("pgmap"));
	}

	/**
	 * lib/test_hmm.c's dmirror driver with the hand-off of the core's era, and a scenario of the
	 * given threads; line 1 is the spec line, the scenario's first thread is on line 33.
	 */
	static String dmirror(String core, String threads) {
		String handoff = switch (core) {
		case "v5_17" -> "get_page(page)\n\t\tlock_page(page)";
		case "v6_1", "v6_15" -> "zone_device_page_init(page)\n\t\t";
		case "folio_2026" -> "zone_device_folio_init(page, 0)\n\t\t";
		default -> "lock_page(page)\n\t\t";
		};
		return "spec t\n" // 1
				+ "uses core " + core + "\n" // 2
				+ "pagemap dmirror type MEMORY_DEVICE_PRIVATE pages 2" + (core.equals("dan_v2") ? " init_mode INIT_PAGEMAP_BUSY" : "")
				+ " ops drv\n" // 3
				+ "driver drv {\n" // 4
				+ "\tspinlock l\n" // 5
				+ "\tfreelist fl linked by zone_device_data guarded by l holds dmirror\n" // 6
				+ "\talloc dmirror_alloc() {\n" // 7
				+ "\t\tspin_lock(l)\n" // 8
				+ "\t\tpage = pop(fl) else {\n" // 9
				+ "\t\t\tspin_unlock(l)\n" // 10
				+ "\t\t\treturn none\n" // 11
				+ "\t\t}\n" // 12
				+ "\t\tspin_unlock(l)\n" // 13
				+ "\t\t" + handoff + "\n" // 14, 15
				+ "\t\treturn page\n" // 16
				+ "\t}\n" // 17
				+ "\tproc dmirror_give_back(page) {\n" // 18
				+ "\t\tunlock_page(page)\n" // 19
				+ "\t\tput_page(page)\n" // 20
				+ "\t}\n" // 21
				+ "\top " + (core.equals("folio_2026") ? "folio_free" : "page_free") + " dmirror_free(page) {\n" // 22
				+ "\t\tspin_lock(l)\n" // 23
				+ "\t\tpush(fl, page)\n" // 24
				+ "\t\tspin_unlock(l)\n" // 25
				+ "\t}\n" // 26
				+ "\top migrate_to_ram dmirror_fault(page) {\n" // 27
				+ "\t\tlock_page(page)\n" // 28
				+ "\t\tunlock_page(page)\n" // 29
				+ "\t}\n" // 30
				+ "}\n" // 31
				+ "scenario s {\n" // 32
				+ threads // 33 ...
				+ "}\n";
	}

	private Model parse(String text) throws Exception {
		Model model = parser.parse(text);
		assertNotNull(model);
		assertTrue(model.eResource().getErrors().isEmpty(), "syntax: " + model.eResource().getErrors());
		return model;
	}

	private Issue expect(String text, String code, int line, String... words) throws Exception {
		List<Issue> issues = validator.validate(parse(text));
		for (Issue i : issues) {
			if (SpecChecker.idOf(i.getCode()).equals(code) && i.getLineNumber() == line) {
				for (String w : words) {
					assertTrue(i.getMessage().contains(w), "message of " + code + " has '" + w + "': " + i.getMessage());
				}
				return i;
			}
		}
		throw new AssertionError("expected [" + code + "] on line " + line + ", got:\n" + Checked.describe(issues));
	}

	// ------------------------------------------------------------ the library

	@Test
	public void everyCoreHasEveryActorWithItsParameters() throws Exception {
		for (String core : CORES) {
			Model spec = parse(dmirror(core, "\tthread x = migrate_user(dmirror_alloc)\n"));
			validator.assertNoErrors(spec);
			Core c = spec.getHeader().getCore();
			Map<String, List<String>> found = new LinkedHashMap<>();
			for (Actor a : c.getActors()) {
				found.put(a.getName(), a.getParams().stream().map(Param::getName).toList());
				assertNotNull(a.getTitle(), core + "." + a.getName() + " has a title");
			}
			assertEquals(SIGNATURES, found, "actors of core " + core);
			validator.assertNoErrors(c.eResource().getContents().get(0));
		}
	}

	@Test
	public void aThreadLinksToTheActorOfItsOwnCoreAndItsArguments() throws Exception {
		for (String core : List.of("v6_0", "v6_1")) {
			Model spec = parse(dmirror(core, "\tthread u[2] = migrate_user(dmirror_alloc)\n\tthread f = fault_path(dmirror, dmirror_fault)\n"));
			validator.assertNoErrors(spec);
			List<Thread> threads = EcoreUtil2.getAllContentsOfType(spec, Thread.class);
			Actor actor = threads.get(0).getActor();
			assertEquals("migrate_user", actor.getName());
			assertSame(spec.getHeader().getCore(), actor.eContainer(), "the actor of the used core");
			assertTrue(threads.get(0).getArgs().get(0).getTarget() instanceof Alloc);
			assertTrue(threads.get(1).getArgs().get(0).getTarget() instanceof Pagemap);
			assertEquals(2, threads.get(0).getCount());
		}
	}

	// ------------------------------------------------------------ the checks, each at its line

	@Test
	public void anActorTheCoreLacksIsALinkingErrorThatNamesTheCoreAndItsActors() throws Exception {
		expect(dmirror("v6_1", "\tthread u = migrate_usr(dmirror_alloc)\n"), IssueCodes.UNDEFINED_NAME, 33, "migrate_usr",
				"core v6_1", "library/v6_1.pgmap", "migrate_user, alloc_fails, fault_path, pfn_walker, unmapper, teardown");
	}

	@Test
	public void anArgumentNoDriverOrPagemapHasIsALinkingError() throws Exception {
		expect(dmirror("v6_1", "\tthread u = migrate_user(dmirror_aloc)\n"), IssueCodes.UNDEFINED_NAME, 33, "dmirror_aloc",
				"procedures and the pagemaps");
	}

	@Test
	public void wrongNumberOfArguments() throws Exception {
		expect(dmirror("v6_1", "\tthread u = alloc_fails(dmirror_alloc)\n"), IssueCodes.WRONG_ARITY, 33,
				"alloc_fails takes 2 arguments (alloc, free), not 1");
	}

	@Test
	public void aPagemapWhereTheActorCallsAProcedure() throws Exception {
		expect(dmirror("v6_1", "\tthread f = fault_path(dmirror, dmirror)\n"), IssueCodes.WRONG_KIND, 33,
				"fault_path calls migrate_to_ram()", "not pagemap dmirror");
	}

	@Test
	public void aProcedureWhereTheActorNeedsAPagemap() throws Exception {
		expect(dmirror("v6_1", "\tthread x = teardown(dmirror_free)\n"), IssueCodes.WRONG_KIND, 33,
				"teardown uses pgmap as a pagemap", "memunmap_pages(pgmap)", "not dmirror_free");
	}

	@Test
	public void aProcedureWithOtherParametersThanTheActorPasses() throws Exception {
		// alloc_fails calls free(q): a procedure of no parameters cannot take the page
		expect(dmirror("v6_1", "\tthread\n\t\tx = alloc_fails(dmirror_alloc, dmirror_alloc)\n"), IssueCodes.WRONG_ARITY, 34,
				"free(q)", "with 1 argument", "dmirror_alloc takes no arguments");
	}

	@Test
	public void anAllocWhereTheActorTakesThePageItReturns() throws Exception {
		expect(dmirror("v6_1", "\tthread\n\t\tx = migrate_user(\n\t\t\tdmirror_give_back)\n"), IssueCodes.WRONG_KIND, 35,
				"migrate_user takes the page alloc() returns", "give it an alloc", "not dmirror_give_back");
	}

	/** A core of the spec's own file with actors that misuse their parameters. */
	@Test
	public void anActorsOwnMistakesAreReportedInIt() throws Exception {
		String core = "core mine {\n" // 1
				+ "\tidle refcount 0\n" // 2
				+ "\ton final_put(page) {\n" // 3
				+ "\t\tcall page_free(page)\n" // 4
				+ "\t}\n" // 5
				+ "\tactor both(p) {\n" // 6
				+ "\t\tq = pfn_to_page(p, 0)\n" // 7
				+ "\t\tp(q)\n" // 8
				+ "\t}\n" // 9
				+ "\tactor arity(f) {\n" // 10
				+ "\t\tf()\n" // 11
				+ "\t\tf(1)\n" // 12
				+ "\t}\n" // 13
				+ "\tactor freeing(pgmap) {\n" // 14
				+ "\t\tq = pfn_to_page(pgmap, 0)\n" // 15
				+ "\t\tcall page_free(q)\n" // 16
				+ "\t}\n" // 17
				+ "\tactor valued(pgmap) {\n" // 18
				+ "\t\tget_page(pgmap)\n" // 19
				+ "\t}\n" // 20
				+ "\tactor undefined(a) {\n" // 21
				+ "\t\tb()\n" // 22
				+ "\t}\n" // 23
				+ "\tactor twice(a, a) {\n" // 24
				+ "\t}\n" // 25
				+ "\tactor twice(a) {\n" // 26
				+ "\t}\n" // 27
				+ "}\n";
		expect(core, IssueCodes.WRONG_KIND, 6, "p is called (line 8) and used as a value (line 7)");
		expect(core, IssueCodes.WRONG_ARITY, 12, "f is called with no arguments on line 11 and with 1 argument here");
		expect(core, IssueCodes.MISPLACED, 16, "a driver, thread or actor calls its procedure by name");
		expect(core, IssueCodes.WRONG_KIND, 19, "get_page needs a page here", "a pagemap");
		expect(core, IssueCodes.UNDEFINED_NAME, 22, "'b' is not declared", "no parameter of the actor");
		expect(core, IssueCodes.DUPLICATE_NAME, 24, "'a' is declared twice in the parameters of twice");
		expect(core, IssueCodes.DUPLICATE_NAME, 26, "'twice' is declared twice in core mine");
	}

	@Test
	public void aSpecWithoutACoreHasNoActors() throws Exception {
		expect("spec t\nscenario s {\n\tthread u = teardown(pm)\n}\n", IssueCodes.UNDEFINED_NAME, 3, "names no core");
	}

	// ------------------------------------------------------------ each actor in each core

	/**
	 * Each actor beside a migrate_user thread on test_hmm's driver, with the root causes that
	 * follow from each era's rules: v6.0 and Dan's BUSY reset the count after page_free (R1);
	 * before v6.1 the fault path holds no reference across migrate_to_ram (R12); in 1-based eras
	 * a pfn walker's try_get succeeds on free pages, so the allocator hands out a page it holds
	 * (R4), and in v5.17 its put 2 -> 1 runs page_free on a free page (R8); from v6.1 allocation
	 * takes a pgmap reference, which teardown forbids once it began (R9).
	 */
	@Test
	public void everyActorChecksInEveryCore() throws Exception {
		Map<String, Set<String>> expected = new LinkedHashMap<>();
		for (String core : CORES) {
			boolean resets = core.equals("v6_0") || core.equals("dan_v2");
			boolean oneBased = !core.startsWith("v6_1") && !core.equals("folio_2026");
			for (String actor : SIGNATURES.keySet()) {
				Set<String> roots = new TreeSet<>();
				if (resets) {
					roots.add("R1");
				}
				if (actor.equals("fault_path") && oneBased) {
					roots.add("R12");
				}
				if (actor.equals("pfn_walker") && oneBased) {
					roots.add("R4");
				}
				if (actor.equals("teardown") && !oneBased) {
					roots.add("R9");
				}
				expected.put(core + " " + actor, roots);
			}
		}
		// v5.17's walker also frees a free page, and what follows it on other interleavings is a root cause there too
		expected.put("v5_17 pfn_walker", Set.of("R1", "R12", "R4", "R5", "R8"));
		// the re-order hands out a page at 2 (R4), and puts the page the walker freed back into the pool a second time
		expected.put("reorder pfn_walker", Set.of("R1", "R4", "R8"));
		Map<String, Set<String>> found = new LinkedHashMap<>();
		StringBuilder reports = new StringBuilder();
		for (String core : CORES) {
			for (String actor : SIGNATURES.keySet()) {
				String args = switch (actor) {
				case "migrate_user" -> "dmirror_alloc";
				case "alloc_fails" -> "dmirror_alloc, dmirror_give_back";
				case "fault_path" -> "dmirror, dmirror_fault";
				default -> "dmirror";
				};
				Checked c = Checked.check(parser, validator,
						dmirror(core, "\tthread m = migrate_user(dmirror_alloc)\n\tthread x = " + actor + "(" + args + ")\n"));
				assertTrue(c.report().verdict() != Verdict.INCOMPLETE, c.describe());
				found.put(core + " " + actor, c.roots());
				reports.append(core).append(' ').append(actor).append(": ").append(c.describe());
			}
		}
		assertEquals(expected, found, reports.toString());
	}

	// ------------------------------------------------------------ the same model as hand-written threads

	static final String MIGRATE_USER = "{\n\t\tp = dmirror_alloc() else return\n\t\tget_page(p)\n\t\tunlock_page(p)\n"
			+ "\t\tput_page(p)\n\t\tput_page(p)\n\t}\n";
	static final String ALLOC_FAILS = "{\n\t\tq = dmirror_alloc() else return\n\t\tdmirror_give_back(q)\n\t}\n";
	static final String FAULT_PATH = "{\n\t\tq = pfn_to_page(dmirror, 0)\n\t\tget_page_unless_zero(q) else return\n"
			+ "\t\tdmirror_fault(q)\n\t\tput_page(q)\n\t}\n";

	@Test
	public void anActorGivesTheModelOfTheThreadsItReplaces() throws Exception {
		record Pair(String core, String actors, String handWritten) {
		}
		List<Pair> pairs = new ArrayList<>();
		for (String core : List.of("v5_17", "v6_0", "dan_v2", "reorder", "v6_1")) {
			pairs.add(new Pair(core, "\tthread u[2] = migrate_user(dmirror_alloc)\n", "\tthread u[2] " + MIGRATE_USER));
			pairs.add(new Pair(core,
					"\tthread migrate = migrate_user(dmirror_alloc)\n\tthread copy_fails = alloc_fails(dmirror_alloc, dmirror_give_back)\n",
					"\tthread migrate " + MIGRATE_USER + "\tthread copy_fails " + ALLOC_FAILS));
		}
		pairs.add(new Pair("v6_1", "\tthread owner = migrate_user(dmirror_alloc)\n\tthread cpu_fault = fault_path(dmirror, dmirror_fault)\n",
				"\tthread owner " + MIGRATE_USER + "\tthread cpu_fault " + FAULT_PATH));
		pairs.add(new Pair("v6_15", "\tthread cpu_fault[2] = fault_path(dmirror, dmirror_fault)\n\tthread u = migrate_user(dmirror_alloc)\n",
				"\tthread cpu_fault[2] " + FAULT_PATH.replace("put_page", "folio_put") + "\tthread u "
						+ MIGRATE_USER.replace("get_page", "folio_get").replace("put_page", "folio_put")));
		for (Pair p : pairs) {
			Checked actors = Checked.check(parser, validator, dmirror(p.core(), p.actors()));
			Checked threads = Checked.check(parser, validator, dmirror(p.core(), p.handWritten()));
			assertEquals(summary(threads.report()), summary(actors.report()), p.core() + "\n" + p.actors());
			assertEquals(threads.models.get(0).threads().stream().map(t -> t.program().size()).toList(),
					actors.models.get(0).threads().stream().map(t -> t.program().size()).toList(), p.core() + "\n" + p.actors());
		}
	}

	/** Verdict, states, transitions, depth, and each violation's rule, kind and trace length. */
	private static String summary(Report r) {
		StringBuilder sb = new StringBuilder(r.verdict() + " " + r.statistics().states() + " states " + r.statistics().transitions()
				+ " transitions depth " + r.statistics().depth());
		for (Checker.Violation v : r.violations()) {
			sb.append("\n").append(v.rule()).append(v.rootCause() ? " root " : " consequence ").append(v.trace().size());
		}
		return sb.toString();
	}

	@Test
	public void eachInstanceOfAnActorHasItsOwnLocals() throws Exception {
		Checked c = Checked.check(parser, validator, dmirror("v6_1", "\tthread u[2] = migrate_user(dmirror_alloc)\n"));
		assertEquals(2, c.models.get(0).threads().size());
		for (var t : c.models.get(0).threads()) {
			assertTrue(t.slots().contains("p"), t.slots().toString());
			// the race diagrams show the actor as the outer frame of each of its statements
			assertEquals("migrate_user", t.calls().get(0).get(0).function(), t.calls().toString());
		}
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
	}

	// ------------------------------------------------------------ format

	@Test
	public void theFormatterKeepsActorThreads() throws Exception {
		String input = dmirror("v6_1", "thread u [ 2 ]=migrate_user( dmirror_alloc )\n\tthread c=alloc_fails(dmirror_alloc ,dmirror_give_back)\n");
		String formatted = FormatText.format(injector, input);
		assertTrue(formatted.contains("\tthread u[2] = migrate_user(dmirror_alloc)\n"
				+ "\tthread c = alloc_fails(dmirror_alloc, dmirror_give_back)\n}"), formatted);
		assertEquals(formatted, FormatText.format(injector, formatted));
		for (String core : CORES) {
			String library = Specs.read(Specs.library().resolve(core + ".pgmap"));
			assertEquals(library, FormatText.format(injector, library), "library/" + core + ".pgmap is formatted");
		}
	}
}
