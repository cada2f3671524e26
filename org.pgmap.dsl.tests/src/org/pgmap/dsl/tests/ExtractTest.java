package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgmap.dsl.tests.CliTest.Run;

/**
 * {@code pgmap extract} and {@code pgmap conform} on what Coccinelle read in the real drivers of
 * Debian's linux-source 6.1 and 6.12 (org.pgmap.cli/extract/samples, extract.py's JSON, so that
 * these tests need no spatch; tools/extract-evidence.sh runs spatch on the kernel sources in CI):
 * the spec written for each driver, byte for byte against golden-extract/ (regenerate with
 * {@code -Dpgmap.golden.update=true}), its static checks, and its verdict against the kernel's
 * history.
 */
public class ExtractTest {

	/** One driver: the sample, the era its kernel version has, and the verdict the model check must give. */
	record Case(String version, String sample, String era, String verdict) {
		@Override
		public String toString() {
			return version + "/" + sample;
		}
	}

	/**
	 * The verdicts, as the kernel's history has them: test_hmm, nouveau and Xen's unpopulated
	 * allocator are correct on 6.1 and 6.12; book3s_hv_uvmem's page_free reads and clears
	 * zone_device_data after clear_bit published the page (R3, as examples/powerpc_uvmem); 6.12's
	 * p2pdma has the 1-based reset after page_free of v6.2 - v6.14 (R1, the v6.15 fix); kfd_migrate
	 * re-initialises the page of an address with nothing that checks its page_free ran (the 2025
	 * amd-gfx thread; examples/amdkfd/v6_1.pgmap, which models the driver's bookkeeping, names it
	 * R5; the extraction, which sees no pool, names the same race R12: the allocation writes a page
	 * another thread holds).
	 */
	static List<Case> cases() {
		return List.of(
				new Case("6.1", "test_hmm", "v6_1", "PASS"),
				new Case("6.12", "test_hmm", "v6_1", "PASS"),
				new Case("6.1", "nouveau_dmem", "v6_1", "PASS"),
				new Case("6.12", "nouveau_dmem", "v6_1", "PASS"),
				new Case("6.1", "book3s_hv_uvmem", "v6_1", "FAIL R3"),
				new Case("6.12", "book3s_hv_uvmem", "v6_1", "FAIL R3"),
				new Case("6.1", "kfd_migrate+kfd_svm", "v6_1", "FAIL R12"),
				new Case("6.12", "kfd_migrate+kfd_svm", "v6_1", "FAIL R12"),
				new Case("6.1", "xen_unpopulated_alloc", "v6_1", "PASS"),
				new Case("6.12", "xen_unpopulated_alloc", "v6_1", "PASS"),
				new Case("6.1", "p2pdma", "v6_1", "PASS"),
				new Case("6.12", "p2pdma", "v6_1", "FAIL R1"));
	}

	static Path sample(String version, String name) {
		return Specs.root().resolve("org.pgmap.cli/extract/samples/" + version + "/" + name + ".json");
	}

	static Path golden(Case c) {
		return Specs.root().resolve("org.pgmap.dsl.tests/golden-extract/" + c.version() + "/" + c.sample() + ".pgmap");
	}

	/** The spec extract writes for the case, into dir. */
	static Path extract(Case c, Path dir) {
		Run r = CliTest.run("extract", "--from-json", sample(c.version(), c.sample()).toString(), "--era", c.era(), "--out", dir.toString());
		assertEquals(0, r.exit(), r.out() + r.err());
		assertTrue(r.out().startsWith("pgmap extract: wrote "), r.out());
		try (var files = Files.list(dir)) {
			List<Path> written = files.filter(f -> f.toString().endsWith(".pgmap")).toList();
			assertEquals(1, written.size(), written.toString());
			return written.get(0);
		} catch (java.io.IOException e) {
			throw new AssertionError(e);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	public void theSpecWrittenForARealDriverMatchesItsGoldenFile(Case c, @TempDir Path dir) throws Exception {
		Path spec = extract(c, dir);
		String text = Files.readString(spec);
		Path golden = golden(c);
		if (Boolean.getBoolean("pgmap.golden.update")) {
			Files.createDirectories(golden.getParent());
			Files.writeString(golden, text);
		}
		assertTrue(Files.exists(golden), golden + " is missing: run ./mvnw verify -Dpgmap.golden.update=true");
		assertEquals(Files.readString(golden), text, golden + " differs from what extract writes now");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	public void theVerdictOnARealDriverIsTheKernelHistorys(Case c, @TempDir Path dir) {
		Path spec = extract(c, dir);
		Run r = CliTest.run("check", spec.toString());
		assertFalse(r.out().contains("internal-error") || r.err().contains("internal-error"), r.out() + r.err());
		TreeSet<String> rules = new TreeSet<>();
		Matcher m = Pattern.compile(": error: \\[(R\\d+)\\]").matcher(r.out());
		while (m.find()) {
			rules.add(m.group(1));
		}
		String verdict = r.exit() == 0 ? "PASS" : r.exit() == 1 && !rules.isEmpty() ? "FAIL " + rootCause(c.verdict(), rules) : "exit " + r.exit();
		assertEquals(c.verdict(), verdict, r.out() + r.err());
	}

	/** The expected root cause when the check reports it among others (its consequences), else all rules. */
	private static String rootCause(String expected, TreeSet<String> rules) {
		String want = expected.startsWith("FAIL ") ? expected.substring(5) : "";
		return rules.contains(want) ? want : String.join(",", rules);
	}

	@Test
	public void aDriverWithoutOpsOrAllocationIsAnErrorNotAGuess(@TempDir Path dir) {
		Run r = CliTest.run("extract", "--from-json", sample("6.1", "dax_device").toString(), "--era", "v6_1", "--out", dir.toString());
		assertEquals(2, r.exit());
		assertEquals("pgmap extract: error: no driver function of the C does anything to the page protocol (no ops body, no allocation)\n", r.err());
	}

	@Test
	public void anEraTheCDoesNotDecideMustBeGiven(@TempDir Path dir) {
		Run r = CliTest.run("extract", "--from-json", sample("6.1", "test_hmm").toString(), "--out", dir.toString());
		assertEquals(2, r.exit());
		assertTrue(r.err().startsWith("pgmap extract: error: the C fits the cores v6_1, v6_15 (zone_device_page_init(page) hands pages out); give --era"), r.err());
		Run bad = CliTest.run("extract", "--from-json", sample("6.1", "test_hmm").toString(), "--era", "v7", "--out", dir.toString());
		assertEquals(2, bad.exit());
		assertTrue(bad.err().startsWith("pgmap extract: error: --era v7: no such core (the library has v5_17, v6_0"), bad.err());
	}

	@Test
	public void anExistingSpecIsNotOverwritten(@TempDir Path dir) throws Exception {
		Path mine = dir.resolve("test_hmm.pgmap");
		Files.writeString(mine, "// my own spec\n");
		Run r = CliTest.run("extract", "--from-json", sample("6.1", "test_hmm").toString(), "--era", "v6_1", "--out", dir.toString());
		assertEquals(2, r.exit());
		assertTrue(r.err().contains("test_hmm.pgmap exists; it is not overwritten (--force replaces it, or choose another --out)"), r.err());
		assertEquals("// my own spec\n", Files.readString(mine));
		Run forced = CliTest.run("extract", "--from-json", sample("6.1", "test_hmm").toString(), "--era", "v6_1", "--out", dir.toString(), "--force");
		assertEquals(0, forced.exit(), forced.err());
		assertTrue(Files.readString(mine).startsWith("// Extracted by pgmap extract"));
	}

	@Test
	public void everyUnknownStatementIsAWarningAndAComment(@TempDir Path dir) throws Exception {
		Run r = CliTest.run("extract", "--from-json", sample("6.1", "test_hmm").toString(), "--era", "v6_1", "--out", dir.toString());
		String spec = Files.readString(dir.resolve("test_hmm.pgmap"));
		// BACKING_PAGE(page) reads zone_device_data through a macro the extraction does not expand
		assertTrue(spec.contains("// unknown: struct page *rpage = BACKING_PAGE(page); (test_hmm.c:1422)"), spec);
		assertTrue(r.err().contains("pgmap extract: warning: test_hmm.c:1422: unknown: struct page *rpage = BACKING_PAGE(page);"), r.err());
		assertTrue(r.out().contains("3 unknown statements"), r.out());
		// the steps cite their C lines
		assertTrue(spec.contains("zone_device_page_init(dpage) // test_hmm.c:684: zone_device_page_init(dpage);"), spec);
		assertTrue(spec.contains("push(device_free_pages, page) // test_hmm.c:1434: page->zone_device_data = mdevice->free_pages;"), spec);
	}

	@Test
	public void namesFromTheCBecomeNoCodeAndNoPaths(@TempDir Path dir) throws Exception {
		// a file name with a newline, a quote and a shell expansion; a function name that is a keyword of the spec
		String json = Files.readString(sample("6.1", "test_hmm"))
				.replace("\"linux-source-6.1/lib/test_hmm.c\"", "\"../$(touch PWNED)\\n}\\nscenario x { \\\"evil.c\"")
				.replace("\"dmirror_devmem_alloc_page\"", "\"scenario\"");
		Path file = dir.resolve("evil.json");
		Files.writeString(file, json);
		Run r = CliTest.run("extract", "--from-json", file.toString(), "--era", "v6_1", "--out", dir.resolve("out").toString());
		assertEquals(0, r.exit(), r.out() + r.err());
		try (var files = Files.list(dir.resolve("out"))) {
			List<Path> written = files.toList();
			assertEquals(1, written.size(), written.toString());
			assertTrue(written.get(0).getFileName().toString().matches("[A-Za-z0-9_.-]+\\.pgmap"), written.toString());
			String spec = Files.readString(written.get(0));
			assertTrue(spec.contains("alloc scenario_()"), spec);
			Run check = CliTest.run("check", "--static", written.get(0).toString());
			assertEquals(0, check.exit(), check.out() + check.err());
		}
		assertFalse(Files.exists(Path.of("PWNED")));
	}

	@Test
	public void conformFindsNothingOutOfOrderInTestHmmAgainstItsSpec() {
		Run r = CliTest.run("conform", Specs.examples().resolve("test_hmm/v6_1.pgmap").toString(), "test_hmm.c", "--from-json",
				sample("6.1", "test_hmm").toString());
		// the spec's migrate_to_ram abstracts migrate_vma_setup()/finalize() as lock_page/unlock_page: said as findings
		assertEquals(1, r.exit(), r.err());
		assertFalse(r.out().contains("[conform-order]"), r.out());
		assertTrue(r.out().contains("test_hmm.c:1440: warning: [conform-missing] dmirror_devmem_fault: the C never does lock_page(page)"), r.out());
		assertFalse(r.out().contains("dmirror_devmem_alloc_page"), r.out());
		assertFalse(r.out().contains("dmirror_devmem_free"), r.out());
	}

	@Test
	public void conformReportsAFieldWrittenInAnotherOrderOnItsCLine(@TempDir Path dir) throws Exception {
		String spec = Files.readString(Specs.examples().resolve("test_hmm/v6_1.pgmap"));
		String swapped = spec.replace("\t\tzone_device_page_init(page) // v6.1: pgmap ref, count 0 -> 1, lock_page\n\t\tpage.zone_device_data = private // dmirror's rpage\n",
				"\t\tpage.zone_device_data = private // dmirror's rpage\n\t\tzone_device_page_init(page) // v6.1: pgmap ref, count 0 -> 1, lock_page\n");
		assertFalse(swapped.equals(spec));
		Path file = dir.resolve("intended.pgmap");
		Files.writeString(file, swapped);
		Run r = CliTest.run("conform", file.toString(), "test_hmm.c", "--from-json", sample("6.1", "test_hmm").toString());
		assertEquals(1, r.exit(), r.err());
		assertTrue(r.out().contains("test_hmm.c:685: warning: [conform-order] dmirror_devmem_alloc_page: page.zone_device_data = _ comes after "
				+ "zone_device_page_init(page) (line 684) in the C; the spec (" ), r.out());
	}

	@Test
	public void conformReportsAPathWithoutTheInitHelper(@TempDir Path dir) throws Exception {
		String spec = Files.readString(Specs.examples().resolve("test_hmm/v6_1.pgmap"));
		// the intended protocol also resets the count in page_free (as v6.0's drivers did not)
		String more = spec.replace("\t\tpush(free_pages, page)\n", "\t\tset_page_count(page, 0)\n\t\tpush(free_pages, page)\n");
		Path file = dir.resolve("intended.pgmap");
		Files.writeString(file, more);
		Run r = CliTest.run("conform", file.toString(), "test_hmm.c", "--from-json", sample("6.1", "test_hmm").toString());
		assertEquals(1, r.exit(), r.err());
		assertTrue(r.out().contains("[conform-missing] dmirror_devmem_free: the C never does set_page_count(page, 0), which every path of the spec has"),
				r.out());
	}
}
