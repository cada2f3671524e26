package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Verdict;

import com.google.inject.Inject;

/**
 * For every rule, a small spec whose only root cause is that rule, and its correct twin that
 * passes. A root cause is the first rule an interleaving breaks; what breaks after it on the
 * same interleaving is reported as a consequence.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class RulesTest {

	@Inject
	private ParseHelper<Model> parser;

	/** A 1-based core with Jason's re-ordered free path (correct), or a variant of it. */
	static final String ONE_BASED = """
			core k {
				idle refcount 1
				on init(page) {
					set_page_count(page, 1)
				}
				on final_put(page) {
					set_page_count(page, 1)
					call page_free(page)
				}
			}
			""";

	/** A 0-based core like v6.1 (the driver sets the count to 1 when it allocates). */
	static final String ZERO_BASED = """
			core k {
				idle refcount 0
				on init(page) {
					set_page_count(page, 0)
				}
				on final_put(page) {
					call page_free(page)
				}
			}
			""";

	static String spec(String core, String alloc, String pageFree, String more, String scenario) {
		return "spec t\nuses core k\n" + core + """
				pagemap pm type MEMORY_DEVICE_PRIVATE pages 1 ops d
				driver d {
					spinlock l
					spinlock l2
					freelist fl linked by zone_device_data guarded by l holds pm
					alloc a() {
						spin_lock(l)
						page = pop(fl) else {
							spin_unlock(l)
							return none
						}
						spin_unlock(l)
				""" + alloc + """
						return page
					}
					op page_free f(page) {
				""" + pageFree + """
					}
					op migrate_to_ram m(page) {
					}
				""" + more + "}\nscenario s {\n" + scenario + "}\n";
	}

	static final String PUSH = "spin_lock(l)\npush(fl, page)\nspin_unlock(l)\n";
	static final String ONE_THREAD = "thread t {\np = a() else return\nput_page(p)\n}\n";

	private Report check(String text) throws Exception {
		Model model = parser.parse(text);
		assertNotNull(model);
		assertTrue(model.eResource().getErrors().isEmpty(), model.eResource().getErrors().toString());
		List<org.pgmap.engine.model.ExecModel> models = ModelCompiler.compile(model);
		assertEquals(1, models.size());
		return Checker.check(models.get(0), Limits.DEFAULT, () -> false);
	}

	private void violatesOnly(String rule, String text) throws Exception {
		Report r = check(text);
		Set<String> roots = new TreeSet<>();
		r.violations().stream().filter(Checker.Violation::rootCause).forEach(v -> roots.add(v.rule()));
		assertEquals(Verdict.FAIL, r.verdict(), ModelCheckTest.describe(r));
		assertEquals(Set.of(rule), roots, ModelCheckTest.describe(r));
	}

	private void passes(String text) throws Exception {
		Report r = check(text);
		assertEquals(Verdict.PASS, r.verdict(), ModelCheckTest.describe(r));
	}

	@Test
	public void baselinesPass() throws Exception {
		passes(spec(ONE_BASED, "", PUSH, "", ONE_THREAD));
		passes(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", ONE_THREAD));
		passes(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", ONE_THREAD.replace("thread t", "thread t[2]")));
	}

	@Test
	public void r1FreePageAtTheWrongRefcount() throws Exception {
		violatesOnly("R1", spec(ONE_BASED.replace("set_page_count(page, 1)\n\t\tcall", "call"), "", PUSH, "", ONE_THREAD));
	}

	@Test
	public void r2WriteAfterPublish() throws Exception {
		violatesOnly("R2", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH + "page.zone_device_data = null\n", "", ONE_THREAD));
	}

	@Test
	public void r3ReadAfterPublish() throws Exception {
		violatesOnly("R3", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH + "x = page.zone_device_data\n", "", ONE_THREAD));
	}

	@Test
	public void r4HandoffAtTheWrongCount() throws Exception {
		// the allocator forgets to set the count: the page is handed out at 0
		violatesOnly("R4", spec(ZERO_BASED, "", PUSH, "", "thread t {\np = a() else return\nset_page_count(p, 1)\nput_page(p)\n}\n"));
		passes(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", "thread t {\np = a() else return\nset_page_count(p, 1)\nput_page(p)\n}\n"));
	}

	@Test
	public void r5ReuseBeforeFree() throws Exception {
		String giveBack = "proc give_back(page) {\nspin_lock(l)\npush(fl, page)\nspin_unlock(l)\n}\n";
		violatesOnly("R5", spec(ONE_BASED, "", PUSH, giveBack, "thread t {\np = a() else return\ngive_back(p)\nq = a() else return\n}\n"));
	}

	@Test
	public void r6GetOnZero() throws Exception {
		violatesOnly("R6", spec(ZERO_BASED, "get_page(page)\n", PUSH, "", ONE_THREAD));
	}

	@Test
	public void r7LostReference() throws Exception {
		String threads = "thread t1 {\np = a() else return\nset_page_count(p, 1)\nput_page(p)\n}\n"
				+ "thread walker {\nq = pfn_to_page(pm, 0)\nget_page_unless_zero(q) else return\nput_page(q)\n}\n";
		violatesOnly("R7", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", threads));
		passes(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", threads.replace("set_page_count(p, 1)\n", "")));
	}

	@Test
	public void r8DoubleFree() throws Exception {
		violatesOnly("R8", spec(ZERO_BASED, "set_page_count(page, 1)\n", "spin_lock(l)\npush(fl, page)\npush(fl, page)\nspin_unlock(l)\n", "", ONE_THREAD));
	}

	@Test
	public void r9PgmapReferenceDroppedTwice() throws Exception {
		String core = ZERO_BASED.replace("call page_free(page)\n", "call page_free(page)\npgmap_put(page.pgmap)\n");
		String alloc = "pgmap_tryget_live(page.pgmap) else warn\nset_page_count(page, 1)\n";
		passes(spec(core, alloc, PUSH, "", ONE_THREAD));
		violatesOnly("R9", spec(core, alloc, PUSH + "pgmap_put(page.pgmap)\n", "", ONE_THREAD));
		// a pgmap reference taken and never dropped: a leak at the end
		violatesOnly("R9", spec(ZERO_BASED, alloc, PUSH, "", ONE_THREAD));
	}

	@Test
	public void r10FreeListThroughLru() throws Exception {
		violatesOnly("R10", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", ONE_THREAD).replace("linked by zone_device_data", "linked by lru"));
	}

	@Test
	public void r11Underflow() throws Exception {
		violatesOnly("R11", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", "thread t {\np = a() else return\nput_page(p)\nput_page(p)\n}\n"));
	}

	@Test
	public void r12UseWithoutAReference() throws Exception {
		violatesOnly("R12", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", "thread t {\nq = pfn_to_page(pm, 0)\nlock_page(q)\n}\n"));
	}

	@Test
	public void r13Deadlock() throws Exception {
		String abba = "thread t1 {\nspin_lock(l)\nspin_lock(l2)\nspin_unlock(l2)\nspin_unlock(l)\n}\n"
				+ "thread t2 {\nspin_lock(l2)\nspin_lock(l)\nspin_unlock(l)\nspin_unlock(l2)\n}\n";
		violatesOnly("R13", spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", abba));
		passes(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", abba.replace("spin_lock(l2)\nspin_lock(l)\nspin_unlock(l)\nspin_unlock(l2)", "spin_lock(l)\nspin_lock(l2)\nspin_unlock(l2)\nspin_unlock(l)")));
	}

	@Test
	public void r14Leak() throws Exception {
		// page_free forgets to put the page back: nobody holds it and no pool has it
		violatesOnly("R14", spec(ZERO_BASED, "set_page_count(page, 1)\n", "", "", ONE_THREAD));
	}

	@Test
	public void tracesAreShortestAndEndAtTheViolation() throws Exception {
		Report r = check(spec(ONE_BASED.replace("set_page_count(page, 1)\n\t\tcall", "call"), "", PUSH, "", ONE_THREAD));
		Checker.Violation v = r.violations().get(0);
		// spin_lock, pop, spin_unlock, return page, put_page, call page_free, spin_lock, push, spin_unlock
		assertEquals(9, v.trace().size(), ModelCheckTest.describe(r));
		assertTrue(v.trace().get(8).changes().contains("breaks R1"), ModelCheckTest.describe(r));
	}
}
