package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.library.PgmapLibrary;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Helper;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.ProcCall;

import com.google.inject.Inject;

/** Names resolve into the shipped kernel-era library, so go-to-definition lands in it. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class ScopingTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	@Inject
	private PgmapLibrary library;

	@Test
	public void everyEraIsInTheLibraryAndValidates() {
		assertEquals(PgmapLibrary.FILES.size(), library.cores().size());
		for (String name : PgmapLibrary.FILES) {
			assertTrue(library.cores().stream().anyMatch(c -> c.getName().equals(name)), name);
		}
		for (var r : library.resources()) {
			Model m = (Model) r.getContents().get(0);
			assertTrue(r.getErrors().isEmpty(), r.getURI() + ": " + r.getErrors());
			validator.assertNoErrors(m);
		}
	}

	@Test
	public void usesCoreAndHelpersResolveIntoTheLibrary() throws Exception {
		Model model = parser.parse("spec s\nuses core v6_1\npagemap pm type MEMORY_DEVICE_GENERIC pages 1 ops d\n"
				+ "driver d {\n\tproc p(page) {\n\t\tzone_device_page_init(page)\n\t}\n}\n");
		validator.assertNoErrors(model);
		Core core = model.getHeader().getCore();
		assertFalse(core.eIsProxy());
		assertTrue(core.eResource().getURI().toString().endsWith("library/v6_1.pgmap"), core.eResource().getURI().toString());
		ProcCall call = EcoreUtil2.getAllContentsOfType(model, ProcCall.class).get(0);
		assertTrue(call.getProc() instanceof Helper);
		assertEquals(core, call.getProc().eContainer());
	}

	@Test
	public void aHelperOfAnotherCoreIsNotVisible() throws Exception {
		Model model = parser.parse("spec s\nuses core v6_0\npagemap pm type MEMORY_DEVICE_GENERIC pages 1 ops d\n"
				+ "driver d {\n\tproc p(page) {\n\t\tzone_device_page_init(page)\n\t}\n}\n");
		validator.assertError(model, org.pgmap.dsl.pgmap.PgmapPackage.Literals.PROC_CALL, "undefined-name",
				"'zone_device_page_init' is not declared");
	}

	@Test
	public void aSpecCoreShadowsTheLibrary() throws Exception {
		Model model = parser.parse("spec s\nuses core v6_0\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n"
				+ "core v6_0 {\n\tidle refcount 1\n\ton final_put(page) {\n\t}\n}\n");
		validator.assertNoErrors(model);
		assertEquals(model.eResource(), model.getHeader().getCore().eResource());
	}

	@Test
	public void variablesAreVisibleOnlyAfterTheirAssignment() throws Exception {
		Model model = parser.parse("spec s\nuses core v6_1\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n"
				+ "scenario sc {\n\tthread t {\n\t\tput_page(p)\n\t\tp = any_page(pm)\n\t}\n}\n");
		validator.assertError(model, org.pgmap.dsl.pgmap.PgmapPackage.Literals.SYMBOL_REF, "undefined-name", "'p' is not declared");
	}
}
