package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.Interpreter;
import org.pgmap.engine.ModelError;

import com.google.inject.Inject;

/** Each construct the language gained for other drivers' shapes: its static checks and what the model does with it. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ConstructsTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	private Checked check(String text) throws Exception {
		return Checked.check(parser, validator, text);
	}

	private List<Issue> issues(String text) throws Exception {
		return validator.validate(parser.parse(text));
	}

	private void expectIssue(String text, String code, int line, String words) throws Exception {
		for (Issue i : issues(text)) {
			if (SpecChecker.idOf(i.getCode()).equals(code) && i.getLineNumber() == line && i.getMessage().contains(words)) {
				return;
			}
		}
		throw new AssertionError("expected [" + code + "] on line " + line + " with '" + words + "', got:\n"
				+ Checked.describe(issues(text)) + "\n" + Checked.numbered(text));
	}

	/** The RulesTest spec on the 0-based core: alloc a() claims and sets the count. */
	private static String spec(String more, String scenario) {
		return RulesTest.spec(RulesTest.ZERO_BASED, "set_page_count(page, 1)\n", RulesTest.PUSH, more, scenario);
	}

	// ------------------------------------------------------------------ start blocks

	@Test
	public void aStartBlockIsTheThreadsHistory() throws Exception {
		// the page allocated in the start block is the thread's: its body puts it
		Checked c = check(spec("", "thread t {\nstart {\np = a() else return\n}\nput_page(p)\n}\n"));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		// the history is not interleaved: from the start state the thread only puts and frees
		assertTrue(c.report().statistics().depth() < 8, c.describe());
	}

	@Test
	public void aStartBlockComesFirstAndHasNoChoices() throws Exception {
		String notFirst = spec("", "thread t {\nq = pfn_to_page(pm, 0)\nstart {\np = a() else return\n}\n}\n");
		expectIssue(notFirst, IssueCodes.START_BLOCK, RulesTest.lines(notFirst, "start {"), "first statement of a thread");
		String choice = spec("", "thread t {\nstart {\nq = any_page(pm)\n}\n}\n");
		expectIssue(choice, IssueCodes.START_BLOCK, RulesTest.lines(choice, "any_page"), "no choices");
	}

	@Test
	public void aStartThatWaitsOrBreaksARuleIsAnErrorOnItsLine() throws Exception {
		String waits = spec("", "thread t {\nstart {\nspin_lock(l)\n}\n}\nthread u {\nstart {\nspin_lock(l)\n}\n}\n");
		ModelError e = assertThrows(ModelError.class, () -> new Interpreter(ModelCompiler.compile(parser.parse(waits)).get(0)));
		assertTrue(e.getMessage().contains("start block of thread u waits"), e.getMessage());
		assertEquals(RulesTest.lastLine(waits, "spin_lock(l)"), e.loc().line());
		String breaks = spec("", "thread t {\nstart {\nq = pfn_to_page(pm, 0)\nget_page(q)\n}\n}\n");
		ModelError b = assertThrows(ModelError.class, () -> new Interpreter(ModelCompiler.compile(parser.parse(breaks)).get(0)));
		assertTrue(b.getMessage().contains("start block of thread t already breaks") && b.getMessage().contains("R6"), b.getMessage());
		assertEquals(RulesTest.lastLine(breaks, "get_page(q)"), b.loc().line());
	}

	// ------------------------------------------------------------------ choice, failure, waiting

	@Test
	public void everyBranchOfEitherIsExplored() throws Exception {
		Checked c = check(spec("", "thread t {\neither {\nwarn \"first\"\n} or {\n} or {\nwarn \"third\"\n}\n}\n"));
		assertEquals(Set.of("WARN"), c.roots(), c.describe());
		Checked none = check(spec("", "thread t {\neither {\n} or {\n}\n}\n"));
		assertEquals(Verdict.PASS, none.report().verdict());
	}

	@Test
	public void callsThatMayFailTakeTheirElseToo() throws Exception {
		Checked map = check(spec("", "thread t {\np = a() else return\nvm_insert_page(p) else {\nwarn \"mapping failed\"\n"
				+ "put_page(p)\nreturn\n}\nput_page(p)\nunmap_page(p)\n}\n"));
		assertEquals(Set.of("WARN"), map.roots(), map.describe());
		Checker.TraceStep failed = map.violation("WARN").trace().get(map.violation("WARN").trace().size() - 2);
		assertTrue(failed.changes().startsWith("fails"), "the failing call is a step that says so:\n" + map.describe());
		Checked alloc = check(spec("object buf[1]\n", "thread t {\nb = kzalloc(buf) else {\nwarn \"no memory\"\nreturn\n}\n"
				+ "kref_init(b)\nif kref_put(b) {\nkfree(b)\n}\n}\n"));
		assertEquals(Set.of("WARN"), alloc.roots(), alloc.describe());
	}

	@Test
	public void waitVarEventWaitsForItsCondition() throws Exception {
		Checked c = check(spec("", "thread t {\np = a() else return\nput_page(p)\n}\n"
				+ "thread w {\nq = pfn_to_page(pm, 0)\nwait_var_event(q, page_ref_count(q) == 1)\n}\n"));
		// the count is 1 only while t holds the page: when t is done first, w waits forever
		assertEquals(Set.of("R13"), c.roots(), c.describe());
		assertTrue(c.violation("R13").message().contains("w at"), c.violation("R13").message());
	}

	// ------------------------------------------------------------------ variables

	@Test
	public void variablesCanBeReassignedAndDriverVariablesAreShared() throws Exception {
		Checked c = check(spec("", "thread t {\nx = 0\neither {\nx = 1\n} or {\n}\nassert x == 1 \"x is 1\"\n}\n"));
		assertEquals(Set.of("WARN"), c.roots(), "the or branch leaves x at 0:\n" + c.describe());
		Checked flag = check(spec("var remove = 0\nproc mark() {\nremove = 1\n}\n",
				"thread t {\nmark()\n}\nthread u {\nwait_var_event(remove, remove == 1)\n}\n"));
		assertEquals(Verdict.PASS, flag.report().verdict(), flag.describe());
	}

	@Test
	public void atomicOpensNoScopeAndABlockSaysWhyANameIsUnknown() throws Exception {
		Checked c = check(spec("", "thread t {\natomic {\np = a() else return\n}\nput_page(p)\n}\n"));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		String hidden = spec("", "thread t {\neither {\nq = 1\n} or {\n}\nx = q\n}\n");
		expectIssue(hidden, IssueCodes.UNDEFINED_NAME, RulesTest.lines(hidden, "x = q"), "assigned at line");
	}

	// ------------------------------------------------------------------ objects

	@Test
	public void objectsLiveAndDie() throws Exception {
		String obj = "object zdd[2]\n";
		Checked ok = check(spec(obj, "thread t {\nz = kzalloc(zdd) else return\nkref_init(z)\nkref_get(z)\n"
				+ "kref_put(z)\nif kref_put(z) {\nkfree(z)\n}\n}\n"));
		assertEquals(Verdict.PASS, ok.report().verdict(), ok.describe());
		Checked uaf = check(spec(obj, "thread t {\nz = kzalloc(zdd) else return\nkref_init(z)\nif kref_put(z) {\nkfree(z)\n}\naccess(z)\n}\n"));
		assertEquals(Set.of("R12"), uaf.roots(), uaf.describe());
		Checked leak = check(spec(obj, "thread t {\nz = kzalloc(zdd) else return\nkref_init(z)\nkref_put(z)\n}\n"));
		assertTrue(leak.violation("R14").message().contains("released (kref 0) but never freed"), leak.describe());
		Checked tryget = check(spec(obj, "thread t {\nz = kzalloc(zdd) else return\nkref_init(z)\nkref_put(z)\n"
				+ "kref_get_unless_zero(z) else {\nkfree(z)\nreturn\n}\nwarn \"revived\"\n}\n"));
		assertEquals(Verdict.PASS, tryget.report().verdict(), tryget.describe());
		Checked nullDeref = check(spec("", "thread t {\np = a() else return\nz = p.zone_device_data\naccess(z)\nput_page(p)\n}\n"));
		assertEquals(Set.of("R12"), nullDeref.roots(), "a NULL zone_device_data dereferenced:\n" + nullDeref.describe());
		expectIssue(spec("object one\n", "thread t {\nz = kzalloc(one) else return\n}\n"), IssueCodes.WRONG_KIND,
				RulesTest.lines(spec("object one\n", "thread t {\nz = kzalloc(one) else return\n}\n"), "kzalloc(one)"),
				"object array");
	}

	// ------------------------------------------------------------------ bookkeeping, backing objects, pins, ownership

	@Test
	public void bookkeepingClaimsOnlyWhatItRecordsAsFree() throws Exception {
		String text = "spec t\nuses core v6_15\npagemap pm type MEMORY_DEVICE_PRIVATE pages 1 ops d\n"
				+ "driver d {\n\tbookkeeping bk of pm\n\talloc a(page) {\n\t\tclaim_page(bk, page) else return none\n"
				+ "\t\tzone_device_page_init(page)\n\t\treturn page\n\t}\n\top page_free f(page) {\n\t\trelease_page(bk, page)\n\t}\n"
				+ "\top migrate_to_ram m(page) {\n\t}\n}\n"
				+ "scenario s {\n\tthread t[2] {\n\t\tp = pfn_to_page(pm, 0)\n\t\tq = a(p) else return\n\t\tunlock_page(q)\n\t\tput_page(q)\n\t}\n}\n";
		Checked c = check(text);
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
	}

	@Test
	public void aBackingObjectsLastPutReleasesItsPages() throws Exception {
		String text = "spec t\nuses core v6_15\npagemap pm type MEMORY_DEVICE_PRIVATE pages 2 ops d\n"
				+ "driver d {\n\tgen_pool pool of pm\n\tobject bo[2]\n"
				+ "\talloc a(b) {\n\t\tpage = gen_pool_alloc(pool) else return none\n\t\tkref_get(b)\n\t\tpage.zone_device_data = b\n"
				+ "\t\tzone_device_page_init(page)\n\t\treturn page\n\t}\n"
				+ "\tproc bo_put(b) {\n\t\tif kref_put(b) {\n\t\t\trelease_backing(pool, b)\n\t\t\tkfree(b)\n\t\t}\n\t}\n"
				+ "\top page_free f(page) {\n\t\tb = page.zone_device_data\n\t\tbo_put(b)\n\t}\n"
				+ "\top migrate_to_ram m(page) {\n\t}\n}\n"
				+ "scenario s {\n\tthread t {\n\t\tb = kzalloc(bo) else return\n\t\tkref_init(b)\n\t\tp = a(b) else return\n"
				+ "\t\tq = a(b) else return\n\t\tunlock_page(p)\n\t\tunlock_page(q)\n\t\tvm_insert_page(q)\n\t\tput_page(q)\n"
				+ "\t\tbo_put(b)\n\t\tput_page(p)\n\t\tunmap_page(q)\n\t}\n}\n";
		Checked c = check(text);
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		// the memory goes back before the last reference: a page still mapped is put back (R8)
		Checked early = check(text.replace("\t\tif kref_put(b) {\n\t\t\trelease_backing(pool, b)\n",
				"\t\trelease_backing(pool, b)\n\t\tif kref_put(b) {\n"));
		assertTrue(early.roots().contains("R8"), early.describe());
	}

	@Test
	public void onlyLivePagesOfTheCoveredPagemapPinAnObject() throws Exception {
		// a page still held at the end keeps the kref it took for its zone_device_data
		String pinned = spec("\tobject chunk kref 1 covers pm\n",
				"thread t {\np = a() else return\nkref_get(chunk)\np.zone_device_data = chunk\n}\n");
		Checked c = check(pinned);
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		// the object covers another pagemap: this page's pointer accounts for nothing
		String other = pinned.replace("covers pm", "covers other").replace("driver d {",
				"pagemap other type MEMORY_DEVICE_PRIVATE pages 1 ops d\ndriver d {");
		Checked leak = check(other);
		assertEquals(Set.of("R14"), leak.roots(), leak.describe());
		assertTrue(leak.violation("R14").message().contains("chunk has kref 2 but its own 1 and 0 live pages pin it"), leak.describe());
	}

	@Test
	public void aPinNeedsAMapping() throws Exception {
		Checked c = check(spec("", "thread t {\np = a() else return\npin_user_pages(p) else {\nput_page(p)\nreturn\n}\nwarn \"pinned\"\n}\n"));
		assertEquals(Verdict.PASS, c.report().verdict(), "GUP finds no mapping: the pin fails\n" + c.describe());
	}

	@Test
	public void lockOwnershipGoesPageByPage() throws Exception {
		String text = "spec t\nuses core v6_15\npagemap pmem type MEMORY_DEVICE_FS_DAX pages 2\n"
				+ "driver fs {\n\tmutex entry[3] owns pmem\n}\n";
		expectIssue(text, IssueCodes.WRONG_KIND, 5, "give the array 2 locks");
		String twoLocks = "spec t\nuses core v6_15\npagemap pmem type MEMORY_DEVICE_FS_DAX pages 2\n"
				+ "driver fs {\n\tmutex entry[2] owns pmem\n}\nscenario s {\n\tthread t {\n\t\tp = pfn_to_page(pmem, 1)\n"
				+ "\t\tmutex_lock(entry[0])\n\t\tp.mapping = private\n\t\tmutex_unlock(entry[0])\n\t}\n}\n";
		assertEquals(Set.of("R12"), check(twoLocks).roots(), "entry[0] owns page 0, not page 1");
		assertEquals(Verdict.PASS, check(twoLocks.replace("entry[0]", "entry[1]")).report().verdict());
	}

	// ------------------------------------------------------------------ traces show the bookkeeping

	@Test
	public void tracesNameHoldersOwnersPublishersAndObjects() throws Exception {
		String v6_0 = RulesTest.ONE_BASED.replace("set_page_count(page, 1)\n\t\tcall page_free(page)",
				"call page_free(page)\n\t\tset_page_count(page, 1)");
		Checked c = check(RulesTest.spec(v6_0, "kref_get(bo)\npage.zone_device_data = bo\n", RulesTest.PUSH
				+ "kref_put(bo)\n", "object bo kref 1\n", "thread t[2] {\np = a() else return\nget_page(p)\nput_page(p)\nput_page(p)\n}\n"));
		String all = c.describe();
		assertTrue(all.contains("held by t[0]"), all);
		assertTrue(all.contains("claimed by t[0]") || all.contains("claimed by t[1]"), all);
		assertTrue(all.contains("owned by t[0]") || all.contains("owned by t[1]"), all);
		assertTrue(all.contains("published by t[0]") || all.contains("published by t[1]"), all);
		assertTrue(all.contains("bo kref 1 -> 2"), all);
		assertTrue(all.contains("zone_device_data = bo"), all);
	}
}
