package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.ide.quickfix.QuickFixes;
import org.pgmap.dsl.ide.quickfix.QuickFixes.Fix;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.validation.IssueCodes;

import com.google.inject.Inject;

/** Each quick fix: the finding, the fix applied, the resulting text, and the finding gone. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class QuickFixTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	private Fix onlyFix(String text, String code) throws Exception {
		Model model = parser.parse(text);
		Issue issue = validator.validate(model).stream().filter(i -> code.equals(i.getCode())).findFirst()
				.orElseThrow(() -> new AssertionError("no " + code + " in " + validator.validate(model)));
		List<Fix> fixes = QuickFixes.fixes((XtextResource) model.eResource(), issue);
		assertEquals(1, fixes.size(), fixes.toString());
		return fixes.get(0);
	}

	private void clean(String text, String code) throws Exception {
		Model model = parser.parse(text);
		assertTrue(validator.validate(model).stream().noneMatch(i -> code.equals(i.getCode())), validator.validate(model).toString());
	}

	@Test
	public void moveTheResetBeforeThePublishingCall() throws Exception {
		String core = """
				core mine {
					idle refcount 1
					on final_put(page) {
						page.mapping = null
						call page_free(page)
						set_page_count(page, 1) // racy
					}
				}
				""";
		Fix fix = onlyFix(core, IssueCodes.WRITE_AFTER_PUBLISH);
		String fixed = fix.apply(core);
		assertEquals("""
				core mine {
					idle refcount 1
					on final_put(page) {
						page.mapping = null
						set_page_count(page, 1)
						call page_free(page)
					}
				}
				""", fixed);
		clean(fixed, IssueCodes.WRITE_AFTER_PUBLISH);
	}

	@Test
	public void replaceGetPageOnAZeroPageWithTheInitHelper() throws Exception {
		String spec = Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap")).replace("zone_device_page_init(page)", "get_page(page)");
		Model model = parser.parse(spec);
		int offset = spec.indexOf("get_page(page)");
		// R6 comes from the model check; the fix keys on the statement it marks
		List<Fix> fixes = QuickFixes.fixes((XtextResource) model.eResource(), "R6", offset, null);
		assertEquals(1, fixes.size());
		assertEquals("Replace get_page with zone_device_page_init, the era's init helper", fixes.get(0).label());
		assertEquals(Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap")), fixes.get(0).apply(spec));
	}

	@Test
	public void addTheMissingUnlockBeforeTheReturn() throws Exception {
		String spec = Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap"));
		String broken = spec.replaceFirst("\t\t\tspin_unlock\\(mdevice_lock\\)\n\t\t\treturn none", "\t\t\treturn none");
		Fix fix = onlyFix(broken, IssueCodes.LOCK_NOT_RELEASED);
		assertEquals(spec, fix.apply(broken));
		clean(fix.apply(broken), IssueCodes.LOCK_NOT_RELEASED);
	}

	@Test
	public void addTheMissingUnlockAtTheEnd() throws Exception {
		String spec = Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap"));
		String broken = spec.replaceFirst("\t\tpush\\(free_pages, page\\)\n\t\tspin_unlock\\(mdevice_lock\\)\n", "\t\tpush(free_pages, page)\n");
		Fix fix = onlyFix(broken, IssueCodes.LOCK_NOT_RELEASED);
		assertEquals(spec, fix.apply(broken));
	}
}
