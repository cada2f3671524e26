package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.cli.PgmapCli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** `pgmap check` as a user runs it: output lines, JSON, exit codes. */
public class CliTest {

	record Run(int exit, String out, String err) {
	}

	static Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = new PgmapCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
		return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	public void examplesHaveNoStaticErrors() {
		Run r = run("check", "--static", Specs.examples().toString());
		assertEquals(0, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("0 errors"), r.out());
	}

	@Test
	public void theModelCheckOfTheExamplesFindsTheTwoRacyOnes() {
		Run r = run("check", Specs.examples().resolve("test_hmm").toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("v6_0.pgmap: scenario two_migrations: FAIL"), r.out());
		assertTrue(r.out().contains("dan_v2_busy.pgmap: scenario two_migrations: FAIL"), r.out());
		assertTrue(r.out().contains("v6_1.pgmap: scenario two_migrations: pass"), r.out());
		assertTrue(r.out().contains("v6_0.pgmap:33:3: error: [R1] R1 free-refcount"), r.out());
		assertTrue(r.out().contains("library/v6_0.pgmap:30:3: error: [R2]"), r.out());
		assertTrue(r.out().contains("6 scenarios: 4 pass, 2 fail, 0 incomplete"), r.out());
		assertTrue(r.out().contains("states/s"), r.out());
	}

	/** `pgmap check examples`: each file's verdict and root causes are the ones its header states. */
	@Test
	public void checkingTheExamplesGivesEveryStatedVerdict() {
		Run r = run("check", "--format", "json", Specs.examples().toString());
		assertEquals(1, r.exit(), r.err()); // some examples are racy on purpose
		JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
		Map<String, Set<String>> roots = new TreeMap<>();
		Map<String, Boolean> failed = new TreeMap<>();
		for (JsonElement e : report.getAsJsonArray("scenarios")) {
			JsonObject sc = e.getAsJsonObject();
			String file = Path.of(sc.get("file").getAsString()).toAbsolutePath().normalize().toString();
			String verdict = sc.get("verdict").getAsString();
			assertTrue(verdict.equals("pass") || verdict.equals("fail"), file + " " + sc.get("scenario") + ": " + verdict);
			failed.merge(file, verdict.equals("fail"), Boolean::logicalOr);
			Set<String> rules = roots.computeIfAbsent(file, f -> new TreeSet<>());
			for (JsonElement v : sc.getAsJsonArray("violations")) {
				if (v.getAsJsonObject().get("rootCause").getAsBoolean()) {
					rules.add(v.getAsJsonObject().get("rule").getAsString());
				}
			}
		}
		List<Path> files = Specs.exampleFiles();
		assertEquals(files.size(), roots.size(), roots.keySet().toString());
		for (Path f : files) {
			String text = Specs.read(f);
			Matcher m = ExamplesTest.VERDICT.matcher(text);
			assertTrue(m.find(), f.toString());
			String key = f.toAbsolutePath().normalize().toString();
			assertEquals(m.group(1).equals("FAIL"), failed.get(key), key);
			assertEquals(new TreeSet<>(ExamplesTest.statedRootCauses(text)), roots.get(key), key);
		}
	}

	@Test
	public void aStateLimitEndsIncompleteWithExit3() {
		Run r = run("check", "--max-states", "20", Specs.examples().resolve("test_hmm/v6_1.pgmap").toString());
		assertEquals(3, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("INCOMPLETE (state limit of 20 states reached)"), r.out());
	}

	@Test
	public void tracesAreWrittenAsTextAndSvg(@TempDir Path dir) throws Exception {
		Path traces = dir.resolve("traces");
		Run r = run("check", "--trace-dir", traces.toString(), Specs.examples().resolve("test_hmm/v6_0.pgmap").toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		Path txt = traces.resolve("test_hmm_v6_0.two_migrations.R4.txt");
		Path svg = traces.resolve("test_hmm_v6_0.two_migrations.R4.svg");
		assertTrue(Files.readString(txt).contains("breaks R4"));
		String picture = Files.readString(svg);
		assertTrue(picture.startsWith("<svg") && picture.contains("user[1]") && picture.contains("#c0392b"));
	}

	@Test
	public void modelPrintsTheExecutableModel() {
		Run r = run("model", Specs.examples().resolve("test_hmm/v6_0.pgmap").toString());
		assertEquals(0, r.exit(), r.err());
		assertTrue(r.out().contains("thread user[0]"), r.out());
		assertTrue(r.out().contains("pool_take #0"), r.out());
		Run json = run("model", "--format", "json", Specs.examples().resolve("test_hmm/v6_0.pgmap").toString());
		assertTrue(json.out().contains("\"op\": \"put\""), json.out());
	}

	@Test
	public void aMistakeGivesFileLineColumnAndExit1(@TempDir Path dir) throws Exception {
		Path spec = dir.resolve("bad.pgmap");
		Files.writeString(spec, "spec bad\nuses core v6_1\npagemap pm type MEMORY_DEVICE_GENERIC pages 1 ops d\ndriver d {\n\tspinlock l\n\tproc p() {\n\t\tspin_lock(l)\n\t}\n}\n");
		Run r = run("check", spec.toString());
		assertEquals(1, r.exit(), r.out());
		assertTrue(r.out().contains("bad.pgmap:7:3: error: [lock-not-released] l is not released on every path"), r.out());
	}

	@Test
	public void jsonCarriesTheSameFacts(@TempDir Path dir) throws Exception {
		Path spec = dir.resolve("bad.pgmap");
		Files.writeString(spec, "spec bad\nuses core v6_1\npagemap pm type MEMORY_DEVICE_PRIVATE pages 1\n");
		Run r = run("check", "--format", "json", spec.toString());
		assertEquals(1, r.exit());
		assertTrue(r.out().trim().startsWith("{") && r.out().trim().endsWith("}"), r.out());
		assertTrue(r.out().contains("\"line\": 3"), r.out());
		assertTrue(r.out().contains("\"id\": \"missing-op\""), r.out());
		assertTrue(r.out().contains("\"severity\": \"error\""), r.out());
		assertTrue(r.out().contains("\"exitCode\": 1"), r.out());
	}

	@Test
	public void usageErrorsExit2() {
		assertEquals(2, run().exit());
		assertEquals(2, run("frobnicate").exit());
		assertEquals(2, run("check").exit());
		assertEquals(2, run("check", "--format", "xml", Specs.examples().toString()).exit());
		Run missing = run("check", "/no/such/file.pgmap");
		assertEquals(2, missing.exit());
		assertTrue(missing.err().contains("/no/such/file.pgmap: no such file or folder"), missing.err());
	}

	@Test
	public void aCoreFromASiblingFileIsFound(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("mycore.pgmap"), "core mycore {\n\tidle refcount 1\n\ton final_put(page) {\n\t\tset_page_count(page, 1)\n\t}\n}\n");
		Path spec = dir.resolve("spec.pgmap");
		Files.writeString(spec, "spec s\nuses core mycore\npagemap pm type MEMORY_DEVICE_GENERIC pages 1\n");
		Run r = run("check", spec.toString());
		assertEquals(0, r.exit(), r.out());
	}

	@Test
	public void binaryGarbageIsReportedNotThrown(@TempDir Path dir) throws Exception {
		Path spec = dir.resolve("garbage.pgmap");
		Files.write(spec, new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1, 2, '{', '}', (byte) 0x80 });
		Run r = run("check", spec.toString());
		assertEquals(1, r.exit());
		assertTrue(r.out().contains("garbage.pgmap:1:"), r.out());
		assertTrue(!r.out().contains("Exception") && !r.err().contains("Exception"), r.out() + r.err());
	}

	/** A bitstate search finds a racy example's violations (exit 1); its traces are the exhaustive search's lengths. */
	@Test
	public void aBitstateSearchFindsTheRaceAndFails() {
		String racy = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
		Run bits = run("check", "--format", "json", "--bitstate", "--bitstate-mib", "8", racy);
		assertEquals(1, bits.exit(), bits.out() + bits.err());
		Run exact = run("check", "--format", "json", racy);
		JsonObject b = JsonParser.parseString(bits.out()).getAsJsonObject().getAsJsonArray("scenarios").get(0).getAsJsonObject();
		JsonObject e = JsonParser.parseString(exact.out()).getAsJsonObject().getAsJsonArray("scenarios").get(0).getAsJsonObject();
		assertEquals("fail", b.get("verdict").getAsString());
		assertEquals("bitstate", b.getAsJsonObject("statistics").get("mode").getAsString());
		assertEquals("exact", e.getAsJsonObject("statistics").get("mode").getAsString());
		assertEquals(lengths(e), lengths(b));
	}

	private static Map<String, Integer> lengths(JsonObject scenario) {
		Map<String, Integer> n = new TreeMap<>();
		for (JsonElement v : scenario.getAsJsonArray("violations")) {
			JsonObject o = v.getAsJsonObject();
			n.put(o.get("rule").getAsString() + o.get("rootCause").getAsBoolean(), o.getAsJsonArray("trace").size());
		}
		return n;
	}

	/** A bitstate search without a violation is never a pass: INCOMPLETE, exit 3, the reason and the coverage estimate. */
	@Test
	public void aBitstateSearchWithoutViolationIsIncompleteNotAPass() {
		String spec = Specs.examples().resolve("test_hmm/v6_1.pgmap").toString();
		Run r = run("check", "--bitstate", spec);
		assertEquals(3, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("scenario two_migrations: INCOMPLETE (no violation found in "), r.out());
		assertTrue(r.out().contains(" states (bitstate search, not exhaustive)"), r.out());
		assertTrue(r.out().contains("hash factor"), r.out());
		assertTrue(r.out().contains("0 pass, 0 fail, 1 incomplete"), r.out());
		Run json = run("check", "--format", "json", "--workers", "2", "--bitstate-mib", "16", spec);
		assertEquals(3, json.exit(), json.out() + json.err());
		JsonObject doc = JsonParser.parseString(json.out()).getAsJsonObject();
		assertEquals(3, doc.get("exitCode").getAsInt());
		JsonObject sc = doc.getAsJsonArray("scenarios").get(0).getAsJsonObject();
		assertEquals("incomplete", sc.get("verdict").getAsString());
		assertTrue(sc.get("incompleteReason").getAsString().contains("(bitstate search, not exhaustive)"), json.out());
		JsonObject st = sc.getAsJsonObject("statistics");
		assertEquals("bitstate", st.get("mode").getAsString());
		JsonObject bits = st.getAsJsonObject("bitstate");
		assertEquals(16L << 23, bits.get("bits").getAsLong());
		assertEquals(3, bits.get("hashFunctions").getAsInt());
		assertEquals((double) (16L << 23) / st.get("states").getAsLong(), bits.get("hashFactor").getAsDouble(), 1e-6);
		double omitted = bits.get("expectedOmitted").getAsDouble();
		assertTrue(omitted > 0 && omitted < 1e-6, json.out());
		assertTrue(bits.has("omittedAtEnd"), json.out());
		assertEquals(0, doc.getAsJsonObject("summary").get("failing").getAsInt());
		assertEquals(1, doc.getAsJsonObject("summary").get("incomplete").getAsInt());
	}

	/** A bitstate search proves nothing, so generate writes no code for a spec it found no violation in (exit 3). */
	@Test
	public void generateAfterABitstateSearchWritesNothing(@TempDir Path dir) throws Exception {
		Path out = dir.resolve("out");
		Run r = run("generate", "--bitstate", "--bitstate-mib", "8", "--out", out.toString(),
				Specs.examples().resolve("test_hmm/v6_1.pgmap").toString());
		assertEquals(3, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains("not generated") && r.err().contains("(bitstate search, not exhaustive)"), r.err());
		assertTrue(!Files.exists(out) || Files.list(out).findAny().isEmpty(), r.out());
	}

	@Test
	public void aBitArrayAsLargeAsTheMemoryLimitIsAUsageError() {
		Run r = run("check", "--bitstate-mib", "64", "--max-memory", "64", Specs.examples().resolve("test_hmm/v6_1.pgmap").toString());
		assertEquals(2, r.exit(), r.out() + r.err());
		assertTrue(r.err().contains("--bitstate-mib (64) must be less than --max-memory (64)"), r.err());
		assertEquals(2, run("check", "--bitstate-mib", "0", Specs.examples().toString()).exit());
	}
}
