package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pgmap.dsl.tests.CliTest.Run;
import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.RaceDiagram;
import org.pgmap.engine.model.Call;
import org.pgmap.engine.model.Loc;

/**
 * Race diagrams (`check --format diagram`, `diff --format diagram|mail`): the two-column CPU0/CPU1
 * drawing of a commit message, calls indented, refcounts in the margin, at most 80 columns of
 * plain ASCII. The diagrams of the seed race are golden files (golden-diagrams/; update with
 * {@code -Dpgmap.golden.update=true}).
 */
public class RaceDiagramTest {

	private static String spec(String name) {
		return Specs.examples().resolve("test_hmm").resolve(name).toString();
	}

	/** The diagram blocks of a report: from a "CPU0 (" line to the next blank line. */
	private static List<List<String>> diagrams(String out) {
		List<List<String>> all = new ArrayList<>();
		List<String> current = null;
		for (String line : out.split("\n", -1)) {
			if (line.startsWith("CPU0 (") || line.startsWith("CPU0 = ")) {
				current = new ArrayList<>();
				all.add(current);
			}
			if (current != null) {
				if (line.isEmpty()) {
					current = null;
				} else {
					current.add(line);
				}
			}
		}
		return all;
	}

	private static void assertPlain(List<String> lines) {
		for (String l : lines) {
			assertTrue(l.length() <= 80, "longer than 80 columns (" + l.length() + "): " + l);
			assertTrue(l.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "not plain ASCII: " + l);
		}
	}

	@Test
	public void theSeedRaceIsDrawnAsInACommitMessage() throws Exception {
		Run r = CliTest.run("check", "--no-cache", "--format", "diagram", spec("v6_0.pgmap"));
		assertEquals(1, r.exit(), r.out() + r.err());
		List<List<String>> diagrams = diagrams(r.out());
		assertEquals(5, diagrams.size(), "one diagram per violated rule (R1, R2, R4, R6, R8):\n" + r.out());
		for (List<String> d : diagrams) {
			assertPlain(d);
		}
		List<String> r1 = diagrams.get(0);
		assertTrue(r1.get(0).startsWith("CPU0 (user[0])") && r1.get(0).endsWith("refcount"), r1.get(0));
		// the call nesting of the free path, as kernel people write it, inside the library's actor
		String text = String.join("\n", r1);
		assertTrue(text.contains("\nmigrate_user()\n  dmirror_devmem_alloc_page()\n"), text);
		assertTrue(text.contains("\n  put_page(p)                                                 dmirror[1] 1->0\n"
				+ "    free_zone_device_page()\n"
				+ "      page.mapping = null\n"
				+ "      call page_free(page)\n"
				+ "      dmirror_devmem_free()\n"
				+ "        spin_lock(mdevice_lock)\n"
				+ "        push(free_pages, page)\n"), text);
		// R6: the second CPU takes the page off the free list while its refcount is 0 and gets it
		List<String> r6 = diagrams.get(3);
		assertTrue(r6.get(0).startsWith("CPU0 (user[0])                 CPU1 (user[1])"), r6.get(0));
		assertTrue(r6.get(r6.size() - 1).matches(" {33}get_page\\(p\\) +dmirror\\[1\\] 0->1"), r6.get(r6.size() - 1));

		Path golden = GoldenTest.golden().resolveSibling("golden-diagrams").resolve("test_hmm_v6_0.check.txt");
		StringBuilder all = new StringBuilder();
		for (List<String> d : diagrams) {
			all.append(String.join("\n", d)).append("\n\n");
		}
		if (Boolean.getBoolean("pgmap.golden.update")) {
			Files.createDirectories(golden.getParent());
			Files.writeString(golden, all.toString());
		}
		assertTrue(Files.exists(golden), golden + " is missing: run ./mvnw verify -Dpgmap.golden.update=true");
		assertEquals(Files.readString(golden), all.toString(), "the diagrams of " + golden.getFileName());
	}

	@Test
	public void manyThreadsAndHostileTextStayWithin80AsciiColumns() {
		List<TraceStep> steps = new ArrayList<>();
		Loc site = new Loc("x.pgmap", 3, 1, "a_rather_long_procedure_name_for_a_column(page, other)");
		for (int t = 0; t < 6; t++) {
			String thread = t == 0 ? "us\u00e9r\n[0]" : "thread_with_a_very_long_name_number_" + t;
			steps.add(new TraceStep(t + 1, thread, new Loc("x.pgmap", 10 + t, 1, "spin_lock(\u2028lock)\t// caf\u00e9 " + "x".repeat(200)),
					"", List.of(new Call("a_rather_long_procedure_name_for_a_column", site), new Call("inner", site)),
					List.of("page_with_a_long_name[" + t + "] 1 -> 0", "other[0] 2 -> 3")));
		}
		List<String> lines = RaceDiagram.lines(steps);
		assertPlain(lines);
		// the names do not fit six columns: a legend above them
		assertEquals("CPU0 = us?r?[0]", lines.get(0));
		assertEquals("CPU5 = thread_with_a_very_long_name_number_5", lines.get(5));
		assertTrue(lines.get(6).startsWith("CPU0      CPU1") && lines.get(6).contains("CPU5"), lines.get(6));
		// each thread's step: two call headers, the statement, one more margin line for the second page
		assertEquals(6 + 2 + 6 * 4, lines.size(), String.join("\n", lines));
		assertFalse(lines.stream().anyMatch(l -> l.contains("\t")));
	}

	@Test
	public void mailReplySaysWhatTheChangeBreaksWithTheDiagram() {
		Run r = CliTest.run("diff", "--format", "mail", "--core", "reorder", "--vs-core", "v6_0", spec("v6_0.pgmap"));
		assertEquals(1, r.exit(), r.out() + r.err());
		String[] lines = r.out().split("\n");
		assertTrue(lines[0].startsWith("This change is racy: in scenario two_migrations, one thread alone breaks R1"), r.out());
		assertTrue(r.out().contains("\nR1 free-refcount: every page a pool"), r.out());
		assertTrue(r.out().contains("\nBroken at "), r.out());
		assertTrue(r.out().contains("\nThe static check agrees: core v6_0, final_put"), r.out());
		for (String rule : new String[] { "R2 write-after-publish", "R4 handoff", "R6 get-on-zero", "R8 page-free-once" }) {
			assertTrue(r.out().contains("As a consequence it also breaks " + rule), rule + "\n" + r.out());
		}
		assertEquals(1, diagrams(r.out()).size(), "a diagram for the root cause only:\n" + r.out());
		assertFalse(r.out().contains("scenario two_migrations:\n"), "only the reply, not the report:\n" + r.out());
		for (String l : lines) {
			assertTrue(l.length() <= 80, "longer than 80 columns: " + l);
		}

		Run back = CliTest.run("diff", "--format", "mail", "--core", "v6_0", "--vs-core", "reorder", spec("v6_0.pgmap"));
		assertEquals(0, back.exit(), back.out() + back.err());
		assertTrue(back.out().startsWith("pgmap finds no new race in this change"), back.out());
		assertTrue(back.out().contains("This change repairs R1 free-refcount in scenario two_migrations"), back.out());

		Run diagram = CliTest.run("diff", "--format", "diagram", "--core", "reorder", "--vs-core", "v6_0", spec("v6_0.pgmap"));
		assertEquals(1, diagram.exit());
		assertTrue(diagram.out().contains("  adds R1 free-refcount (root cause), 15 steps:"), diagram.out());
		assertEquals(5, diagrams(diagram.out()).size(), diagram.out());

		assertEquals(2, CliTest.run("diff", "--format", "mial", spec("v6_0.pgmap"), spec("v6_1.pgmap")).exit());
		assertEquals(2, CliTest.run("check", "--format", "diagrams", spec("v6_0.pgmap")).exit());
	}
}
