package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.dsl.tests.CliTest.Run;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Rule;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * {@code pgmap check --format sarif}: every log is valid against the OASIS SARIF 2.1.0 schema
 * (org.pgmap.dsl.tests/sarif, with format assertions), and says what the text and JSON reports say:
 * the rule on its statement, the trace as a code flow step for step, the rules' metadata, the
 * scenarios' verdicts, the same exit code; for {@code pgmap diff}, the violations the change adds.
 */
public class SarifTest {

	private static final Schema SARIF_SCHEMA = loadSchema();

	private static Schema loadSchema() {
		try (InputStream in = Files.newInputStream(Specs.root().resolve("org.pgmap.dsl.tests/sarif/sarif-schema-2.1.0.json"))) {
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
					b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())).getSchema(in);
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** What the schema finds wrong with a log; empty when it is valid. */
	static List<String> schemaErrors(String log) {
		return SARIF_SCHEMA.validate(log, InputFormat.JSON).stream().map(Object::toString).toList();
	}

	/** Runs the check, asserts the log is valid SARIF 2.1.0, and returns it parsed. */
	static JsonObject sarif(Run r) {
		List<String> errors = schemaErrors(r.out());
		assertTrue(errors.isEmpty(), "not valid SARIF 2.1.0: " + errors + "\n" + r.out());
		JsonObject log = JsonParser.parseString(r.out()).getAsJsonObject();
		assertEquals("2.1.0", log.get("version").getAsString());
		assertEquals(1, log.getAsJsonArray("runs").size());
		return log;
	}

	static JsonObject run(JsonObject log) {
		return log.getAsJsonArray("runs").get(0).getAsJsonObject();
	}

	static List<JsonObject> results(JsonObject log) {
		List<JsonObject> l = new ArrayList<>();
		run(log).getAsJsonArray("results").forEach(e -> l.add(e.getAsJsonObject()));
		return l;
	}

	static JsonObject region(JsonObject result) {
		return result.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation").getAsJsonObject("region");
	}

	static String uri(JsonObject physicalLocation) {
		return physicalLocation.getAsJsonObject("artifactLocation").get("uri").getAsString();
	}

	static List<String> notifications(JsonObject log) {
		List<String> l = new ArrayList<>();
		run(log).getAsJsonArray("invocations").get(0).getAsJsonObject().getAsJsonArray("toolExecutionNotifications")
				.forEach(n -> l.add(n.getAsJsonObject().getAsJsonObject("descriptor").get("id").getAsString() + " "
						+ n.getAsJsonObject().get("level").getAsString() + " " + n.getAsJsonObject().getAsJsonObject("message").get("text").getAsString()));
		return l;
	}

	/** The 1-based line of the first line containing {@code text} after the first containing {@code after}. */
	static int lineOf(Path file, String after, String text) {
		List<String> lines = Specs.read(file).lines().toList();
		int from = -1;
		for (int i = 0; i < lines.size(); i++) {
			if (from < 0 && lines.get(i).contains(after)) {
				from = i;
			} else if (from >= 0 && lines.get(i).contains(text)) {
				return i + 1;
			}
		}
		throw new AssertionError(file + " has no '" + text + "' after '" + after + "'");
	}

	@Test
	public void theRacyV6_0SpecBreaksR1OnItsStatementWithTheTraceAsOneCodeFlow() {
		Path spec = Specs.examples().resolve("test_hmm/v6_0.pgmap");
		Run r = CliTest.run("check", "--format", "sarif", spec.toString());
		Run json = CliTest.run("check", "--format", "json", spec.toString());
		Run text = CliTest.run("check", spec.toString());
		assertEquals(1, r.exit(), r.err());
		assertEquals(text.exit(), r.exit());
		assertEquals(json.exit(), r.exit());
		JsonObject log = sarif(r);

		// R1 on the spin_unlock that ends page_free's push: the free list holds a page at refcount 0
		List<JsonObject> r1 = results(log).stream().filter(x -> x.get("ruleId").getAsString().equals("R1")).toList();
		assertEquals(1, r1.size(), r.out());
		JsonObject result = r1.get(0);
		assertEquals("error", result.get("level").getAsString());
		JsonObject where = result.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation");
		assertTrue(uri(where).endsWith("examples/test_hmm/v6_0.pgmap"), uri(where));
		assertEquals(lineOf(spec, "op page_free", "spin_unlock(mdevice_lock)"), region(result).get("startLine").getAsInt());
		assertEquals(3, region(result).get("startColumn").getAsInt());
		String message = result.getAsJsonObject("message").get("text").getAsString();
		assertTrue(message.startsWith("R1 free-refcount: " + Rule.R1.text()), message);
		assertTrue(message.contains("scenario two_migrations") && message.contains("Root cause"), message);
		assertTrue(result.getAsJsonObject("properties").get("rootCause").getAsBoolean());

		// the code flow is the trace of the JSON report, step for step, in one threadFlow
		JsonObject jsonR1 = null;
		for (JsonElement v : JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("scenarios").get(0).getAsJsonObject()
				.getAsJsonArray("violations")) {
			if (v.getAsJsonObject().get("rule").getAsString().equals("R1")) {
				jsonR1 = v.getAsJsonObject();
			}
		}
		assertNotNull(jsonR1, json.out());
		JsonArray trace = jsonR1.getAsJsonArray("trace");
		JsonArray codeFlows = result.getAsJsonArray("codeFlows");
		assertEquals(1, codeFlows.size());
		JsonArray threadFlows = codeFlows.get(0).getAsJsonObject().getAsJsonArray("threadFlows");
		assertEquals(1, threadFlows.size());
		JsonArray steps = threadFlows.get(0).getAsJsonObject().getAsJsonArray("locations");
		assertEquals(trace.size(), steps.size());
		assertTrue(message.contains(trace.size() + " steps"), message);
		for (int i = 0; i < steps.size(); i++) {
			JsonObject step = steps.get(i).getAsJsonObject();
			JsonObject expected = trace.get(i).getAsJsonObject();
			assertEquals(i + 1, step.get("executionOrder").getAsInt());
			JsonObject location = step.getAsJsonObject("location");
			JsonObject physical = location.getAsJsonObject("physicalLocation");
			assertEquals(expected.get("line").getAsInt(), physical.getAsJsonObject("region").get("startLine").getAsInt());
			assertTrue(uri(physical).endsWith(Path.of(expected.get("file").getAsString()).getFileName().toString()), uri(physical));
			String stepMessage = location.getAsJsonObject("message").get("text").getAsString();
			assertTrue(stepMessage.startsWith(expected.get("thread").getAsString() + ": "), stepMessage);
			assertTrue(stepMessage.endsWith(expected.get("changes").getAsString()), stepMessage);
			assertEquals(expected.get("thread").getAsString(), step.getAsJsonObject("properties").get("thread").getAsString());
		}
		String last = steps.get(steps.size() - 1).getAsJsonObject().getAsJsonObject("location").getAsJsonObject("message").get("text").getAsString();
		assertTrue(last.contains("breaks R1"), last);

		// a consequence in the core: on the library's file, with the spec as a related location
		JsonObject r2 = results(log).stream().filter(x -> x.get("ruleId").getAsString().equals("R2") && x.has("codeFlows")).findFirst()
				.orElseThrow(() -> new AssertionError("no model-check R2: " + r.out()));
		JsonObject r2where = r2.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation");
		assertEquals("library/v6_0.pgmap", uri(r2where));
		assertEquals("PGMAP", r2where.getAsJsonObject("artifactLocation").get("uriBaseId").getAsString());
		assertTrue(r2.getAsJsonObject("message").get("text").getAsString().contains("consequence"), r2.toString());
		assertTrue(uri(r2.getAsJsonArray("relatedLocations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation"))
				.endsWith("examples/test_hmm/v6_0.pgmap"));

		// the static R2 warning on the uses core line is a result too, of the same rule
		assertTrue(results(log).stream().anyMatch(x -> x.get("ruleId").getAsString().equals("R2") && x.get("level").getAsString().equals("warning")
				&& !x.has("codeFlows")), r.out());

		// the verdict, the exit code
		assertTrue(notifications(log).stream().anyMatch(n -> n.startsWith("scenario-verdict note ") && n.contains("scenario two_migrations: FAIL")),
				notifications(log).toString());
		JsonObject scenario = run(log).getAsJsonObject("properties").getAsJsonArray("scenarios").get(0).getAsJsonObject();
		assertEquals("fail", scenario.get("verdict").getAsString());
		JsonObject invocation = run(log).getAsJsonArray("invocations").get(0).getAsJsonObject();
		assertEquals(1, invocation.get("exitCode").getAsInt());
		assertTrue(invocation.get("executionSuccessful").getAsBoolean());
	}

	@Test
	public void theRulesAreR1ToR14WarnAndEveryStaticCheck() {
		JsonObject log = sarif(CliTest.run("check", "--format", "sarif", Specs.examples().resolve("test_hmm/v6_1.pgmap").toString()));
		JsonObject driver = run(log).getAsJsonObject("tool").getAsJsonObject("driver");
		assertEquals("pgmap", driver.get("name").getAsString());
		assertFalse(driver.get("version").getAsString().isBlank());
		JsonArray rules = driver.getAsJsonArray("rules");
		List<String> ids = new ArrayList<>();
		rules.forEach(e -> ids.add(e.getAsJsonObject().get("id").getAsString()));
		for (Rule rule : Rule.values()) {
			JsonObject descriptor = rules.get(ids.indexOf(rule.name())).getAsJsonObject();
			assertEquals(rule.slug(), descriptor.get("name").getAsString());
			assertEquals(rule.text(), descriptor.getAsJsonObject("shortDescription").get("text").getAsString());
			assertTrue(descriptor.getAsJsonObject("fullDescription").get("text").getAsString().contains(rule.text()));
		}
		assertEquals(List.of("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "WARN"), ids.subList(0, 15));
		IssueCodes.DESCRIPTIONS.forEach((id, text) -> {
			boolean aboutTheRun = id.equals(IssueCodes.INTERNAL_ERROR) || id.equals(IssueCodes.TIME_LIMIT) || id.equals(IssueCodes.INCOMPLETE);
			assertEquals(!aboutTheRun, ids.contains(id), id);
			if (!aboutTheRun) {
				assertEquals(text, rules.get(ids.indexOf(id)).getAsJsonObject().getAsJsonObject("shortDescription").get("text").getAsString());
			}
		});
		assertEquals(ids.size(), ids.stream().distinct().count(), ids.toString());
	}

	/** Every code a finding can carry has its line, so a new check cannot reach a report without one. */
	@Test
	public void everyIssueCodeIsDescribed() throws IllegalAccessException {
		for (Field f : IssueCodes.class.getFields()) {
			if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
				String code = (String) f.get(null);
				assertTrue(IssueCodes.DESCRIPTIONS.containsKey(code) || Rule.byId(code) != null, f.getName() + " (" + code + ") has no description");
			}
		}
	}

	@Test
	public void aPassingSpecHasItsVerdictAndNoViolation() {
		Path spec = Specs.examples().resolve("test_hmm/v6_1.pgmap");
		Run r = CliTest.run("check", "--format", "sarif", spec.toString());
		assertEquals(0, r.exit(), r.err());
		assertEquals(CliTest.run("check", spec.toString()).exit(), r.exit());
		JsonObject log = sarif(r);
		assertTrue(results(log).stream().noneMatch(x -> x.has("codeFlows") || x.get("level").getAsString().equals("error")), r.out());
		assertTrue(notifications(log).stream().anyMatch(n -> n.startsWith("scenario-verdict note ") && n.contains("scenario two_migrations: pass")),
				notifications(log).toString());
		run(log).getAsJsonObject("properties").getAsJsonArray("scenarios")
				.forEach(s -> assertEquals("pass", s.getAsJsonObject().get("verdict").getAsString()));
		JsonObject invocation = run(log).getAsJsonArray("invocations").get(0).getAsJsonObject();
		assertEquals(0, invocation.get("exitCode").getAsInt());
		assertTrue(invocation.get("executionSuccessful").getAsBoolean());
	}

	@Test
	public void aStaticFindingIsAResultOnItsLineAndColumn(@TempDir Path dir) throws IOException {
		Path spec = dir.resolve("unreleased.pgmap");
		Files.writeString(spec, Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap")).replaceFirst(
				"(op page_free \\w+\\(page\\) \\{\\s*spin_lock\\(mdevice_lock\\)\\s*push\\(free_pages, page\\))\\s*spin_unlock\\(mdevice_lock\\)", "$1"));
		Run text = CliTest.run("check", spec.toString());
		Run r = CliTest.run("check", "--format", "sarif", spec.toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		assertEquals(text.exit(), r.exit());
		String line = text.out().lines().filter(l -> l.contains("[lock-not-released]")).findFirst()
				.orElseThrow(() -> new AssertionError("the edit left the lock held nowhere: " + text.out()));
		String[] at = line.split(":");
		JsonObject result = results(sarif(r)).stream().filter(x -> x.get("ruleId").getAsString().equals("lock-not-released")).findFirst()
				.orElseThrow();
		assertEquals("error", result.get("level").getAsString());
		assertEquals(Integer.parseInt(at[1]), region(result).get("startLine").getAsInt());
		assertEquals(Integer.parseInt(at[2]), region(result).get("startColumn").getAsInt());
		assertTrue(uri(result.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation"))
				.endsWith("/unreleased.pgmap"));
	}

	@Test
	public void anIncompleteScenarioIsANotificationAndExitsThree() {
		Path spec = Specs.examples().resolve("test_hmm/v6_1.pgmap");
		Run r = CliTest.run("check", "--format", "sarif", "--max-states", "20", spec.toString());
		assertEquals(3, r.exit(), r.out() + r.err());
		assertEquals(CliTest.run("check", "--max-states", "20", spec.toString()).exit(), r.exit());
		JsonObject log = sarif(r);
		assertTrue(notifications(log).stream().anyMatch(n -> n.startsWith("incomplete warning ") && n.contains("INCOMPLETE (state limit")),
				notifications(log).toString());
		assertFalse(run(log).getAsJsonArray("invocations").get(0).getAsJsonObject().get("executionSuccessful").getAsBoolean());
		assertTrue(results(log).stream().noneMatch(x -> x.get("ruleId").getAsString().equals(IssueCodes.INCOMPLETE)));
	}

	@Test
	public void anInternalErrorIsNeverAResult() {
		Path spec = Specs.examples().resolve("test_hmm/v6_1.pgmap");
		Run r = HostileInputTest.runFailing(() -> new IllegalStateException("a bug"), "check", "--format", "sarif", spec.toString());
		assertEquals(4, r.exit(), r.out() + r.err());
		JsonObject log = sarif(r);
		assertTrue(results(log).stream().noneMatch(x -> x.get("ruleId").getAsString().equals(IssueCodes.INTERNAL_ERROR)), r.out());
		assertTrue(notifications(log).stream().anyMatch(n -> n.startsWith("internal-error error ")), notifications(log).toString());
		JsonObject invocation = run(log).getAsJsonArray("invocations").get(0).getAsJsonObject();
		assertEquals(4, invocation.get("exitCode").getAsInt());
		assertFalse(invocation.get("executionSuccessful").getAsBoolean());
	}

	/** The whole examples folder: every log pgmap writes for it is valid, with the exit code of the text report. */
	@Test
	public void everyExampleGivesValidSarif() {
		Run r = CliTest.run("check", "--format", "sarif", Specs.examples().toString());
		assertEquals(1, r.exit(), r.err()); // some examples are racy on purpose
		JsonObject log = sarif(r);
		long failing = run(log).getAsJsonObject("properties").getAsJsonObject("summary").get("failing").getAsLong();
		assertTrue(failing > 0, r.out());
		assertEquals(failing, notifications(log).stream().filter(n -> n.contains(": FAIL")).count());
		for (JsonObject result : results(log)) {
			int index = result.get("ruleIndex").getAsInt();
			assertEquals(result.get("ruleId").getAsString(),
					run(log).getAsJsonObject("tool").getAsJsonObject("driver").getAsJsonArray("rules").get(index).getAsJsonObject().get("id").getAsString());
		}
	}

	/** diff: the violations the change adds are the results, new against the baseline, on the spec's statements. */
	@Test
	public void aDiffThatAddsARaceHasItsViolationsAsNewResults() {
		Path spec = Specs.examples().resolve("test_hmm/v6_0.pgmap");
		Run text = CliTest.run("diff", "--core", "reorder", "--vs-core", "v6_0", spec.toString());
		Run r = CliTest.run("diff", "--format", "sarif", "--core", "reorder", "--vs-core", "v6_0", spec.toString());
		assertEquals(1, r.exit(), r.out() + r.err());
		assertEquals(text.exit(), r.exit());
		JsonObject log = sarif(r);
		List<String> added = new ArrayList<>();
		text.out().lines().filter(l -> l.startsWith("  adds ")).forEach(l -> added.add(l.substring("  adds ".length()).split(" ")[0]));
		assertFalse(added.isEmpty(), text.out());
		assertEquals(added, results(log).stream().map(x -> x.get("ruleId").getAsString()).toList());
		JsonObject r1 = results(log).stream().filter(x -> x.get("ruleId").getAsString().equals("R1")).findFirst().orElseThrow();
		assertEquals("new", r1.get("baselineState").getAsString());
		JsonObject where = r1.getAsJsonArray("locations").get(0).getAsJsonObject().getAsJsonObject("physicalLocation");
		assertTrue(uri(where).endsWith("examples/test_hmm/v6_0.pgmap"), uri(where)); // the spec, not the temporary copy diff checks
		assertEquals(lineOf(spec, "op page_free", "spin_unlock(mdevice_lock)"), region(r1).get("startLine").getAsInt());
		String steps = text.out().lines().filter(l -> l.startsWith("  adds R1 ")).findFirst().orElseThrow().replaceAll(".*, (\\d+) steps:", "$1");
		assertEquals(Integer.parseInt(steps), r1.getAsJsonArray("codeFlows").get(0).getAsJsonObject().getAsJsonArray("threadFlows").get(0)
				.getAsJsonObject().getAsJsonArray("locations").size());
		assertTrue(notifications(log).stream().anyMatch(n -> n.startsWith("scenario-diff note ") && n.contains("scenario two_migrations: removes nothing; adds R1")),
				notifications(log).toString());
		JsonObject compared = run(log).getAsJsonObject("properties").getAsJsonArray("scenarios").get(0).getAsJsonObject();
		assertEquals("pass", compared.get("verdictBefore").getAsString());
		assertEquals("fail", compared.get("verdictAfter").getAsString());
	}

	@Test
	public void aDiffThatRepairsARaceHasNoResult() {
		Path spec = Specs.examples().resolve("test_hmm/v6_0.pgmap");
		Run r = CliTest.run("diff", "--format", "sarif", "--core", "v6_0", "--vs-core", "reorder", spec.toString());
		assertEquals(0, r.exit(), r.out() + r.err());
		JsonObject log = sarif(r);
		assertTrue(results(log).isEmpty(), r.out());
		assertTrue(notifications(log).stream().anyMatch(n -> n.contains("scenario two_migrations: removes R1, R2, R4, R6, R8; adds nothing")),
				notifications(log).toString());
		assertEquals(5, run(log).getAsJsonObject("properties").getAsJsonObject("summary").get("removes").getAsInt());
	}

	/** The schema check itself can fail: each of these breaks of a valid log is refused. */
	@Test
	public void theSchemaRefusesABrokenLog() {
		String valid = CliTest.run("check", "--format", "sarif", Specs.examples().resolve("test_hmm/v6_0.pgmap").toString()).out();
		assertTrue(schemaErrors(valid).isEmpty(), schemaErrors(valid).toString());
		List<Consumer<JsonObject>> breaks = List.of(
				log -> log.remove("version"),
				log -> log.addProperty("version", "2.0.0"),
				log -> run(log).remove("tool"),
				log -> results(log).get(0).addProperty("level", "fatal"),
				log -> region(results(log).get(0)).addProperty("startLine", 0),
				log -> results(log).get(0).add("message", new JsonObject()),
				log -> results(log).stream().filter(x -> x.has("codeFlows")).findFirst().orElseThrow().getAsJsonArray("codeFlows").get(0)
						.getAsJsonObject().add("threadFlows", new JsonArray()),
				log -> results(log).get(0).addProperty("pgmapScenario", "two_migrations"));
		for (int i = 0; i < breaks.size(); i++) {
			JsonObject log = JsonParser.parseString(valid).getAsJsonObject();
			breaks.get(i).accept(log);
			assertFalse(schemaErrors(log.toString()).isEmpty(), "break " + i + " was not refused: " + log);
		}
	}
}
