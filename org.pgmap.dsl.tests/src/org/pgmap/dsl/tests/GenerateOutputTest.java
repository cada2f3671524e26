package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.cli.OutputFolder;
import org.pgmap.dsl.tests.CliTest.Run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What `pgmap generate` does to the output folder: atomic writes, no write through a link, no
 * silent overwrite by a second spec of one name, and a warning in every file it writes for a
 * spec that is not proven (--force), with a non-zero exit.
 */
public class GenerateOutputTest {

	private static final String PASSING = Specs.examples().resolve("test_hmm/v6_1.pgmap").toString();
	private static final String FAILING = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
	private static final List<String> FILES = List.of("Kbuild", "dmirror_driver_pgmap.c", "dmirror_driver_pgmap.h",
			"test_hmm_v6_1.model.json", "test_hmm_v6_1.two_migrations.pml");

	@Test
	public void aProvenSpecIsWrittenUnmarkedAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
		Run r = CliTest.run("generate", "--out", dir.toString(), PASSING);
		assertEquals(0, r.exit(), r.out() + r.err());
		assertEquals("", r.err());
		Path spec = dir.resolve("test_hmm_v6_1");
		assertEquals(FILES, GenerateSafetyTest.names(spec));
		for (String f : FILES) {
			assertFalse(Files.readString(spec.resolve(f)).contains("WARNING"), f);
		}
		JsonObject json = JsonParser.parseString(Files.readString(spec.resolve("test_hmm_v6_1.model.json"))).getAsJsonObject();
		assertEquals("pass", json.get("verdict").getAsString());
		assertTrue(json.get("warning").isJsonNull());
		assertEquals("lib/test_hmm.c (dmirror) on v6.1", json.get("title").getAsString());
	}

	@Test
	public void aLinkInPlaceOfTheSpecFolderIsRefusedAndNothingIsWrittenOutside(@TempDir Path root) throws IOException {
		Path out = Files.createDirectory(root.resolve("out"));
		Path outside = Files.createDirectory(root.resolve("outside"));
		Path link = Files.createSymbolicLink(out.resolve("test_hmm_v6_1"), outside);
		Run r = CliTest.run("generate", "--out", out.toString(), PASSING);
		assertEquals(2, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains(link + " is a symbolic link; pgmap does not write through links"), r.err());
		assertFalse(r.err().contains("Exception"), r.err());
		assertEquals(List.of(), GenerateSafetyTest.names(outside));
		assertTrue(Files.isSymbolicLink(link));
	}

	@Test
	public void aLinkInPlaceOfAFileIsRefusedAndItsTargetKept(@TempDir Path root) throws IOException {
		Path spec = Files.createDirectories(root.resolve("out/test_hmm_v6_1"));
		Path precious = Files.writeString(root.resolve("precious.txt"), "the user's own file\n");
		Path link = Files.createSymbolicLink(spec.resolve("test_hmm_v6_1.model.json"), precious);
		Run r = CliTest.run("generate", "--out", root.resolve("out").toString(), PASSING);
		assertEquals(2, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains(link + " is a symbolic link"), r.err());
		assertEquals("the user's own file\n", Files.readString(precious));
		assertEquals(List.of("test_hmm_v6_1.model.json"), GenerateSafetyTest.names(spec), "nothing else is written");
		assertTrue(Files.isSymbolicLink(link));
	}

	@Test
	public void aFolderInTheWayLeavesEveryOldFile(@TempDir Path dir) throws IOException {
		assertEquals(0, CliTest.run("generate", "--out", dir.toString(), PASSING).exit());
		Path spec = dir.resolve("test_hmm_v6_1");
		Files.delete(spec.resolve("Kbuild"));
		Files.createDirectories(spec.resolve("Kbuild/inside"));
		Files.writeString(spec.resolve("dmirror_driver_pgmap.c"), "old C\n");
		Run r = CliTest.run("generate", "--out", dir.toString(), PASSING);
		assertEquals(2, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains(spec.resolve("Kbuild") + " is in the way: it is a folder"), r.err());
		assertEquals("old C\n", Files.readString(spec.resolve("dmirror_driver_pgmap.c")));
		assertEquals(FILES, GenerateSafetyTest.names(spec), "no temporary file is left");
	}

	/** A write that fails half-way (the second file cannot be encoded) leaves both old files and no temporary file. */
	@Test
	public void aWriteThatFailsHalfWayChangesNothing(@TempDir Path dir) throws Exception {
		OutputFolder output = new OutputFolder(dir);
		Path spec = output.folder("spec");
		Files.writeString(spec.resolve("a.c"), "old a\n");
		Files.writeString(spec.resolve("b.c"), "old b\n");
		Map<String, String> files = new LinkedHashMap<>();
		files.put("a.c", "new a\n".repeat(100_000));
		files.put("b.c", "new b, then half a surrogate pair: \ud800\n");
		OutputFolder.WriteError e = assertThrows(OutputFolder.WriteError.class, () -> output.write(spec, files));
		assertTrue(e.getMessage().contains("cannot write into " + spec) && e.getMessage().contains("b.c"), e.getMessage());
		assertEquals("old a\n", Files.readString(spec.resolve("a.c")));
		assertEquals("old b\n", Files.readString(spec.resolve("b.c")));
		assertEquals(List.of("a.c", "b.c"), GenerateSafetyTest.names(spec));

		files.put("b.c", "new b\n");
		output.write(spec, files);
		assertEquals("new b\n", Files.readString(spec.resolve("b.c")));
		assertEquals(List.of("a.c", "b.c"), GenerateSafetyTest.names(spec));
	}

	@Test
	public void twoSpecsOfOneNameAreAnErrorNamingBoth(@TempDir Path root) throws IOException {
		Path a = Files.createDirectories(root.resolve("a")).resolve("first.pgmap");
		Path b = Files.createDirectories(root.resolve("b")).resolve("second.pgmap");
		Files.copy(Path.of(PASSING), a);
		Files.copy(Path.of(PASSING), b);
		Path out = root.resolve("out");
		Run r = CliTest.run("generate", "--out", out.toString(), a.toString(), b.toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains(a + " and " + b + " both define spec test_hmm_v6_1, which generate writes to "
				+ out.resolve("test_hmm_v6_1")), r.err());
		assertFalse(Files.exists(out.resolve("test_hmm_v6_1")));
	}

	@Test
	public void forceMarksEveryFileOfAFailingSpec(@TempDir Path dir) throws IOException {
		Run refused = CliTest.run("generate", "--out", dir.toString(), FAILING);
		assertEquals(1, refused.exit(), refused.out() + refused.err());
		assertTrue(refused.err().contains("not generated: spec test_hmm_v6_0 fails its model check (R1, R2, R4, R6, R8)"), refused.err());
		assertFalse(Files.exists(dir.resolve("test_hmm_v6_0")));

		Run r = CliTest.run("generate", "--force", "--out", dir.toString(), FAILING);
		assertEquals(1, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains("warning: written because of --force"), r.err());
		String warning = "WARNING: spec test_hmm_v6_0 FAILS its model check: R1, R2, R4, R6, R8.";
		assertMarked(dir.resolve("test_hmm_v6_0"), "test_hmm_v6_0", warning, "fail");
	}

	@Test
	public void anIncompleteCheckIsNeverSilent(@TempDir Path dir) throws IOException {
		Run refused = CliTest.run("generate", "--max-states", "5", "--out", dir.toString(), PASSING);
		assertEquals(3, refused.exit(), refused.out() + refused.err());
		assertTrue(refused.err().contains("not generated: spec test_hmm_v6_1 could not be model-checked within the limits"),
				refused.err());
		assertFalse(Files.exists(dir.resolve("test_hmm_v6_1")));

		Run r = CliTest.run("generate", "--max-states", "5", "--force", "--out", dir.toString(), PASSING);
		assertEquals(3, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains("is UNPROVEN"), r.err());
		assertTrue(r.out().contains("(unproven)"), r.out());
		assertMarked(dir.resolve("test_hmm_v6_1"), "test_hmm_v6_1",
				"WARNING: spec test_hmm_v6_1 is UNPROVEN: the model check of scenario two_migrations stopped at a limit (", "incomplete");
	}

	/** Every file says it, in a comment of its language at its top; the JSON in its warning field. */
	private static void assertMarked(Path spec, String name, String warning, String verdict) throws IOException {
		assertTrue(Files.readString(spec.resolve("dmirror_driver_pgmap.c")).startsWith("// SPDX-License-Identifier: GPL-2.0\n/*\n * " + warning));
		assertTrue(Files.readString(spec.resolve("dmirror_driver_pgmap.h")).startsWith("/* SPDX-License-Identifier: GPL-2.0 */\n/*\n * " + warning));
		assertTrue(Files.readString(spec.resolve("Kbuild")).startsWith("# SPDX-License-Identifier: GPL-2.0\n# " + warning),
				Files.readString(spec.resolve("Kbuild")));
		assertTrue(Files.readString(spec.resolve(name + ".two_migrations.pml")).startsWith("/*\n * " + warning));
		JsonObject json = JsonParser.parseString(Files.readString(spec.resolve(name + ".model.json"))).getAsJsonObject();
		assertEquals(verdict, json.get("verdict").getAsString());
		assertTrue(json.get("warning").getAsString().startsWith(warning), json.get("warning").toString());
		assertTrue(json.get("warning").getAsString().endsWith("do not use it as is."), json.get("warning").toString());
	}
}
