package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.dsl.check.JsonText;
import org.pgmap.dsl.tests.CliTest.Run;
import org.pgmap.engine.Explorer.Limits;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The command line's parsing (each command its own options), its JSON document's shape, and its usage text. */
public class CliCommandsTest {

	private static final String RACY = Specs.examples().resolve("test_hmm/v6_0.pgmap").toString();
	private static final String CLEAN = Specs.examples().resolve("test_hmm/v6_1.pgmap").toString();

	private static List<String> keys(JsonObject o) {
		return new ArrayList<>(o.keySet());
	}

	/** The keys of every object of the report, in the order README gives them. */
	@Test
	public void theJsonReportKeepsItsKeysInOrder() {
		Run r = CliTest.run("check", "--format", "json", RACY);
		assertEquals(1, r.exit(), r.err());
		JsonObject doc = JsonParser.parseString(r.out()).getAsJsonObject();
		assertEquals(List.of("tool", "command", "files", "scenarios", "summary", "exitCode", "diagnostics"), keys(doc));
		JsonObject file = doc.getAsJsonArray("files").get(0).getAsJsonObject();
		assertEquals(List.of("file", "errors", "diagnostics"), keys(file));
		JsonObject scenario = doc.getAsJsonArray("scenarios").get(0).getAsJsonObject();
		assertEquals(List.of("file", "spec", "scenario", "core", "verdict", "incompleteReason", "violations", "statistics"), keys(scenario));
		assertEquals(List.of("name", "file"), keys(scenario.getAsJsonObject("core")));
		assertTrue(scenario.get("incompleteReason").isJsonNull());
		JsonObject violation = scenario.getAsJsonArray("violations").get(0).getAsJsonObject();
		assertEquals(List.of("rule", "rootCause", "diagnostic", "trace"), keys(violation));
		assertEquals(List.of("file", "line", "column", "endLine", "endColumn", "severity", "id", "message"),
				keys(violation.getAsJsonObject("diagnostic")));
		assertEquals(List.of("step", "thread", "file", "line", "column", "statement", "changes"),
				keys(violation.getAsJsonArray("trace").get(0).getAsJsonObject()));
		assertEquals(List.of("states", "transitions", "depth", "bytes", "seconds", "statesPerSecond", "reductions", "symmetry",
				"collisionProbability", "mode", "bitstate"), keys(scenario.getAsJsonObject("statistics")));
		assertEquals("exact", scenario.getAsJsonObject("statistics").get("mode").getAsString());
		assertTrue(scenario.getAsJsonObject("statistics").get("bitstate").isJsonNull());
		assertEquals(List.of("files", "errors", "warnings", "scenarios", "failing", "incomplete"), keys(doc.getAsJsonObject("summary")));
		assertEquals(doc.getAsJsonArray("diagnostics").size(), doc.getAsJsonObject("summary").get("errors").getAsInt()
				+ doc.getAsJsonObject("summary").get("warnings").getAsInt());
	}

	@Test
	public void jsonIsIndentedByTwoSpacesWithNullsAndEmptyContainers() {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("a", null);
		doc.put("b", List.of());
		doc.put("c", Map.of());
		doc.put("d", List.of(1, 2.5, Long.MAX_VALUE, true, "<&>='"));
		assertEquals("{\n  \"a\": null,\n  \"b\": [],\n  \"c\": {},\n  \"d\": [\n    1,\n    2.5,\n    9223372036854775807,\n"
				+ "    true,\n    \"<&>='\"\n  ]\n}\n", JsonText.write(doc));
	}

	@Test
	public void theUsageGivesTheDefaultLimits() {
		Run r = CliTest.run("help");
		assertEquals(0, r.exit());
		assertTrue(r.out().contains("--max-states N         stop a model check after N states (default " + Limits.DEFAULT.maxStates() + ")"),
				r.out());
		assertTrue(r.out().contains("(default " + Math.round(Limits.DEFAULT.maxSeconds()) + ")"), r.out());
		assertTrue(r.out().contains("(default " + (Limits.DEFAULT.maxBytes() >> 20) + ")"), r.out());
		assertEquals(r.out(), CliTest.run("--help").out());
		Run none = CliTest.run();
		assertEquals(2, none.exit());
		assertEquals(r.out(), none.err());
	}

	@Test
	public void eachCommandTakesItsOwnOptions(@TempDir Path dir) {
		Run r = CliTest.run("check", "--out", dir.toString(), CLEAN);
		assertEquals(2, r.exit());
		assertTrue(r.err().startsWith("pgmap: unknown option '--out'\nusage: pgmap"), r.err());
		assertEquals(2, CliTest.run("model", "--max-states", "10", CLEAN).exit());
		Run frob = CliTest.run("frobnicate", CLEAN);
		assertTrue(frob.err().startsWith("pgmap: unknown command 'frobnicate'\n"), frob.err());
		Run flag = CliTest.run("check", "--debug=1", CLEAN);
		assertTrue(flag.err().startsWith("pgmap: --debug takes no value (give --debug alone to turn it on)\n"), flag.err());
		Run missing = CliTest.run("check", CLEAN, "--max-seconds");
		assertTrue(missing.err().startsWith("pgmap: --max-seconds needs a value\n"), missing.err());
	}

	@Test
	public void theLastValueOfAnOptionCountsAndPathsAreNeverArgumentFiles(@TempDir Path dir) throws Exception {
		Run r = CliTest.run("check", "--max-states", "1", "--max-states=20", CLEAN);
		assertEquals(3, r.exit(), r.out() + r.err());
		assertTrue(r.out().contains("INCOMPLETE (state limit of 20 states reached)"), r.out());
		Path args = Files.writeString(dir.resolve("args"), "--static\n");
		Run at = CliTest.run("check", "@" + args);
		assertEquals(2, at.exit());
		assertTrue(at.err().contains("@" + args + ": no such file or folder"), at.err());
		assertEquals(0, CliTest.run("check", "--static", "--", CLEAN).exit());
	}

	@Test
	public void aFileThatDeclaresNothingIsFormattedAndGeneratedAsNothing(@TempDir Path dir) throws Exception {
		Path empty = Files.writeString(dir.resolve("empty.pgmap"), "// nothing yet\n");
		Run format = CliTest.run("format", empty.toString());
		assertEquals(0, format.exit(), format.err());
		assertEquals("// nothing yet\n", format.out());
		Run generate = CliTest.run("generate", "--out", dir.resolve("out").toString(), empty.toString());
		assertEquals(0, generate.exit(), generate.err());
		assertFalse(generate.err().contains("internal error"), generate.err());
	}
}
