package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

	@Inject
	private org.eclipse.xtext.testing.validation.ValidationTestHelper validator;

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
		r.violations().stream().filter(Checker.Violation::rootCause).forEach(v -> roots.add(v.rule().name()));
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

	// ------------------------------------------------------------------ who holds, owns and published (domain.md)

	private Checked checked(String text) throws Exception {
		return Checked.check(parser, validator, text);
	}

	/** A 1-based core whose final put, at 1, only wakes (FS_DAX before v6.15): no page_free. */
	static final String WAKING = """
			core k {
				idle refcount 1
				final put at 1
				on init(page) {
					set_page_count(page, 1)
				}
				on final_put(page) {
					page.mapping = null
					wake_up_var(page)
				}
			}
			""";

	/** A pagemap of pages the driver's code owns, no pool: its proc takes the owner's reference. */
	static String owned(String core, String type, String scenario) {
		return "spec t\nuses core k\n" + core + "pagemap pm type " + type + " pages 1 ops d\n"
				+ "driver d {\n\towner of pm\n\tproc hold(page) {\n\t\tfolio_ref_inc(page)\n\t}\n}\nscenario s {\n" + scenario + "}\n";
	}

	@Test
	public void finalPutsFormASetAndATransientHolderIsNoR10() throws Exception {
		// b's final put (2 -> 1) runs while a walker's try_get comes and goes, its own final put too:
		// one owner slot made b's later mapping write an R12, and the walker's reference an R10.
		// (b holds the page from the start: a hold taken after the walker's final put began is a
		// new holder the free path's mapping write clobbers, a true R10.)
		String threads = "thread b {\nstart {\np = pfn_to_page(pm, 0)\nhold(p)\n}\nput_page(p)\n}\n"
				+ "thread w {\nq = pfn_to_page(pm, 0)\nget_page_unless_zero(q) else return\nput_page(q)\n}\n";
		Checked c = checked(owned(WAKING, "MEMORY_DEVICE_FS_DAX", threads));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
	}

	@Test
	public void theFirstPublishersLateWriteIsR2NotR12() throws Exception {
		// v6.0's order: page_free pushes, another thread pops and is handed the page, then the
		// first thread's reset writes it: its publication lasts until it claims the page again
		String v6_0 = ONE_BASED.replace("set_page_count(page, 1)\n\t\tcall page_free(page)", "call page_free(page)\n\t\tset_page_count(page, 1)");
		Checked c = checked(spec(v6_0, "", PUSH, "", "thread t[2] {\np = a() else return\nput_page(p)\n}\n"));
		assertTrue(c.rules().contains("R2"), c.describe());
		assertFalse(c.rules().contains("R12"), c.describe());
	}

	@Test
	public void aMappingsReferenceBelongsToTheMappingNotTheThread() throws Exception {
		// one thread maps the page (start state), another zaps every mapping (truncate): no use after free
		String threads = "thread mapper {\nstart {\np = a() else return\nvm_insert_page(p)\nput_page(p)\n}\n}\n"
				+ "thread truncate {\nq = pfn_to_page(pm, 0)\nunmap_mapping_range(q)\n}\n";
		Checked c = checked(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", threads));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		// a mapping still there at the end accounts for its reference: no leak
		Checked kept = checked(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "",
				"thread mapper {\nstart {\np = a() else return\nvm_insert_page(p)\nput_page(p)\n}\n}\n"));
		assertEquals(Verdict.PASS, kept.report().verdict(), kept.describe());
		// and page_free of a page a mapping holds is R8
		Checked freed = checked(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "",
				"thread t {\np = a() else return\nvm_insert_page(p)\nset_page_count(p, 1)\nput_page(p)\n}\n"));
		assertTrue(freed.rules().contains("R8"), freed.describe());
	}

	@Test
	public void ownersWithoutAReference() throws Exception {
		// the holder of a page's owning lock (FS_DAX's entry lock) and the driver's own code (device DAX)
		String lockOwned = "spec t\nuses core v6_15\npagemap pmem type MEMORY_DEVICE_FS_DAX pages 1\n"
				+ "driver fs {\n\tmutex entry owns pmem\n}\nscenario s {\n\tthread t {\n\t\tp = pfn_to_page(pmem, 0)\n"
				+ "\t\tmutex_lock(entry)\n\t\tp.mapping = private\n\t\tmutex_unlock(entry)\n\t}\n}\n";
		assertEquals(Verdict.PASS, checked(lockOwned).report().verdict());
		assertEquals(Set.of("R12"), checked(lockOwned.replace("\t\tmutex_lock(entry)\n", "").replace("\t\tmutex_unlock(entry)\n", "")).roots());
		String driverOwned = "spec t\nuses core v6_15\npagemap dax type MEMORY_DEVICE_GENERIC pages 1 ops d\n"
				+ "driver d {\n\towner of dax\n\tproc set_up(page) {\n\t\tpage.mapping = private\n\t}\n}\n"
				+ "scenario s {\n\tthread t {\n\t\tp = pfn_to_page(dax, 0)\n\t\tset_up(p)\n\t}\n}\n";
		assertEquals(Verdict.PASS, checked(driverOwned).report().verdict());
		assertEquals(Set.of("R12"), checked(driverOwned.replace("\towner of dax\n", "")).roots());
	}

	@Test
	public void r5CountsOnlyPagesThatWereHandedOut() throws Exception {
		// a failed two-page allocation gives its first page back untouched: taking it again reuses nothing
		String alloc2 = "alloc a2() {\nspin_lock(l)\nx = pop(fl) else {\nspin_unlock(l)\nreturn none\n}\n"
				+ "either {\n} or {\npush(fl, x)\nspin_unlock(l)\nreturn none\n}\nspin_unlock(l)\nset_page_count(x, 1)\nreturn x\n}\n";
		Checked c = checked(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, alloc2,
				"thread t {\np = a2() else return\nput_page(p)\n}\nthread u {\nq = a2() else return\nput_page(q)\n}\n"));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		// a GENERIC pool (no page_free in the core): the driver's put-back after the last reference is the proof
		String xen = "spec t\nuses core v6_15\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n"
				+ "driver d {\n\tmutex l\n\tfreelist fl linked by zone_device_data guarded by l holds pm\n"
				+ "\talloc a() {\n\t\tmutex_lock(l)\n\t\tp = pop(fl) else {\n\t\t\tmutex_unlock(l)\n\t\t\treturn none\n\t\t}\n"
				+ "\t\tmutex_unlock(l)\n\t\treturn p\n\t}\n\tproc free(p) {\n\t\tmutex_lock(l)\n\t\tpush(fl, p)\n\t\tmutex_unlock(l)\n\t}\n}\n"
				+ "scenario s {\n\tthread t[2] {\n\t\tp = a() else return\n\t\taccess(p)\n\t\tfree(p)\n\t}\n}\n";
		assertEquals(Verdict.PASS, checked(xen).report().verdict());
	}

	@Test
	public void r4AtEveryHandOff() throws Exception {
		// the allocator maps the page it claimed before returning: the mapping is its first user
		Checked mapped = checked(spec(ONE_BASED, "get_page(page)\nvm_insert_page(page)\n", PUSH, "", "thread t {\np = a() else return\n}\n"));
		assertEquals(Set.of("R4"), mapped.roots(), mapped.describe());
		// only try_gets since the claim are exempt: a walker's reference from before it is not (the
		// driver's bookkeeping is no pool, so the free page's count is no R1 matter)
		String bookkept = "spec t\nuses core k\n" + ONE_BASED + "pagemap pm type MEMORY_DEVICE_PRIVATE pages 1 ops d\n"
				+ "driver d {\n\tbookkeeping bk of pm\n\talloc a(page) {\n\t\tclaim_page(bk, page) else return none\n"
				+ "\t\treturn page\n\t}\n\top page_free f(page) {\n\t\trelease_page(bk, page)\n\t}\n"
				+ "\top migrate_to_ram m(page) {\n\t}\n}\nscenario s {\n"
				+ "\tthread t {\n\t\tp = pfn_to_page(pm, 0)\n\t\tq = a(p) else return\n\t\tput_page(q)\n\t}\n"
				+ "\tthread w {\n\t\tr = pfn_to_page(pm, 0)\n\t\tget_page_unless_zero(r) else return\n\t\tput_page(r)\n\t}\n}\n";
		Checked before = checked(bookkept);
		assertTrue(before.roots().contains("R4"), before.describe());
		String walker = "thread t {\np = a() else return\nput_page(p)\n}\n"
				+ "thread w {\nq = pfn_to_page(pm, 0)\nget_page_unless_zero(q) else return\nput_page(q)\n}\n";
		Checked since = checked(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", walker));
		assertEquals(Verdict.PASS, since.report().verdict(), since.describe());
	}

	@Test
	public void r14CountsOnlyUnexplainedReferencesAndSaysWhich() throws Exception {
		// the object's kref is pinned by the live page that points at it: not a leak
		String pin = "object bo kref 1 covers pm\n";
		Checked pinned = checked(spec(ZERO_BASED, "set_page_count(page, 1)\nkref_get(bo)\npage.zone_device_data = bo\n", PUSH, pin,
				"thread t {\np = a() else return\n}\n"));
		assertEquals(Verdict.PASS, pinned.report().verdict(), pinned.describe());
		// dropped and never put back: the page, by name
		Checked leaked = checked(spec(ZERO_BASED, "set_page_count(page, 1)\nkref_get(bo)\n", PUSH, pin,
				"thread t {\np = a() else return\n}\n"));
		assertTrue(leaked.violation("R14").message().contains("bo has kref 2"), leaked.describe());
	}

	@Test
	public void r9CoversAccessAfterTeardown() throws Exception {
		String threads = "thread dma {\nstart {\np = a() else return\nvm_insert_page(p)\nput_page(p)\n}\naccess(p)\n}\n"
				+ "thread unbind {\nmemunmap_pages(pm)\n}\n";
		Checked c = checked(spec(ZERO_BASED, "set_page_count(page, 1)\n", PUSH, "", threads));
		assertTrue(c.roots().contains("R9"), c.describe());
	}

	/** The 1-based line of the first line containing the fragment. */
	static int lines(String text, String fragment) {
		String[] lines = text.split("\n");
		for (int i = 0; i < lines.length; i++) {
			if (lines[i].contains(fragment)) {
				return i + 1;
			}
		}
		throw new AssertionError("no line with " + fragment);
	}

	/** The 1-based line of the last line containing the fragment. */
	static int lastLine(String text, String fragment) {
		String[] lines = text.split("\n");
		for (int i = lines.length - 1; i >= 0; i--) {
			if (lines[i].contains(fragment)) {
				return i + 1;
			}
		}
		throw new AssertionError("no line with " + fragment);
	}
}
