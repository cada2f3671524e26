package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgmap.dsl.tests.CliTest.Run;
import org.pgmap.engine.Escape;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * `pgmap generate` on hostile spec text: titles that try to end a C comment or start a
 * preprocessor line, a file name with a newline and make's $(shell ...), names that are C
 * keywords. The same spec with harmless text generates the same code once comments and string
 * literals are taken out; the C compiles (against stub headers always, against the kernel's
 * headers where they are installed, with W=1 and no warning), the Promela passes `spin -a`, the
 * Kbuild is exactly the expected lines, and the model JSON gives the title back.
 */
public class GenerateSafetyTest {

	/** Ends a C comment, includes a file, starts a line comment, splices lines, flips the text direction, runs a shell in make. */
	static final String CORE_TITLE = "*/ #include \"evil.h\"\nint pwned = 1; /* nested ??/\n// splice \\\n\u2028\u2029\u202e"
			+ " $(shell touch pgmap_pwned) ends with \\";
	static final String SPEC_TITLE = "spec */ #define MODULE_LICENSE(x) \" pwned\r\n\u2028 `touch pgmap_pwned` $(shell touch pgmap_pwned) \\";
	static final String SCENARIO_TITLE = "*/ } pwned { /*";
	static final String WARN_MESSAGE = "WARN */ \"); pwned(\" \u2028";
	/** No '/' (no file name holds one); everything else make, a shell or a C comment could trip on. */
	static final String FILE_NAME = "hostile\n$(shell touch pgmap_pwned); `touch pgmap_pwned` \"q\" 'q' \\ \u2028 #x *.pgmap";

	/** The spec (test_hmm's dmirror on a core of its own) with names that are C keywords and macros. */
	static String spec(String specTitle, String coreTitle, String scenarioTitle, String warnMessage) {
		return """
				// hostile text in titles and messages, C keywords as names
				spec hostile "%s"
				uses core hostile_core

				core hostile_core "%s" {
					idle refcount 0 for MEMORY_DEVICE_PRIVATE

					on init(page) {
						set_page_count(page, 0)
					}

					on final_put(page) {
						if !has_page_free(page) {
							warn "%s"
							return
						}
						page.mapping = null
						call page_free(page)
						pgmap_put(page.pgmap)
					}

					helper zone_device_page_init(page) {
						pgmap_tryget_live(page.pgmap) else warn "%s"
						set_page_count(page, 1)
						lock_page(page)
					}
				}

				pagemap NULL type MEMORY_DEVICE_PRIVATE pages 2 ops struct

				driver struct {
					spinlock current
					var int = 1
					freelist free_pages linked by zone_device_data guarded by current holds NULL

					alloc static() {
						spin_lock(current)
						page = pop(free_pages) else {
							spin_unlock(current)
							return none
						}
						spin_unlock(current)
						zone_device_page_init(page)
						page.zone_device_data = private
						return page
					}

					op page_free register(page) {
						spin_lock(current)
						push(free_pages, page)
						spin_unlock(current)
					}

					op migrate_to_ram inline(page) {
						lock_page(page)
						unlock_page(page)
					}
				}

				scenario default "%s" {
					thread user[2] {
						p = static() else return
						get_page(p)
						unlock_page(p)
						put_page(p)
						put_page(p)
					}
				}
				""".formatted(pgmapString(specTitle), pgmapString(coreTitle), pgmapString(warnMessage), pgmapString(warnMessage),
				pgmapString(scenarioTitle));
	}

	/** A pgmap STRING literal's body for a text (the grammar's escapes: backslash and quote). */
	static String pgmapString(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	private static Path hostile;
	private static Path benign;
	private static Path work;

	/** Generates the hostile spec and its harmless twin once, into work/hostile-out and work/benign-out. */
	@BeforeAll
	static void generateBoth(@TempDir Path dir) throws IOException {
		work = dir;
		hostile = generate(dir.resolve("hostile-in"), FILE_NAME, spec(SPEC_TITLE, CORE_TITLE, SCENARIO_TITLE, WARN_MESSAGE),
				dir.resolve("hostile-out"));
		benign = generate(dir.resolve("benign-in"), "benign.pgmap", spec("benign", "benign", "benign", "benign"),
				dir.resolve("benign-out"));
	}

	private static Path generate(Path in, String fileName, String text, Path out) throws IOException {
		Files.createDirectories(in);
		Path file = in.resolve(fileName);
		Files.writeString(file, text);
		Run r = CliTest.run("generate", "--out", out.toString(), file.toString());
		assertEquals(0, r.exit(), r.out() + r.err());
		return out.resolve("hostile");
	}

	@Test
	public void theSameFilesAreWritten() throws IOException {
		assertEquals(List.of("Kbuild", "hostile.default_.pml", "hostile.model.json", "struct__pgmap.c", "struct__pgmap.h"),
				names(hostile));
		assertEquals(names(benign), names(hostile));
	}

	/** Outside comments and string literals, the code from hostile text is the code from harmless text. */
	@Test
	public void hostileTextStaysInCommentsAndStrings() throws IOException {
		for (String f : List.of("struct__pgmap.c", "struct__pgmap.h", "hostile.default_.pml")) {
			String code = CText.code(Files.readString(hostile.resolve(f)));
			assertEquals(CText.code(Files.readString(benign.resolve(f))), code, f);
			assertFalse(code.contains("pwned") || code.contains("evil") || code.contains("$("), f + ":\n" + code);
		}
		String c = Files.readString(hostile.resolve("struct__pgmap.c"));
		assertTrue(c.contains(Escape.comment(CORE_TITLE)), "the core's title is in the banner, escaped:\n" + c);
		for (String line : c.split("\n", -1)) {
			assertFalse(line.endsWith("\\") || line.contains("\u2028") || line.contains("\u202e"), line);
		}
	}

	@Test
	public void namesThatAreCKeywordsGetATrailingUnderscore() throws IOException {
		String c = Files.readString(hostile.resolve("struct__pgmap.c"));
		for (String declaration : List.of("struct struct__device {", "\tspinlock_t current_;", "\tint int_;",
				"\tstruct dev_pagemap NULL_;", "struct page *static_(void)", "static void register_(struct page *page)",
				"static vm_fault_t inline_(struct vm_fault *vmf)")) {
			assertTrue(c.contains(declaration), declaration + " in\n" + c);
		}
	}

	@Test
	public void kbuildHasExactlyTheExpectedLines() throws IOException {
		assertEquals("""
				# SPDX-License-Identifier: GPL-2.0
				# Generated by pgmap from spec hostile.
				obj-m += struct__pgmap.o
				""", Files.readString(hostile.resolve("Kbuild")));
	}

	@Test
	public void theModelJsonParsesAndGivesTheTitleBack() throws IOException {
		String text = Files.readString(hostile.resolve("hostile.model.json"));
		for (char c : text.toCharArray()) {
			assertTrue(c == '\n' || c >= 0x20 && c != 0x7f && c != '\u2028' && c != '\u2029' && c != '\u202e',
					"a raw character " + (int) c + " in the JSON");
		}
		JsonObject doc = JsonParser.parseString(text).getAsJsonObject();
		assertEquals(SPEC_TITLE, doc.get("title").getAsString());
		assertEquals("hostile", doc.get("spec").getAsString());
		assertEquals("pass", doc.get("verdict").getAsString());
		assertTrue(doc.get("warning").isJsonNull());
		assertTrue(doc.get("file").getAsString().endsWith(FILE_NAME), doc.get("file").getAsString());
		List<String> texts = new ArrayList<>();
		for (JsonElement scenario : doc.getAsJsonArray("scenarios")) {
			for (JsonElement thread : scenario.getAsJsonObject().getAsJsonArray("threads")) {
				for (JsonElement step : thread.getAsJsonObject().getAsJsonArray("program")) {
					texts.add(step.getAsJsonObject().get("text").getAsString());
				}
			}
		}
		assertTrue(texts.contains("warn \"" + pgmapString(WARN_MESSAGE) + "\""), texts.toString());
	}

	@Test
	public void escapesForEachLanguage() {
		assertEquals("a * / b / * c \\u000a d ?\\u003f/ e \\u2028\\u202e f \\u005c", Escape.comment("a */ b /* c \n d ??/ e \u2028\u202e f \\ "));
		assertEquals("q\\\"b\\\\c\\?\\?/\\012\\303\\251", Escape.cString("q\"b\\c??/\n\u00e9"));
		String json = org.pgmap.dsl.check.JsonText.write(List.of("\u2028\u2029\u202e\ud800x\ud83d\ude00\u007f\"\\"));
		assertEquals("[\n  \"\\u2028\\u2029\\u202e\\ud800x\ud83d\ude00\\u007f\\\"\\\\\"\n]\n", json);
		assertEquals("\u2028\u2029\u202e\ud800x\ud83d\ude00\u007f\"\\", JsonParser.parseString(json).getAsJsonArray().get(0).getAsString());
	}

	/** Always: gcc parses the C against stub headers, with -Wcomment and -Wtrigraphs as errors. */
	@Test
	public void theCParsesWithGcc() throws Exception {
		assumeTrue(onPath("gcc"), "gcc is not installed");
		Path stubs = Specs.root().resolve("org.pgmap.dsl.tests/kernel-stubs");
		Result r = exec(hostile, 120, "gcc", "-fsyntax-only", "-std=gnu11", "-nostdinc", "-Wall", "-Wextra", "-Wno-unused-parameter",
				"-Wmissing-prototypes", "-Wcomment", "-Wtrigraphs", "-Werror", "-I", stubs.toString(), "-I", ".", "struct__pgmap.c");
		assertEquals(0, r.exit(), r.output());
		assertEquals("", r.output());
	}

	/** Where kernel headers are installed (CI): the module builds as tools/kernel-build.sh builds it, with no warning. */
	@Test
	public void theModuleBuildsAgainstKernelHeadersWithoutWarnings() throws Exception {
		Path headers = kernelHeaders();
		assumeTrue(headers != null && onPath("make"), "no kernel headers (apt-get install linux-headers-amd64)");
		Path module = work.resolve("kernel-build");
		copy(hostile, module);
		Result r = exec(module, 600, "make", "-C", headers.toString(), "M=" + module, "W=1", "modules");
		assertEquals(0, r.exit(), r.output());
		assertFalse(r.output().contains("warning:") || r.output().contains("error:"), r.output());
		assertTrue(Files.exists(module.resolve("struct__pgmap.ko")), r.output());
		assertNoShellRan(headers, module);
	}

	@Test
	public void thePromelaPassesSpinA() throws Exception {
		assumeTrue(onPath("spin"), "spin is not installed");
		Path dir = work.resolve("spin");
		copy(hostile, dir);
		Result r = exec(dir, 120, "spin", "-a", "hostile.default_.pml");
		assertEquals(0, r.exit(), r.output());
		assertFalse(r.output().toLowerCase().contains("error"), r.output());
		assertTrue(Files.exists(dir.resolve("pan.c")), r.output());
		assertNoShellRan(dir);
	}

	private static void assertNoShellRan(Path... more) throws IOException {
		List<Path> places = new ArrayList<>(List.of(work, Path.of("").toAbsolutePath()));
		places.addAll(List.of(more));
		for (Path p : places) {
			try (Stream<Path> walk = Files.walk(p, p.equals(work) ? Integer.MAX_VALUE : 1)) {
				assertFalse(walk.anyMatch(f -> f.getFileName().toString().equals("pgmap_pwned")), "a shell ran in " + p);
			}
		}
	}

	// ------------------------------------------------------------------ helpers

	static List<String> names(Path dir) throws IOException {
		try (Stream<Path> list = Files.list(dir)) {
			return list.map(f -> f.getFileName().toString()).sorted().toList();
		}
	}

	static void copy(Path from, Path to) throws IOException {
		Files.createDirectories(to);
		for (String name : names(from)) {
			Files.copy(from.resolve(name), to.resolve(name));
		}
	}

	/** The kernel-build.sh way: $KERNEL_HEADERS, the newest /usr/src/linux-headers-*-amd64, or /lib/modules/&#42;/build. */
	static Path kernelHeaders() throws IOException {
		String env = System.getenv("KERNEL_HEADERS");
		if (env != null && Files.isRegularFile(Path.of(env, "Makefile"))) {
			return Path.of(env);
		}
		TreeMap<String, Path> found = new TreeMap<>();
		for (Path parent : List.of(Path.of("/usr/src"), Path.of("/lib/modules"))) {
			if (!Files.isDirectory(parent)) {
				continue;
			}
			try (Stream<Path> list = Files.list(parent)) {
				for (Path p : list.toList()) {
					Path dir = parent.toString().equals("/usr/src") ? p : p.resolve("build");
					String name = p.getFileName().toString();
					if ((parent.toString().equals("/lib/modules") || name.startsWith("linux-headers-") && name.endsWith("-amd64"))
							&& Files.isRegularFile(dir.resolve("Makefile"))) {
						found.put(name, dir);
					}
				}
			}
		}
		return found.isEmpty() ? null : found.lastEntry().getValue();
	}

	record Result(int exit, String output) {
	}

	static Result exec(Path dir, int seconds, String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		byte[][] output = new byte[1][];
		Thread reader = new Thread(() -> {
			try {
				output[0] = p.getInputStream().readAllBytes();
			} catch (IOException e) {
				output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
			}
		});
		reader.start();
		if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new AssertionError(String.join(" ", command) + " took more than " + seconds + " s");
		}
		reader.join();
		return new Result(p.exitValue(), new String(output[0], StandardCharsets.UTF_8));
	}

	static boolean onPath(String tool) {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
			if (Files.isExecutable(Path.of(dir, tool))) {
				return true;
			}
		}
		return false;
	}

	/** C (and Promela, which goes through cpp) with its comments and the contents of its literals taken out. */
	static final class CText {
		private CText() {
		}

		static String code(String text) {
			String s = text.replaceAll("\\\\[ \\t]*\\r?\\n", ""); // line splices, as the compiler joins them first
			StringBuilder out = new StringBuilder();
			int i = 0;
			while (i < s.length()) {
				char c = s.charAt(i);
				if (s.startsWith("/*", i)) {
					int end = s.indexOf("*/", i + 2);
					assertTrue(end >= 0, "an unterminated comment at " + i);
					out.append(' ');
					i = end + 2;
				} else if (s.startsWith("//", i)) {
					int end = s.indexOf('\n', i);
					i = end < 0 ? s.length() : end;
				} else if (c == '"' || c == '\'') {
					int j = i + 1;
					while (j < s.length() && s.charAt(j) != c) {
						assertTrue(s.charAt(j) != '\n', "a literal runs past its line at " + i);
						j += s.charAt(j) == '\\' ? 2 : 1;
					}
					out.append(c).append(c);
					i = j + 1;
				} else {
					out.append(c);
					i++;
				}
			}
			return out.toString();
		}
	}
}
