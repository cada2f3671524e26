package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pgmap.dsl.tests.RawLspClient.quote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.engine.Rule;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The editor services of the language server, the same ones the Eclipse editor shows (they come
 * from Xtext's IDE services, bound in PgmapIdeModule): document symbols with the spec's
 * structure, hover on kernel functions, names and rule ids, semantic tokens that tell locks from
 * pools, and the quick fixes as code actions whose edits give the text QuickFixTest expects.
 */
public class EditorServicesTest {

	private static final String SPEC = Specs.read(Specs.examples().resolve("test_hmm/v6_1.pgmap"));
	private static final String CAPABILITIES = "{\"textDocument\":{\"documentSymbol\":{\"hierarchicalDocumentSymbolSupport\":true}}}";

	@TempDir
	Path workspace;

	@Test
	public void theServerAdvertisesSymbolsHoverCodeActionsAndSemanticTokensWithPgmapModifiers() throws Exception {
		try (RawLspClient client = RawLspClient.start(workspace, CAPABILITIES)) {
			JsonObject capabilities = client.capabilities();
			assertTrue(capabilities.get("documentSymbolProvider").getAsBoolean(), capabilities.toString());
			assertTrue(capabilities.get("hoverProvider").getAsBoolean(), capabilities.toString());
			assertTrue(capabilities.get("codeActionProvider").getAsBoolean(), capabilities.toString());
			JsonObject legend = capabilities.getAsJsonObject("semanticTokensProvider").getAsJsonObject("legend");
			List<String> modifiers = strings(legend.getAsJsonArray("tokenModifiers"));
			assertTrue(modifiers.containsAll(List.of("lock", "pool", "object", "pagemap")), modifiers.toString());
		}
	}

	@Test
	public void documentSymbolsAreTheSpecsStructure() throws Exception {
		String uri = write("test_hmm/v6_1.pgmap", SPEC);
		try (RawLspClient client = RawLspClient.start(workspace, CAPABILITIES)) {
			client.open(uri, SPEC);
			JsonArray roots = result(client.call("textDocument/documentSymbol", "{\"textDocument\":{\"uri\":" + quote(uri) + "}}"))
					.getAsJsonArray();
			assertEquals(List.of("spec test_hmm_v6_1", "pagemap dmirror", "driver dmirror_driver", "scenario two_migrations"),
					labels(roots), roots.toString());
			// LSP's SymbolKind: File 1, Module 2, Class 5, Struct 23
			assertEquals(List.of(1, 23, 5, 2), kinds(roots));
			JsonArray driver = roots.get(2).getAsJsonObject().getAsJsonArray("children");
			assertEquals(List.of("spinlock mdevice_lock", "freelist free_pages", "alloc dmirror_devmem_alloc_page",
					"op page_free dmirror_devmem_free", "op migrate_to_ram dmirror_devmem_fault"), labels(driver));
			assertEquals(List.of(20, 18, 12, 6, 6), kinds(driver)); // Key, Array, Function, Method, Method
			JsonObject name = driver.get(0).getAsJsonObject().getAsJsonObject("selectionRange").getAsJsonObject("start");
			assertEquals(12, name.get("line").getAsInt());
			assertEquals(10, name.get("character").getAsInt(), "the selection is the lock's name");
			assertEquals(List.of("thread user[2] = migrate_user"), labels(roots.get(3).getAsJsonObject().getAsJsonArray("children")));
		}
	}

	@Test
	public void hoverExplainsKernelFunctionsNamesAndRuleIds() throws Exception {
		String text = SPEC + "// a count other than the hand-off count breaks R4\n";
		String uri = write("test_hmm/v6_1.pgmap", text);
		try (RawLspClient client = RawLspClient.start(workspace, CAPABILITIES)) {
			client.open(uri, text);
			String onSpinLock = hover(client, uri, 16, 4);
			assertTrue(onSpinLock.contains(Builtins.of(Builtin.SPIN_LOCK).doc()), onSpinLock);
			String onLock = hover(client, uri, 16, 14);
			assertTrue(onLock.contains("`spinlock mdevice_lock`: a spinlock") && onLock.contains("line 13, in driver dmirror_driver"), onLock);
			String onCore = hover(client, uri, 7, 11);
			assertTrue(onCore.contains("core v6_1") && onCore.contains("library/v6_1.pgmap"), onCore);
			String onPool = hover(client, uri, 29, 8);
			assertTrue(onPool.contains("freelist free_pages linked by zone_device_data guarded by mdevice_lock"), onPool);
			String onThread = hover(client, uri, 41, 9); // thread user[2] = migrate_user(dmirror_devmem_alloc_page)
			assertTrue(onThread.contains("running the core's actor `migrate_user` (migrate_vma: allocate, map, finalize, unmap)"), onThread);
			String onRule = hover(client, uri, (int) text.lines().count() - 1, 49); // the comment's R4, on the last line
			assertTrue(onRule.contains(Rule.R4.title()) && onRule.contains(Rule.R4.text()), onRule);
		}
	}

	@Test
	public void semanticTokensTellLocksFromPoolsAndKernelFunctions() throws Exception {
		String uri = write("test_hmm/v6_1.pgmap", SPEC);
		try (RawLspClient client = RawLspClient.start(workspace, CAPABILITIES)) {
			client.open(uri, SPEC);
			JsonObject legend = client.capabilities().getAsJsonObject("semanticTokensProvider").getAsJsonObject("legend");
			List<String> types = strings(legend.getAsJsonArray("tokenTypes"));
			List<String> modifiers = strings(legend.getAsJsonArray("tokenModifiers"));
			JsonArray data = result(client.call("textDocument/semanticTokens/full", "{\"textDocument\":{\"uri\":" + quote(uri) + "}}"))
					.getAsJsonObject().getAsJsonArray("data");
			// line 17: "\t\tspin_lock(mdevice_lock)"
			int[] lock = token(data, 16, 12);
			assertEquals("variable", types.get(lock[3]));
			assertEquals(1 << modifiers.indexOf("lock"), lock[4] & (1 << modifiers.indexOf("lock")));
			int[] spinLock = token(data, 16, 2);
			assertEquals("function", types.get(spinLock[3]));
			int[] pool = token(data, 17, 13); // "page = pop(free_pages)"
			assertEquals(1 << modifiers.indexOf("pool"), pool[4] & (1 << modifiers.indexOf("pool")));
		}
	}

	@Test
	public void quickFixesAreCodeActionsWithTheEditsQuickFixTestExpects() throws Exception {
		String missingUnlock = SPEC.replaceFirst("\t\t\tspin_unlock\\(mdevice_lock\\)\n\t\t\treturn none", "\t\t\treturn none");
		String getOnZero = SPEC.replace("zone_device_page_init(page)", "get_page(page)");
		String fixedCore = "core mine {\n\tidle refcount 1\n\ton final_put(page) {\n\t\tpage.mapping = null\n\t\tset_page_count(page, 1)\n"
				+ "\t\tcall page_free(page)\n\t}\n}\n";
		String racyCore = fixedCore.replace("\t\tset_page_count(page, 1)\n\t\tcall page_free(page)\n",
				"\t\tcall page_free(page)\n\t\tset_page_count(page, 1) // racy\n");
		String unlockUri = write("a/missing_unlock.pgmap", missingUnlock);
		String zeroUri = write("b/get_on_zero.pgmap", getOnZero);
		String coreUri = write("c/own_core.pgmap", racyCore);
		try (RawLspClient client = RawLspClient.start(workspace, CAPABILITIES)) {
			client.open(unlockUri, missingUnlock);
			client.open(zeroUri, getOnZero);
			client.open(coreUri, racyCore);
			assertEquals(SPEC, fix(client, unlockUri, missingUnlock, "lock-not-released", "Add 'spin_unlock(mdevice_lock)' before the return"));
			assertEquals(fixedCore, fix(client, coreUri, racyCore, "R2", "Move 'set_page_count(page, 1)' before 'call page_free(page)'"));
			// R6 comes from the model check, in the background after the static diagnostics
			assertEquals(SPEC, fix(client, zeroUri, getOnZero, "R6", "Replace get_page with zone_device_page_init"));
		}
	}

	/** Asks for the code actions of the document's first diagnostic with this code; applies the only one. */
	private static String fix(RawLspClient client, String uri, String text, String code, String title) {
		JsonArray diagnostics = client.awaitPublication(uri, d -> withCode(d, code) != null, 60_000, code).diagnostics();
		JsonObject diagnostic = withCode(diagnostics, code);
		String params = "{\"textDocument\":{\"uri\":" + quote(uri) + "},\"range\":" + diagnostic.get("range") + ",\"context\":{\"diagnostics\":["
				+ diagnostic + "]}}";
		JsonArray actions = result(client.call("textDocument/codeAction", params)).getAsJsonArray();
		assertEquals(1, actions.size(), actions.toString());
		JsonObject action = actions.get(0).getAsJsonObject();
		assertEquals("quickfix", action.get("kind").getAsString());
		assertTrue(action.get("title").getAsString().startsWith(title), action.toString());
		JsonObject changes = action.getAsJsonObject("edit").getAsJsonObject("changes");
		assertEquals(1, changes.size(), changes.toString());
		return apply(text, changes.entrySet().iterator().next().getValue().getAsJsonArray());
	}

	private static JsonObject withCode(JsonArray diagnostics, String code) {
		for (JsonElement d : diagnostics) {
			if (d.getAsJsonObject().has("code") && code.equals(d.getAsJsonObject().get("code").getAsString())) {
				return d.getAsJsonObject();
			}
		}
		return null;
	}

	/** The text with LSP text edits applied (their ranges refer to the text before any of them). */
	private static String apply(String text, JsonArray edits) {
		List<int[]> ranges = new ArrayList<>();
		List<String> texts = new ArrayList<>();
		for (JsonElement e : edits) {
			JsonObject range = e.getAsJsonObject().getAsJsonObject("range");
			ranges.add(new int[] { offset(text, range.getAsJsonObject("start")), offset(text, range.getAsJsonObject("end")), texts.size() });
			texts.add(e.getAsJsonObject().get("newText").getAsString());
		}
		ranges.sort(Comparator.comparingInt((int[] r) -> r[0]).reversed());
		StringBuilder sb = new StringBuilder(text);
		for (int[] r : ranges) {
			sb.replace(r[0], r[1], texts.get(r[2]));
		}
		return sb.toString();
	}

	private static int offset(String text, JsonObject position) {
		int offset = 0;
		for (int line = 0; line < position.get("line").getAsInt(); line++) {
			offset = text.indexOf('\n', offset) + 1;
		}
		return offset + position.get("character").getAsInt();
	}

	private static String hover(RawLspClient client, String uri, int line, int character) {
		JsonElement result = result(client.call("textDocument/hover", "{\"textDocument\":{\"uri\":" + quote(uri)
				+ "},\"position\":{\"line\":" + line + ",\"character\":" + character + "}}"));
		return result.getAsJsonObject().getAsJsonObject("contents").get("value").getAsString();
	}

	/** The semantic token that starts at line:character, decoded: line, character, length, type, modifiers. */
	private static int[] token(JsonArray data, int line, int character) {
		int l = 0;
		int c = 0;
		for (int i = 0; i + 4 < data.size(); i += 5) {
			int deltaLine = data.get(i).getAsInt();
			l += deltaLine;
			c = deltaLine == 0 ? c + data.get(i + 1).getAsInt() : data.get(i + 1).getAsInt();
			if (l == line && c == character) {
				return new int[] { l, c, data.get(i + 2).getAsInt(), data.get(i + 3).getAsInt(), data.get(i + 4).getAsInt() };
			}
		}
		throw new AssertionError("no semantic token at " + line + ":" + character + " in " + data);
	}

	private String write(String path, String text) throws Exception {
		Path file = workspace.resolve(path);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
		return file.toUri().toString();
	}

	private static JsonElement result(JsonObject response) {
		assertTrue(response.has("result") && !response.get("result").isJsonNull(), response.toString());
		return response.get("result");
	}

	private static List<String> labels(JsonArray symbols) {
		List<String> labels = new ArrayList<>();
		for (JsonElement s : symbols) {
			JsonObject o = s.getAsJsonObject();
			String detail = o.has("detail") ? o.get("detail").getAsString() : "";
			labels.add(detail.isEmpty() ? o.get("name").getAsString() : detail + " " + o.get("name").getAsString());
		}
		return labels;
	}

	private static List<Integer> kinds(JsonArray symbols) {
		List<Integer> kinds = new ArrayList<>();
		symbols.forEach(s -> kinds.add(s.getAsJsonObject().get("kind").getAsInt()));
		return kinds;
	}

	private static List<String> strings(JsonArray array) {
		List<String> result = new ArrayList<>();
		array.forEach(e -> result.add(e.getAsString()));
		return result;
	}
}
