package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.cli.PgmapCli;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.tests.CliTest.Run;

/**
 * pgmap under careless or hostile input, run as a user runs it: names from other folders, specs
 * too large or too deep for the model, numbers past int, internal failures, odd options and
 * outputs, files with nothing to check. Each gets a clear message and its own exit code.
 */
public class HostileInputTest {

	static Run run(String... args) {
		return CliTest.run(args);
	}

	/** A CLI whose model check fails as pgmap itself could (a bug, or memory running out). */
	static Run runFailing(Supplier<Throwable> failure, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		PgmapCli cli = new PgmapCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
				.withScenarioChecker((model, limits, options, stop) -> {
					Throwable t = failure.get();
					if (t instanceof Error e) {
						throw e;
					}
					throw (RuntimeException) t;
				});
		int exit = cli.run(args);
		return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	static String racyV6_0() {
		return Specs.read(Specs.examples().resolve("test_hmm/v6_0.pgmap"));
	}

	/** The library's v6_0 core with the count reset before page_free: it would make the racy spec pass. */
	static String patchedV6_0() {
		String core = Specs.read(Specs.library().resolve("v6_0.pgmap"));
		String patched = core.replace("call page_free(page)\n\t\tset_page_count(page, 1) // racy: page_free() already published the page",
				"set_page_count(page, 1)\n\t\tcall page_free(page)");
		assertFalse(patched.equals(core), "the library's v6_0 core changed: update this test's patch");
		return patched;
	}

	// ------------------------------------------------------------------ names from other files

	@Test
	public void aCoreInAnotherFolderIsNotSeen(@TempDir Path dir) throws Exception {
		Files.createDirectories(dir.resolve("projA"));
		Files.createDirectories(dir.resolve("projB"));
		Files.writeString(dir.resolve("projA/racy.pgmap"), racyV6_0());
		Files.writeString(dir.resolve("projB/patched.pgmap"), patchedV6_0());
		Run r = run("check", dir.resolve("projA").toString(), dir.resolve("projB").toString());
		assertEquals(1, r.exit(), r.out());
		assertTrue(r.out().contains("racy.pgmap: scenario two_migrations: FAIL"), r.out());
		assertTrue(r.out().contains("  core v6_0 from library/v6_0.pgmap"), r.out());
		// and the other order of the folders changes nothing
		Run reversed = run("check", dir.resolve("projB").toString(), dir.resolve("projA").toString());
		assertTrue(reversed.out().contains("racy.pgmap: scenario two_migrations: FAIL"), reversed.out());
	}

	@Test
	public void aCoreOfTheSpecsFolderIsUsedAndSaidSo(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("racy.pgmap"), racyV6_0());
		Files.writeString(dir.resolve("patched.pgmap"), patchedV6_0());
		Run r = run("check", dir.resolve("racy.pgmap").toString());
		assertEquals(0, r.exit(), r.out());
		assertTrue(r.out().contains("racy.pgmap:10:11: warning: [shadows-library] core v6_0 here is patched.pgmap of this folder"), r.out());
		assertTrue(r.out().contains("scenario two_migrations: pass"), r.out());
		assertTrue(r.out().contains("  core v6_0 from " + dir.resolve("patched.pgmap").toAbsolutePath()), r.out());
		Run json = run("check", "--format", "json", dir.resolve("racy.pgmap").toString());
		assertTrue(json.out().contains("\"file\": \"" + dir.resolve("patched.pgmap").toAbsolutePath() + "\""), json.out());
	}

	@Test
	public void twoDefinitionsInTheFolderAreAnErrorNamingBoth(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("racy.pgmap"), racyV6_0());
		Files.writeString(dir.resolve("patched.pgmap"), patchedV6_0());
		Files.writeString(dir.resolve("patched_too.pgmap"), patchedV6_0());
		Run r = run("check", dir.resolve("racy.pgmap").toString());
		assertEquals(1, r.exit(), r.out());
		assertTrue(r.out().contains("racy.pgmap:10:11: error: [ambiguous-name] 'v6_0' is defined in 2 files of this folder "
				+ "(patched.pgmap, patched_too.pgmap)"), r.out());
		assertTrue(r.out().contains("0 scenarios"), "nothing is model-checked against a core chosen by chance:\n" + r.out());
	}

	// ------------------------------------------------------------------ sizes, nesting, numbers

	static String spec(String driverMembers, String pages, String threadHeader, String body) {
		return "spec s\nuses core v6_1\npagemap pm type MEMORY_DEVICE_GENERIC pages " + pages + "\n" //
				+ "driver d {\n\tspinlock l\n" + driverMembers + "}\n" //
				+ "scenario x {\n\tthread " + threadHeader + " {\n\t\tp = pfn_to_page(pm, 0)\n" + body + "\t}\n}\n";
	}

	static String nested(int depth) {
		return spec("", "1", "t", "\t\tn = 0\n" + "\t\tif n == 0 {\n".repeat(depth) + "\t\twake_up_var(p)\n" + "\t\t}\n".repeat(depth));
	}

	@Test
	public void deepNestingIsAnErrorOnItsLineAndNeverAHang(@TempDir Path dir) throws Exception {
		Path spec = dir.resolve("deep.pgmap");
		// the nested ifs start on line 11; the 65th is on line 10 + 65
		Files.writeString(spec, nested(70));
		Run r = run("check", spec.toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("deep.pgmap:75:3: error: [too-large] statements nest 65 deep here; at most 64"), r.out());
		// far deeper: refused before parsing (which costs time quadratic in the depth), on the line
		// where the braces pass 80 (scenario and thread hold 2, the 79th if, on line 10 + 79, makes 81)
		Files.writeString(spec, nested(30000));
		Run deeper = run("check", spec.toString());
		assertEquals(1, deeper.exit(), deeper.out() + deeper.err());
		assertTrue(deeper.out().contains("deep.pgmap:89:1: error: [too-large] not parsed: braces nest more than 80 deep here"),
				deeper.out());
		// 64 levels are fine
		Files.writeString(spec, nested(63));
		assertEquals(0, run("check", spec.toString()).exit());
	}

	@Test
	public void deepParenthesesAreRefusedBeforeParsing(@TempDir Path dir) throws Exception {
		Path spec = Files.writeString(dir.resolve("parens.pgmap"),
				spec("", "1", "t", "\t\tif " + "(".repeat(30000) + "p.mapping == null" + ")".repeat(30000) + " {\n\t\t}\n"));
		Run r = run("check", spec.toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("parens.pgmap:10:1: error: [too-large] not parsed: parentheses nest more than 64 deep here"), r.out());
		// a comment or a string with them is fine
		Files.writeString(spec, spec("", "1", "t", "\t\t// " + "(".repeat(100) + "\n\t\twarn \"" + "{".repeat(100) + "\"\n"));
		Run fine = run("check", spec.toString());
		assertFalse(fine.out().contains("not parsed"), fine.out());
	}

	@Test
	public void sizesPastTheModelAreErrorsBeforeAnythingIsCompiled(@TempDir Path dir) throws Exception {
		Path spec = dir.resolve("big.pgmap");
		Files.writeString(spec, spec("\tmutex m[1000000000]\n", "1", "t", ""));
		Run locks = run("check", spec.toString());
		assertEquals(1, locks.exit(), locks.out());
		assertTrue(locks.out().contains("big.pgmap:6:10: error: [too-large] the drivers of this spec declare 1000000001 locks in all; "
				+ "the model holds at most 64"), locks.out());
		Files.writeString(spec, spec("\tobject o[65]\n", "1", "t", ""));
		assertTrue(run("check", spec.toString()).out().contains("error: [too-large] the drivers of this spec declare 65 objects"));
		Files.writeString(spec, spec("", "65", "t", ""));
		assertTrue(run("check", spec.toString()).out().contains("big.pgmap:3:45: error: [too-large] the pagemaps of this spec have 65 pages"));
		Files.writeString(spec, spec("", "1", "t[31]", ""));
		assertTrue(run("check", spec.toString()).out().contains("error: [too-large] scenario x runs 31 threads by here"));
		Files.writeString(spec, spec("", "1", "t", "").replace("scenario x", "scenario " + "x".repeat(300)));
		assertTrue(run("check", spec.toString()).out().contains("big.pgmap:7:10: error: [too-large] this name is 300 characters long; "
				+ "names are at most 100"));
		Files.writeString(spec, spec("\tmutex m[0]\n", "1", "t", ""));
		assertTrue(run("check", spec.toString()).out().contains("big.pgmap:6:10: error: [too-large] a lock array needs at least 1 instance"));
	}

	@Test
	public void aNumberPastIntSaysSo(@TempDir Path dir) throws Exception {
		Path spec = dir.resolve("n.pgmap");
		Files.writeString(spec, spec("", "99999999999999999999", "t", ""));
		Run r = run("check", spec.toString());
		assertEquals(1, r.exit(), r.out());
		assertTrue(r.out().contains("n.pgmap:3:45: error: [syntax] 99999999999999999999 is too large: numbers in a spec are at most 2147483647"),
				r.out());
		assertFalse(r.out().contains("For input string"), r.out());
	}

	@Test
	public void everyPhaseObeysTheTimeLimit() {
		// validation stops at once: incomplete (3), not a finding, and nothing is model-checked
		Run r = run("check", "--max-seconds", "0.000001", Specs.examples().resolve("test_hmm/v6_0.pgmap").toString());
		assertEquals(3, r.exit(), r.out());
		assertTrue(r.out().contains("[time-limit] the static checks stopped at the time limit of 0.000001 s (--max-seconds)"), r.out());
		assertTrue(r.out().contains("0 scenarios"), r.out());
	}

	// ------------------------------------------------------------------ internal errors

	@Test
	public void anInternalErrorIsNeverAFinding() {
		String spec = Specs.examples().resolve("test_hmm/v6_1.pgmap").toString();
		Run bug = runFailing(() -> new IllegalStateException("index 7 out of bounds"), "check", spec);
		assertEquals(PgmapCli.INTERNAL, bug.exit(), bug.out() + bug.err());
		assertTrue(bug.out().contains("error: [internal-error] pgmap could not model-check scenario two_migrations "
				+ "(IllegalStateException): a bug in pgmap, not a finding"), bug.out());
		assertFalse(bug.err().contains("\tat "), "no stack trace without --debug:\n" + bug.err());
		Run debug = runFailing(() -> new IllegalStateException("index 7 out of bounds"), "check", "--debug", spec);
		assertTrue(debug.err().contains("java.lang.IllegalStateException: index 7 out of bounds") && debug.err().contains("\tat "),
				debug.err());
		// memory running out ends the run: one line that names the file and asks for a report
		Run oom = runFailing(() -> new OutOfMemoryError("Java heap space"), "check", spec);
		assertEquals(PgmapCli.INTERNAL, oom.exit(), oom.out() + oom.err());
		assertTrue(oom.err().startsWith("pgmap: internal error while working on ") && oom.err().contains("v6_1.pgmap (OutOfMemoryError: "
				+ "Java heap space). This is a bug in pgmap, not a finding about the spec: please report it"), oom.err());
		assertEquals(1, oom.err().lines().count(), oom.err());
	}

	// ------------------------------------------------------------------ paths, options, output

	@Test
	public void anUnreadablePathIsItsOwnErrorAndTheRestIsChecked(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("ok.pgmap"), Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap")));
		Run r = run("check", dir.resolve("missing").toString(), dir.resolve("ok.pgmap").toString());
		assertEquals(2, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains("missing: no such file or folder"), r.err());
		assertTrue(r.out().contains("1 file checked, 1 scenario: 1 pass"), r.out());
	}

	@Test
	public void anUnreadableSubfolderIsItsOwnErrorAndTheRestIsChecked(@TempDir Path dir) throws Exception {
		assumeFalse("root".equals(System.getProperty("user.name")), "root reads every folder");
		Files.writeString(dir.resolve("ok.pgmap"), Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap")));
		Path closed = Files.createDirectories(dir.resolve("closed"));
		Files.writeString(closed.resolve("hidden.pgmap"), "spec hidden\n");
		Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
		try {
			Run r = run("check", dir.toString());
			assertEquals(2, r.exit(), r.out() + r.err());
			assertTrue(r.err().contains("closed: cannot be read (permission denied)"), r.err());
			assertTrue(r.out().contains("1 file checked, 1 scenario: 1 pass"), r.out());
		} finally {
			Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
		}
	}

	@Test
	public void optionsSayWhatIsWrongWithThem(@TempDir Path dir) throws Exception {
		String spec = Specs.examples().resolve("test_hmm/v6_1.pgmap").toString();
		Run symmetry = run("check", "--no-symmetry=false", spec);
		assertEquals(2, symmetry.exit());
		assertTrue(symmetry.err().contains("--no-symmetry takes no value"), symmetry.err());
		assertEquals(2, run("generate", "--force=no", "--out", dir.toString(), spec).exit());
		Run memory = run("check", "--max-memory", "99999999999999", spec);
		assertEquals(2, memory.exit());
		assertTrue(memory.err().contains("--max-memory must be at most 1048576"), memory.err());
		assertEquals(0, run("check", "--max-memory", "1048576", spec).exit());
		Run huge = run("check", "--max-states", "99999999999999999999999", spec);
		assertEquals(2, huge.exit());
		assertTrue(huge.err().contains("--max-states needs a number of a sensible size"), huge.err());
	}

	@Test
	public void theVerdictOutlivesATraceFolderThatCannotBeWritten(@TempDir Path dir) throws Exception {
		String racy = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
		Path file = Files.writeString(dir.resolve("afile"), "");
		Run onFile = run("check", "--trace-dir", file.toString(), racy);
		assertEquals(2, onFile.exit());
		assertTrue(onFile.err().contains("--trace-dir " + file + " is a file, not a folder"), onFile.err());
		// the folder cannot be made (a file is in its way): the report is printed all the same
		Run below = run("check", "--trace-dir", file.resolve("traces").toString(), racy);
		assertEquals(2, below.exit());
		assertTrue(below.out().contains("scenario two_migrations: FAIL"), below.out());
		assertTrue(below.err().contains("cannot write traces to"), below.err());
		// a link where a trace file goes is not followed: the file it points at stays as it was
		Path traces = Files.createDirectories(dir.resolve("traces"));
		Path outside = Files.writeString(dir.resolve("outside.txt"), "mine");
		Files.createSymbolicLink(traces.resolve("test_hmm_v6_0.two_migrations.R1.txt"), outside);
		Run linked = run("check", "--trace-dir", traces.toString(), racy);
		assertEquals(2, linked.exit(), linked.out() + linked.err());
		assertTrue(linked.out().contains("scenario two_migrations: FAIL"), linked.out());
		assertTrue(linked.err().contains("is a symbolic link; pgmap does not write through links"), linked.err());
		assertEquals("mine", Files.readString(outside));
	}

	@Test
	public void aReportThatCannotBeWrittenIsNotASuccess() {
		OutputStream full = new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				throw new IOException("No space left on device");
			}
		};
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = new PgmapCli(new PrintStream(full, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
				.run(new String[] { "check", Specs.examples().resolve("test_hmm/v6_1.pgmap").toString() });
		assertEquals(2, exit);
		assertTrue(err.toString(StandardCharsets.UTF_8).contains("the report could not be written to standard output"));
	}

	// ------------------------------------------------------------------ nothing to check

	@Test
	public void whatWasNotCheckedIsSaid(@TempDir Path dir) throws Exception {
		Path empty = Files.writeString(dir.resolve("empty.pgmap"), "");
		Path comments = Files.writeString(dir.resolve("comments.pgmap"), "// a spec, one day\n/* not yet */\n");
		Path lonely = Files.writeString(dir.resolve("lonely.pgmap"),
				"spec lonely\nuses core v6_1\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n");
		Path none = Files.writeString(dir.resolve("none.pgmap"), spec("", "1", "t[0]", ""));
		Run r = run("check", empty.toString(), comments.toString(), lonely.toString(), none.toString());
		assertEquals(0, r.exit(), r.out());
		assertTrue(r.out().contains("empty.pgmap:1:1: warning: [nothing-to-check] this file declares nothing (no spec, no core)"), r.out());
		assertTrue(r.out().contains("comments.pgmap:1:1: warning: [nothing-to-check] this file declares nothing"), r.out());
		assertTrue(r.out().contains("lonely.pgmap:1:6: warning: [nothing-to-check] spec lonely has no scenario: only its static checks run"),
				r.out());
		assertTrue(r.out().contains("none.pgmap:8:11: warning: [nothing-to-check] thread group t[0] has no threads: nothing of it runs"),
				r.out());
	}
}
