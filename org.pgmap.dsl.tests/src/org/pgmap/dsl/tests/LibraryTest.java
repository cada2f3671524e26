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
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.ModelPrinter;
import org.pgmap.engine.model.ExecModel;

import com.google.inject.Inject;

/** The library cores say what their kernels do, per pgmap type. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class LibraryTest {

	@Inject
	private ParseHelper<Model> parser;

	@Inject
	private ValidationTestHelper validator;

	private Checked check(String text) throws Exception {
		return Checked.check(parser, validator, text);
	}

	/**
	 * FS_DAX: a page the filesystem keeps associated while it is idle; one process unmaps it (the
	 * final put) while another faults the same file index in again under the DAX entry lock.
	 */
	static String fsdaxIdleNotDisassociated(String core) {
		return "spec t\nuses core " + core + "\n" //
				+ "pagemap pmem type MEMORY_DEVICE_FS_DAX pages 1 ops fs\n" //
				+ "driver fs {\n\tmutex entry owns pmem\n" //
				+ "\tproc fault(page) {\n\t\tmutex_lock(entry)\n\t\tif page.mapping == null {\n\t\t\tpage.mapping = private\n\t\t}\n"
				+ "\t\tfolio_ref_inc(page)\n\t\tvm_insert_page(page)\n\t\tfolio_put(page)\n\t\tmutex_unlock(entry)\n\t}\n}\n"
				+ "scenario s {\n\tthread a {\n\t\tstart {\n\t\t\tp = pfn_to_page(pmem, 0)\n\t\t\tfault(p)\n\t\t}\n\t\tunmap_page(p)\n\t}\n"
				+ "\tthread b {\n\t\tq = pfn_to_page(pmem, 0)\n\t\tfault(q)\n\t\tunmap_page(q)\n\t}\n}\n";
	}

	@Test
	public void v6_15KeepsTheMappingOfFsDaxPages() throws Exception {
		Checked c = check(fsdaxIdleNotDisassociated("v6_15"));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		// a core that clears mapping in the free path for every type clobbers the filesystem's page
		String clearing = Specs.read(Specs.library().resolve("v6_15.pgmap")).replace("core v6_15", "core clearing")
				.replace("wake_up_var(page) // no mapping write", "page.mapping = null\n\t\t\twake_up_var(page) // no mapping write");
		Checked bad = check(fsdaxIdleNotDisassociated("clearing") + clearing);
		assertEquals(Set.of("R10"), bad.roots(), bad.describe());
	}

	@Test
	public void beforeV6_15FsDaxPagesIdleAtOneAndTheirFinalPutOnlyWakes() throws Exception {
		Checked c = check(fsdaxIdleNotDisassociated("v6_1").replace("folio_ref_inc(page)\n\t\tvm_insert_page(page)\n\t\tfolio_put(page)",
				"vmf_insert_mixed(page)"));
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		ExecModel.Pagemap pmem = c.models.get(0).pagemaps().get(0);
		assertEquals(1, pmem.idleRefcount());
		assertEquals(1, pmem.finalPutAt());
		assertFalse(pmem.coreFrees());
		// a pin's last put brings the count back to 1: that is the final put, which wakes truncate
		Checked pinned = check("spec t\nuses core v6_1\npagemap pmem type MEMORY_DEVICE_FS_DAX pages 1\n" //
				+ "driver fs {\n\tmutex entry owns pmem\n}\n" //
				+ "scenario s {\n\tthread dio {\n\t\tstart {\n\t\t\tp = pfn_to_page(pmem, 0)\n\t\t\tmutex_lock(entry)\n" //
				+ "\t\t\tvmf_insert_mixed(p)\n\t\t\tmutex_unlock(entry)\n\t\t\tpin_user_pages(p) else return\n\t\t}\n" //
				+ "\t\tunpin_user_page(p)\n\t}\n\tthread truncate {\n\t\tq = pfn_to_page(pmem, 0)\n" //
				+ "\t\tunmap_mapping_range(q)\n\t\twait_var_event(q, page_ref_count(q) == 1)\n\t}\n}\n");
		assertEquals(Verdict.PASS, pinned.report().verdict(), pinned.describe());
	}

	@Test
	public void danV2CallsPageFreeOnlyWhenThePagemapHasOneAndWakesTheFilesystem() throws Exception {
		assertTrue(Specs.read(Specs.library().resolve("dan_v2.pgmap")).contains("wake_up_var(page)"));
		Checked c = check("spec t\nuses core dan_v2\npagemap pm type MEMORY_DEVICE_GENERIC pages 1 init_mode INIT_PAGEMAP_IDLE ops d\n"
				+ "driver d {\n\towner of pm\n\tproc hold(page) {\n\t\tfolio_ref_inc(page)\n\t}\n}\n"
				+ "scenario s {\n\tthread t {\n\t\tp = pfn_to_page(pm, 0)\n\t\thold(p)\n\t\tput_page(p)\n\t}\n}\n");
		assertEquals(Verdict.PASS, c.report().verdict(), c.describe());
		assertFalse(ModelPrinter.text(c.models.get(0)).contains("page_free_begin"), ModelPrinter.text(c.models.get(0)));
	}

	@Test
	public void oneEraHasAThresholdAndAHandOffCountPerType() throws Exception {
		Checked with = check("spec t\nuses core v5_17\npagemap dev type MEMORY_DEVICE_PRIVATE pages 1 ops d\n"
				+ "pagemap gen type MEMORY_DEVICE_GENERIC pages 1\n"
				+ "driver d {\n\top page_free f(page) {\n\t}\n\top migrate_to_ram m(page) {\n\t}\n}\nscenario s {\n\tthread t {\n\t}\n}\n");
		ExecModel.Pagemap dev = with.models.get(0).pagemaps().get(0);
		ExecModel.Pagemap gen = with.models.get(0).pagemaps().get(1);
		assertEquals(1, dev.finalPutAt());
		assertEquals(2, dev.handoffRefcount());
		assertEquals(0, gen.finalPutAt());
		assertEquals(1, gen.handoffRefcount());
	}
}
