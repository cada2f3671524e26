package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.cli.PgmapCli;

/**
 * {@code pgmap check}'s front-end cache: a check answered from it prints the same bytes as one
 * without it (text, JSON, trace files; passing, failing and broken specs), an edit of the spec or
 * of a file beside it is seen, a damaged entry is ignored and made again, {@code --no-cache} and a
 * cache folder that cannot be written leave the report as it is.
 */
public class FrontEndCacheTest {

	record Run(int exit, String out, String err) {
	}

	/** A check as pgmap runs it, with its cache in {@code cache} (null: none, as the other tests run). */
	static Run run(Path cache, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		PgmapCli cli = new PgmapCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		if (cache != null) {
			cli.withCacheDir(cache);
		}
		int exit = cli.run(args);
		return new Run(exit, stable(out.toString(StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
	}

	/**
	 * The report without what differs from run to run anyway: the model check's time and speed,
	 * and the store's size (two workers allocate their regions as they go).
	 */
	static String stable(String report) {
		return report.replaceAll("[0-9.]+ MiB, [0-9.]+ s, [^ ]+ states/s", "B MiB, T s, N states/s")
				.replaceAll("\"seconds\": [0-9.eE-]+", "\"seconds\": T").replaceAll("\"statesPerSecond\": [0-9]+", "\"statesPerSecond\": N")
				.replaceAll("\"bytes\": [0-9]+", "\"bytes\": B");
	}

	static List<Path> entries(Path cache) throws IOException {
		if (!Files.isDirectory(cache)) {
			return List.of();
		}
		try (Stream<Path> s = Files.list(cache)) {
			return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
		}
	}

	/** Every entry's time set far back: a check that writes none leaves them all so (a hit writes nothing). */
	static void age(Path cache) throws IOException {
		for (Path e : entries(cache)) {
			Files.setLastModifiedTime(e, FileTime.fromMillis(1_000_000));
		}
	}

	static void assertAllHits(Path cache) throws IOException {
		for (Path e : entries(cache)) {
			assertEquals(1_000_000, Files.getLastModifiedTime(e).toMillis(), e + " was written again: the check missed the cache");
		}
	}

	static void assertSame(Run expected, Run actual) {
		assertEquals(expected.exit(), actual.exit(), actual.out() + actual.err());
		assertEquals(expected.out(), actual.out());
		assertEquals(expected.err(), actual.err());
	}

	@Test
	public void everyExampleGivesTheSameReportFromTheCache(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("cache");
		String examples = Specs.examples().toString();
		for (String format : List.of("text", "json")) {
			Run plain = run(null, "check", "--format", format, examples);
			assertEquals(1, plain.exit(), plain.err()); // some examples are racy on purpose
			Run filling = run(cache, "check", "--format", format, examples);
			assertSame(plain, filling);
			assertEquals(Specs.exampleFiles().size(), entries(cache).size(), "one entry per spec file");
			age(cache);
			Run hit = run(cache, "check", "--format", format, examples);
			assertSame(plain, hit);
			assertAllHits(cache);
			assertSame(run(null, "check", "--static", "--format", format, examples), run(cache, "check", "--static", "--format", format, examples));
			assertAllHits(cache);
		}
	}

	@Test
	public void traceFilesAreTheSameFromTheCache(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("cache");
		String spec = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
		Run plain = run(null, "check", "--trace-dir", dir.resolve("plain").toString(), spec);
		run(cache, "check", spec);
		age(cache);
		Run hit = run(cache, "check", "--trace-dir", dir.resolve("cached").toString(), spec);
		assertAllHits(cache);
		assertSame(plain, hit);
		Map<String, String> expected = files(dir.resolve("plain"));
		assertFalse(expected.isEmpty(), "the racy spec has traces");
		assertEquals(expected, files(dir.resolve("cached")));
	}

	private static Map<String, String> files(Path folder) throws IOException {
		Map<String, String> m = new TreeMap<>();
		try (Stream<Path> s = Files.list(folder)) {
			for (Path f : s.toList()) {
				m.put(f.getFileName().toString(), Files.readString(f));
			}
		}
		return m;
	}

	@Test
	public void brokenSpecsGiveTheSameErrorsFromTheCache(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("cache");
		Path folder = Files.createDirectories(dir.resolve("specs"));
		String racy = HostileInputTest.racyV6_0();
		Files.writeString(folder.resolve("syntax.pgmap"), racy.replaceFirst("spin_lock\\(mdevice_lock\\)", "spin_lock(mdevice_lock"));
		Files.writeString(folder.resolve("unknown_core.pgmap"), racy.replace("uses core v6_0", "uses core v9_9"));
		Files.writeString(folder.resolve("empty.pgmap"), "// nothing here\n");
		for (String format : List.of("text", "json")) {
			Run plain = run(null, "check", "--format", format, folder.toString());
			assertEquals(1, plain.exit(), plain.out() + plain.err());
			assertSame(plain, run(cache, "check", "--format", format, folder.toString()));
			age(cache);
			assertSame(plain, run(cache, "check", "--format", format, folder.toString()));
			assertAllHits(cache);
		}
		assertTrue(run(cache, "check", folder.toString()).out().contains("syntax.pgmap:"), "a file, line and message");
	}

	@Test
	public void editingTheSpecOrAFileBesideItIsSeen(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("cache");
		Path folder = Files.createDirectories(dir.resolve("specs"));
		Path spec = folder.resolve("racy.pgmap");
		Files.writeString(spec, HostileInputTest.racyV6_0());
		Run racy = run(cache, "check", spec.toString());
		assertEquals(1, racy.exit(), racy.out());
		assertSame(racy, run(cache, "check", spec.toString()));

		// a core beside the spec that hides the library's: the spec now passes
		Files.writeString(folder.resolve("patched.pgmap"), HostileInputTest.patchedV6_0());
		Run patched = run(cache, "check", spec.toString());
		assertSame(run(null, "check", spec.toString()), patched);
		assertEquals(0, patched.exit(), patched.out());
		assertNotEquals(racy.out(), patched.out());

		// the spec edited: a scenario renamed
		Files.writeString(spec, Files.readString(spec).replace("scenario two_migrations", "scenario two_moves"));
		Run renamed = run(cache, "check", spec.toString());
		assertSame(run(null, "check", spec.toString()), renamed);
		assertTrue(renamed.out().contains("scenario two_moves"), renamed.out());

		// the core beside it removed: racy again
		Files.delete(folder.resolve("patched.pgmap"));
		Run again = run(cache, "check", spec.toString());
		assertSame(run(null, "check", spec.toString()), again);
		assertEquals(1, again.exit(), again.out());
	}

	@Test
	public void aDamagedEntryIsIgnoredAndMadeAgain(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("cache");
		String spec = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
		Run plain = run(null, "check", "--format", "json", spec);
		run(cache, "check", spec);
		Path entry = entries(cache).get(0);
		byte[] good = Files.readAllBytes(entry);
		byte[] flipped = good.clone();
		flipped[flipped.length - 10] ^= 0x40;
		byte[] foreign = good.clone();
		foreign[0] ^= 0x01; // another format's header
		List<byte[]> damaged = List.of(new byte[0], java.util.Arrays.copyOf(good, good.length / 2), java.util.Arrays.copyOf(good, good.length - 1),
				flipped, foreign, "not an entry".getBytes(StandardCharsets.UTF_8));
		for (byte[] bad : damaged) {
			Files.write(entry, bad);
			assertSame(plain, run(cache, "check", "--format", "json", spec));
			assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(entry)), "the entry is made again");
		}
		// a folder where the entry should be: not readable as one, not replaceable either
		Files.delete(entry);
		Files.createDirectories(entry.resolve("x"));
		assertSame(plain, run(cache, "check", "--format", "json", spec));
	}

	@Test
	public void noCacheNeitherReadsNorWrites(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("cache");
		String spec = Specs.examples().resolve("device_dax/v6_15.pgmap").toString();
		Run plain = run(null, "check", spec);
		assertSame(plain, run(cache, "check", "--no-cache", spec));
		assertTrue(entries(cache).isEmpty(), "--no-cache writes nothing");
		run(cache, "check", spec);
		Path entry = entries(cache).get(0);
		Files.write(entry, new byte[] { 1, 2, 3 });
		assertSame(plain, run(cache, "check", "--no-cache", spec));
		assertEquals(3, Files.size(entry), "--no-cache leaves the entry alone");
		assertEquals(2, run(cache, "generate", "--no-cache", spec).exit(), "only check has a front-end cache");
	}

	@Test
	public void aCacheFolderThatCannotBeWrittenIsNotUsed(@TempDir Path dir) throws IOException {
		String spec = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
		Run plain = run(null, "check", spec);
		Path file = Files.writeString(dir.resolve("a-file"), "the user's, kept as it is");
		assertSame(plain, run(file, "check", spec)); // a file where the folder should be
		assertSame(plain, run(file.resolve("below"), "check", spec)); // a folder that cannot be made
		assertEquals("the user's, kept as it is", Files.readString(file));
	}

	@Test
	public void theCacheFolderIsPrivate(@TempDir Path dir) throws IOException {
		Path cache = dir.resolve("a/cache");
		run(cache, "check", Specs.examples().resolve("device_dax/v6_15.pgmap").toString());
		assertEquals(1, entries(cache).size());
		if (Files.getFileStore(cache).supportsFileAttributeView("posix")) {
			assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
		}
	}
}
