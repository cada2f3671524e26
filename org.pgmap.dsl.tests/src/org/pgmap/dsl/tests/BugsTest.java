package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.ModelPrinter;

import com.google.inject.Inject;

/** The reproducers of issue 10's bugs, each failing before its fix. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class BugsTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	private Checked check(String text) throws Exception {
		return Checked.check(parser, validator, text);
	}

	/** An alloc in the RulesTest shape on the 0-based core: claims from the free list and sets the count. */
	private static String spec(String more, String scenario) {
		return RulesTest.spec(RulesTest.ZERO_BASED, "set_page_count(page, 1)\n", RulesTest.PUSH, more, scenario);
	}

	@Test
	public void aStatementAfterAnAtomicBlockEndingInANonFinalPutIsAStepOfItsOwn() throws Exception {
		String scenario = "thread t {\natomic {\np = a() else return\nget_page(p)\nunlock_page(p)\nput_page(p)\n}\nwarn \"x\"\n}\n";
		String text = spec("", scenario);
		Checked c = check(text);
		Checker.Violation warn = c.violation("WARN");
		int warnLine = lineOf(text, "warn \"x\"");
		Checker.TraceStep last = warn.trace().get(warn.trace().size() - 1);
		assertEquals(warnLine, last.loc().line(), c.describe());
		assertEquals(2, warn.trace().size(), "the atomic block, then the warn:\n" + c.describe());
		assertTrue(warn.trace().get(0).changes().startsWith("ran "), "the atomic step lists what it ran:\n" + c.describe());
	}

	@Test
	public void aProcCallsElseRunsOnlyWhenTheProcFails() throws Exception {
		String proc = "proc try_pin(page) {\nget_page_unless_zero(page) else return\n}\n";
		// the page is at refcount 1: the try succeeds, the else never runs
		Checked ok = check(spec(proc, "thread t {\np = a() else return\ntry_pin(p) else {\nwarn \"pin failed\"\nreturn\n}\n"
				+ "put_page(p)\nput_page(p)\n}\n"));
		assertEquals(Verdict.PASS, ok.report().verdict(), ok.describe());
		// after the last put the page is at 0: the try fails and the else runs
		Checked fails = check(spec(proc, "thread t {\np = a() else return\nput_page(p)\ntry_pin(p) else {\nwarn \"pin failed\"\n"
				+ "return\n}\n}\n"));
		assertEquals(Set.of("WARN"), fails.roots(), fails.describe());
	}

	/** A GENERIC pagemap whose driver has no page_free, under a core whose final put calls it. */
	private static String noPageFree(String finalPut) {
		return "spec t\nuses core k\n" //
				+ "core k {\n\tidle refcount 0\n\ton final_put(page) {\n" + finalPut + "\t}\n}\n" //
				+ "pagemap pm type MEMORY_DEVICE_GENERIC pages 1 ops d\n" //
				+ "driver d {\n\towner of pm\n\tproc hold(page) {\n\t\tfolio_ref_inc(page)\n\t}\n}\n" //
				+ "scenario s {\n\tthread t {\n\t\tp = pfn_to_page(pm, 0)\n\t\thold(p)\n\t\tput_page(p)\n\t}\n}\n";
	}

	@Test
	public void callPageFreeRunsNothingForADriverWithoutTheOpAndSaysSo() throws Exception {
		Checked c = check(noPageFree("\t\tcall page_free(page)\n"));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		assertFalse(ModelPrinter.text(c.models.get(0)).contains("page_free_begin"), ModelPrinter.text(c.models.get(0)));
		assertEquals(1, c.warnings(IssueCodes.NO_PAGE_FREE).size(), Checked.describe(c.issues));
		assertTrue(c.warnings(IssueCodes.NO_PAGE_FREE).get(0).getMessage().contains("driver d has no page_free op"));
		// the else of the call runs instead, as the kernel's WARN_ON_ONCE(!ops->page_free) does
		Checked warned = check(noPageFree("\t\tcall page_free(page) else warn \"no page_free\"\n"));
		assertEquals(Set.of("WARN"), warned.roots(), warned.describe());
	}

	static int lineOf(String text, String fragment) {
		String[] lines = text.split("\n");
		for (int i = 0; i < lines.length; i++) {
			if (lines[i].contains(fragment)) {
				return i + 1;
			}
		}
		throw new AssertionError("no line with " + fragment);
	}
}
