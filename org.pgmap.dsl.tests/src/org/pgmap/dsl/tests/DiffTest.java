package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.dsl.tests.CliTest.Run;

/** pgmap diff: what a change does to the verdicts, asked the way the seed review asked it. */
public class DiffTest {

	private static String spec(String name) {
		return Specs.examples().resolve("test_hmm").resolve(name).toString();
	}

	@Test
	public void jasonsReorderRemovesR1AndItsConsequencesAndAddsNothing() throws Exception {
		String before = Files.readString(Path.of(spec("v6_0.pgmap")));
		Run r = CliTest.run("diff", "--core", "v6_0", "--vs-core", "reorder", spec("v6_0.pgmap"));
		assertEquals(0, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("scenario two_migrations:"), r.out());
		assertTrue(r.out().contains("  removes R1 free-refcount (root cause), 15 steps:"), r.out());
		for (String rule : new String[] { "R2", "R4", "R6", "R8" }) {
			assertTrue(r.out().contains("  removes " + rule + " "), rule + "\n" + r.out());
		}
		assertFalse(r.out().contains("  adds "), r.out());
		assertTrue(r.out().contains("  stays: nothing"), r.out());
		assertTrue(r.out().contains("the change removes ") && r.out().contains(", adds 0,"), r.out());
		// the trace is shown where the spec is, not in the copy the other core was checked in
		assertTrue(r.out().contains(spec("v6_0.pgmap").replace(Path.of("").toAbsolutePath() + "/", "") + ":33:3: error: [R1]")
				|| r.out().contains("v6_0.pgmap:33:3: error: [R1]"), r.out());
		assertFalse(r.out().contains("pgmap-diff"), r.out());
		assertEquals(before, Files.readString(Path.of(spec("v6_0.pgmap"))), "the spec file is not touched");
	}

	@Test
	public void danWilliamsV2AgainstV6_0ChangesNothing() {
		Run r = CliTest.run("diff", spec("v6_0.pgmap"), spec("dan_v2_busy.pgmap"));
		assertEquals(0, r.exit(), r.out() + r.err());
		assertFalse(r.out().contains("  removes ") || r.out().contains("  adds "), r.out());
		assertTrue(r.out().contains("  stays: R1"), r.out());
		assertTrue(r.out().contains(", adds 0,"), r.out());
	}

	@Test
	public void aChangeThatAddsARaceExits1WithItsTrace() {
		Run r = CliTest.run("diff", "--core", "reorder", "--vs-core", "v6_0", spec("v6_0.pgmap"));
		assertEquals(1, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("  adds R1 free-refcount (root cause), 15 steps:"), r.out());
	}

	@Test
	public void foldersArePairedBySpecPathAndBadArgumentsAreUsageErrors(@TempDir Path dir) throws Exception {
		Path a = Files.createDirectories(dir.resolve("a"));
		Path b = Files.createDirectories(dir.resolve("b"));
		Files.copy(Path.of(spec("v6_0.pgmap")), a.resolve("hmm.pgmap"));
		Files.writeString(b.resolve("hmm.pgmap"), Files.readString(Path.of(spec("v6_0.pgmap"))).replace("uses core v6_0", "uses core reorder"));
		Files.copy(Path.of(spec("v6_1.pgmap")), b.resolve("only_after.pgmap"));
		Run r = CliTest.run("diff", a.toString(), b.toString());
		assertEquals(0, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("removes R1"), r.out());
		assertTrue(r.out().contains("only_after.pgmap: only in"), r.out());

		assertEquals(2, CliTest.run("diff", spec("v6_0.pgmap")).exit());
		assertEquals(2, CliTest.run("diff", "--core", "v6_0", spec("v6_0.pgmap")).exit());
		assertEquals(2, CliTest.run("diff", "--core", "v6_0; rm", "--vs-core", "reorder", spec("v6_0.pgmap")).exit());
		assertEquals(2, CliTest.run("diff", a.toString(), spec("v6_0.pgmap")).exit());
	}
}
