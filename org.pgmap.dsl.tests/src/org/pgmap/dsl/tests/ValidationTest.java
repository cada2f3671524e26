package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.validation.IssueCodes;

import com.google.inject.Inject;

/** Each static check: the snippet, the issue code, the line it lands on, the words of its message. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ValidationTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	/** A spec with one driver whose procedure bodies are given; line 1 is the spec line. */
	static String spec(String core, String driverBody, String scenario) {
		return "spec s \"t\"\n" // 1
				+ "uses core " + core + "\n" // 2
				+ "pagemap pm type MEMORY_DEVICE_PRIVATE pages 2 ops drv\n" // 3
				+ "driver drv {\n" // 4
				+ "\tspinlock l\n" // 5
				+ "\tmutex vm_lock[2]\n" // 6
				+ "\tfreelist fl linked by zone_device_data guarded by l holds pm\n" // 7
				+ "\top page_free drv_free(page) {\n" // 8
				+ "\t\tspin_lock(l)\n" // 9
				+ "\t\tpush(fl, page)\n" // 10
				+ "\t\tspin_unlock(l)\n" // 11
				+ "\t}\n" // 12
				+ "\top migrate_to_ram drv_fault(page) {\n" // 13
				+ "\t}\n" // 14
				+ driverBody // from line 15
				+ "}\n" + scenario;
	}

	private List<Issue> issues(String text) throws Exception {
		Model model = parser.parse(text);
		assertNotNull(model);
		return validator.validate(model);
	}

	private Issue expect(String text, String code, int line, String... words) throws Exception {
		List<Issue> issues = issues(text);
		for (Issue i : issues) {
			if (SpecChecker.idOf(i.getCode()).equals(code) && i.getLineNumber() == line) {
				for (String w : words) {
					assertTrue(i.getMessage().contains(w), "message of " + code + " has '" + w + "': " + i.getMessage());
				}
				return i;
			}
		}
		throw new AssertionError("expected [" + code + "] on line " + line + ", got:\n" + describe(issues));
	}

	/** No finding about what the text says (a snippet without scenarios is fine: it is not model-checked here). */
	private void expectClean(String text) throws Exception {
		List<Issue> issues = issues(text).stream()
				.filter(i -> !SpecChecker.idOf(i.getCode()).equals(IssueCodes.NOTHING_TO_CHECK)).toList();
		assertTrue(issues.isEmpty(), describe(issues));
	}

	private static String describe(List<Issue> issues) {
		return issues.stream().map(i -> i.getLineNumber() + ": " + i.getSeverity() + " [" + SpecChecker.idOf(i.getCode()) + "] " + i.getMessage())
				.collect(Collectors.joining("\n"));
	}

	static final String ALLOC_OK = "\talloc drv_alloc() {\n" // 15
			+ "\t\tspin_lock(l)\n" // 16
			+ "\t\tpage = pop(fl) else {\n" // 17
			+ "\t\t\tspin_unlock(l)\n" // 18
			+ "\t\t\treturn none\n" // 19
			+ "\t\t}\n" // 20
			+ "\t\tspin_unlock(l)\n" // 21
			+ "\t\tzone_device_page_init(page)\n" // 22
			+ "\t\treturn page\n" // 23
			+ "\t}\n";

	static final String SCENARIO = "scenario sc {\n\tthread t[2] {\n\t\tp = drv_alloc() else return\n\t\tunlock_page(p)\n\t\tput_page(p)\n\t}\n}\n";

	@Test
	public void aCorrectSpecIsClean() throws Exception {
		expectClean(spec("v6_1", ALLOC_OK, SCENARIO));
	}

	@Test
	public void undefinedName() throws Exception {
		expect(spec("v6_1", "\tproc p() {\n\t\tspin_lock(mdevice_lok)\n\t\tspin_unlock(l)\n\t}\n", ""),
				IssueCodes.UNDEFINED_NAME, 16, "'mdevice_lok' is not declared");
	}

	@Test
	public void undefinedCore() throws Exception {
		expect(spec("v9_9", ALLOC_OK, ""), IssueCodes.UNDEFINED_NAME, 2, "'v9_9' is not declared", "v6_1");
	}

	@Test
	public void wronglyKindedName() throws Exception {
		expect(spec("v6_1", "\tproc p() {\n\t\tspin_lock(fl)\n\t}\n", ""), IssueCodes.WRONG_KIND, 16,
				"spin_lock needs a spinlock", "'fl' is a free list");
	}

	@Test
	public void mutexTakenWithSpinLock() throws Exception {
		expect(spec("v6_1", "\tproc p(vm) {\n\t\tspin_lock(vm_lock[vm])\n\t\tspin_unlock(vm_lock[vm])\n\t}\n", ""),
				IssueCodes.WRONG_KIND, 16, "needs a spinlock", "is a mutex");
	}

	@Test
	public void lockArrayWithoutIndex() throws Exception {
		expect(spec("v6_1", "\tproc p() {\n\t\tmutex_lock(vm_lock)\n\t\tmutex_unlock(vm_lock)\n\t}\n", ""),
				IssueCodes.WRONG_KIND, 16, "array of 2 locks");
	}

	@Test
	public void wrongArity() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tset_page_count(page)\n\t}\n", ""), IssueCodes.WRONG_ARITY, 16,
				"set_page_count takes 2 arguments, not 1");
	}

	@Test
	public void lockNotReleasedOnEveryPath() throws Exception {
		// the sketch's "pop(...) else return none" while holding the lock
		expect(spec("v6_1", "\talloc a() {\n\t\tspin_lock(l)\n\t\tpage = pop(fl) else return none\n\t\tspin_unlock(l)\n\t\treturn page\n\t}\n", ""),
				IssueCodes.LOCK_NOT_RELEASED, 16, "l is not released on every path", "return on line 17");
	}

	@Test
	public void lockNotReleasedAtTheEnd() throws Exception {
		expect(spec("v6_1", "\tproc p(vm) {\n\t\tmutex_lock(vm_lock[vm])\n\t}\n", ""), IssueCodes.LOCK_NOT_RELEASED, 16,
				"vm_lock[vm] is not released", "at the end of p");
	}

	@Test
	public void lockReleasedTwice() throws Exception {
		expect(spec("v6_1", "\tproc p() {\n\t\tspin_lock(l)\n\t\tspin_unlock(l)\n\t\tspin_unlock(l)\n\t}\n", ""),
				IssueCodes.LOCK_RELEASED_TWICE, 18, "released twice");
	}

	@Test
	public void lockReleasedOnOnePathOnly() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tif page_ref_count(page) == 0 {\n\t\t\tspin_lock(l)\n\t\t}\n\t\tspin_unlock(l)\n\t}\n", ""),
				IssueCodes.LOCK_RELEASED_TWICE, 19, "on a path where it is not held");
	}

	@Test
	public void lockNeverTaken() throws Exception {
		expect(spec("v6_1", "\tproc p() {\n\t\tspin_unlock(l)\n\t}\n", ""), IssueCodes.LOCK_NEVER_TAKEN, 16,
				"l is released but never taken in p");
	}

	@Test
	public void lockTakenTwice() throws Exception {
		expect(spec("v6_1", "\tproc p() {\n\t\tspin_lock(l)\n\t\tspin_lock(l)\n\t\tspin_unlock(l)\n\t}\n", ""),
				IssueCodes.LOCK_TAKEN_TWICE, 17, "already held");
	}

	@Test
	public void pushWithoutTheListLock() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tpush(fl, page)\n\t}\n", ""), IssueCodes.POOL_UNGUARDED, 16,
				"push on fl without holding l");
	}

	@Test
	public void popWithoutTheListLock() throws Exception {
		expect(spec("v6_1", "\talloc a() {\n\t\tpage = pop(fl) else return none\n\t\treturn page\n\t}\n", ""),
				IssueCodes.POOL_UNGUARDED, 16, "pop on fl without holding l");
	}

	@Test
	public void privatePagemapWithoutPageFree() throws Exception {
		String text = "spec s\nuses core v6_1\npagemap pm type MEMORY_DEVICE_COHERENT pages 1 ops d\ndriver d {\n}\n";
		expect(text, IssueCodes.MISSING_OP, 3, "MEMORY_DEVICE_COHERENT pages need a page_free op");
	}

	@Test
	public void privatePagemapWithoutOps() throws Exception {
		expect("spec s\nuses core v6_1\npagemap pm type MEMORY_DEVICE_PRIVATE pages 1\n", IssueCodes.MISSING_OP, 3,
				"need a page_free op");
	}

	@Test
	public void genericPagemapNeedsNoOps() throws Exception {
		expectClean("spec s\nuses core v6_15\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n");
	}

	@Test
	public void unreachableStatement() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\treturn\n\t\tput_page(page)\n\t}\n", ""), IssueCodes.UNREACHABLE, 17,
				"unreachable", "line 16");
	}

	@Test
	public void unreachableAfterAnIfThatAlwaysReturns() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tif page_ref_count(page) == 0 {\n\t\t\treturn\n\t\t} else {\n\t\t\treturn\n\t\t}\n\t\tput_page(page)\n\t}\n", ""),
				IssueCodes.UNREACHABLE, 21, "unreachable", "line 16");
	}

	@Test
	public void writeAfterPublishInTheDriver() throws Exception {
		Issue i = expect(spec("v6_1", "\top folio_free f2(page) {\n\t\tspin_lock(l)\n\t\tpush(fl, page)\n\t\tspin_unlock(l)\n\t\tpage.zone_device_data = null\n\t}\n", ""),
				IssueCodes.WRITE_AFTER_PUBLISH, 19, "writes page->zone_device_data after 'push(fl, page)' (line 17)");
		assertEquals(Severity.WARNING, i.getSeverity());
	}

	@Test
	public void readAfterPublish() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tspin_lock(l)\n\t\tpush(fl, page)\n\t\tspin_unlock(l)\n\t\tkref_put(page.zone_device_data)\n\t}\n", ""),
				IssueCodes.READ_AFTER_PUBLISH, 19, "reads page->zone_device_data");
	}

	@Test
	public void writeAfterPageFreeInACore() throws Exception {
		String core = "core mine \"reset after page_free\" {\n\tidle refcount 1\n\ton final_put(page) {\n\t\tcall page_free(page)\n\t\tset_page_count(page, 1)\n\t}\n}\n";
		expect(core, IssueCodes.WRITE_AFTER_PUBLISH, 5, "set_page_count writes the refcount of page after 'call page_free(page)' (line 4)");
	}

	@Test
	public void resetBeforePageFreeIsClean() throws Exception {
		expectClean("core mine {\n\tidle refcount 1\n\ton final_put(page) {\n\t\tset_page_count(page, 1)\n\t\tcall page_free(page)\n\t}\n}\n");
	}

	@Test
	public void freeListThroughLru() throws Exception {
		String text = spec("v6_1", "", "").replace("linked by zone_device_data", "linked by lru");
		expect(text, IssueCodes.LRU_LINKED, 7, "page->lru", "aliases page->pgmap", "R10");
	}

	@Test
	public void writingPgmapIsAnError() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tpage.pgmap = null\n\t}\n", ""), IssueCodes.PGMAP_FIELD_WRITE, 16, "constant");
	}

	@Test
	public void recursionIsUnbounded() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tq(page)\n\t}\n\tproc q(page) {\n\t\tp(page)\n\t}\n", ""),
				IssueCodes.RECURSION, 15, "unbounded", "p -> q -> p");
	}

	@Test
	public void hugeRepeatIsReported() throws Exception {
		expect(spec("v6_1", ALLOC_OK, "scenario sc {\n\tthread t {\n\t\trepeat 1000000 {\n\t\t\tp = drv_alloc() else return\n\t\t}\n\t}\n}\n"),
				IssueCodes.UNBOUNDED, 28, "1000000 times");
	}

	@Test
	public void manyThreadsAreReported() throws Exception {
		expect(spec("v6_1", ALLOC_OK, "scenario sc {\n\tthread t[20] {\n\t\tp = drv_alloc() else return\n\t}\n}\n"),
				IssueCodes.UNBOUNDED, 26, "20 threads");
		// past what the model holds: an error on the group that passes it
		expect(spec("v6_1", ALLOC_OK, "scenario sc {\n\tthread t[40] {\n\t\tp = drv_alloc() else return\n\t}\n}\n"),
				IssueCodes.TOO_LARGE, 27, "40 threads by here", "at most 30");
	}

	@Test
	public void repeatInACore() throws Exception {
		String core = "core k {\n\tidle refcount 0\n\ton final_put(page) {\n\t\trepeat 2 {\n\t\t\twake_up_var(page)\n\t\t}\n\t}\n}\n";
		expect(spec("k", "", "") + core, IssueCodes.MISPLACED, 19, "not in the core");
		// in a driver's procedure a bounded loop is fine (a multi-page allocation)
		expectClean(spec("v6_1", "\tproc p(page) {\n\t\trepeat 2 {\n\t\t\tget_page(page)\n\t\t}\n\t}\n", ""));
	}

	@Test
	public void elseOnACallThatCannotFail() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tget_page(page) else return\n\t}\n", ""), IssueCodes.ELSE_NOT_ALLOWED, 16,
				"get_page(page)' cannot fail");
	}

	@Test
	public void specWithoutCore() throws Exception {
		expect("spec s\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n", IssueCodes.MISSING_CORE, 1, "uses core");
	}

	@Test
	public void coreWithoutIdleOrFinalPut() throws Exception {
		expect("core c {\n\ton init(page) {\n\t}\n}\n", IssueCodes.CORE_INCOMPLETE, 1, "no idle refcount");
		expect("core c {\n\tidle refcount 0\n}\n", IssueCodes.CORE_INCOMPLETE, 1, "no 'on final_put");
	}

	@Test
	public void coreWithoutARuleForTheType() throws Exception {
		String core = "core c {\n\tidle refcount 0 for MEMORY_DEVICE_PRIVATE\n\ton final_put(page) {\n\t}\n}\n";
		expect("spec s\nuses core c\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n" + core, IssueCodes.NO_IDLE_REFCOUNT, 3,
				"gives no idle refcount for MEMORY_DEVICE_GENERIC");
	}

	@Test
	public void duplicateNames() throws Exception {
		expect(spec("v6_1", "\tspinlock l\n", ""), IssueCodes.DUPLICATE_NAME, 15, "'l' is declared twice", "line 5");
	}

	@Test
	public void syntaxErrorHasALine() throws Exception {
		expect(spec("v6_1", "\tproc p(page) {\n\t\tget_page(page\n\t}\n", ""), IssueCodes.SYNTAX, 17);
	}

	@Test
	public void aSpecMayDefineItsOwnCore() throws Exception {
		String text = "spec s\nuses core mine\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n"
				+ "core mine {\n\tidle refcount 1\n\ton final_put(page) {\n\t\tset_page_count(page, 1)\n\t}\n}\n";
		expectClean(text);
	}
}
