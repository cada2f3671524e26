package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.log4j.AppenderSkeleton;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
import org.apache.log4j.spi.LoggingEvent;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.eclipse.xtext.util.CancelIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.SpecChecker;

import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.model.ExecModel;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * Mutated examples (deleted, duplicated and swapped tokens, truncation, random bytes, huge
 * numbers, deep nesting, very long lines) go through the parser and the validator: nothing
 * throws or logs an internal error, each input ends in diagnostics with a line and a column or
 * in a clean result, each within a bound.
 */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class FuzzTest {

	static final int MUTANTS = 10_000;
	/**
	 * A hang guard, not a speed figure (the slowest is printed): each scenario's check and its
	 * generate run within 2 s limits, so a spec of a few scenarios legitimately takes several
	 * seconds on a loaded 2-core machine; a phase without a limit would take minutes. 120 s: a
	 * clean-clone CI run on 2026-12-02 saw one trivial mutant (a changed title) take 33.5 s once,
	 * cause not found yet (the run before had its slowest at 2.6 s); a stall in the parallel
	 * explorer is the suspect, see the closing note of that stop.
	 */
	static final long MAX_MILLIS_PER_INPUT = 120_000;

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private SpecChecker checker;

	@Inject
	private com.google.inject.Injector injector;

	/** File names a user (or an attacker) may give a spec: make, shell and C syntax, line breaks. */
	static final String[] HOSTILE_FILE_NAMES = { "spec\n$(shell touch pwned)", "a;b`id`", "quote\"s'and\\back", "-rf",
			"\u2028sep", "#include <x>", "dir%2F..%2F..", " spaced out " };

	@Test
	public void tenThousandMutantsEndInDiagnostics() throws Exception {
		List<String> seeds = new ArrayList<>();
		for (Path p : Specs.exampleFiles()) {
			seeds.add(Specs.read(p));
		}
		for (Path p : Specs.pgmapFiles(Specs.library())) {
			seeds.add(Specs.read(p));
		}
		AtomicInteger internalErrors = new AtomicInteger();
		List<String> logged = new ArrayList<>();
		AppenderSkeleton appender = new AppenderSkeleton() {
			@Override
			protected void append(LoggingEvent event) {
				if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
					internalErrors.incrementAndGet();
					if (logged.size() < 5) {
						logged.add(event.getRenderedMessage() + " " + (event.getThrowableInformation() == null ? ""
								: event.getThrowableInformation().getThrowable()));
					}
				}
			}

			@Override
			public void close() {
			}

			@Override
			public boolean requiresLayout() {
				return false;
			}
		};
		Logger.getRootLogger().addAppender(appender);
		Random random = new Random(20260926L);
		Mutator mutator = new Mutator(random);
		int withDiagnostics = 0;
		long slowest = 0;
		modelChecked = 0;
		int generated = 0;
		Path root = java.nio.file.Files.createTempDirectory("pgmap-fuzz");
		Path in = java.nio.file.Files.createDirectories(root.resolve("in"));
		Path out = java.nio.file.Files.createDirectories(root.resolve("out"));
		// a watchdog: a mutant that takes more than 20 s gets every thread's stack printed once (the
		// stall of 2026-12-02 did not come back in three runs alone; if it does, this says where)
		java.util.concurrent.atomic.AtomicLong began = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
		java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.ScheduledExecutorService watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "fuzz-watchdog");
			t.setDaemon(true);
			return t;
		});
		int[] dumped = { -1 };
		watchdog.scheduleAtFixedRate(() -> {
			int at = current.get();
			if (dumped[0] != at && System.nanoTime() - began.get() > 20_000_000_000L) {
				dumped[0] = at;
				Runtime rt = Runtime.getRuntime();
				StringBuilder b = new StringBuilder("fuzz: mutant " + at + " has run for more than 20 s (heap: "
						+ ((rt.totalMemory() - rt.freeMemory()) >> 20) + " MiB used of " + (rt.maxMemory() >> 20) + " MiB); the threads:\n");
				Thread.getAllStackTraces().forEach((t, stack) -> {
					b.append("  ").append(t.getName()).append(' ').append(t.getState()).append('\n');
					for (StackTraceElement e : stack) {
						b.append("      at ").append(e).append('\n');
					}
				});
				System.out.println(b);
			}
		}, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
		try {
			XtextResourceSet set = resourceSets.get();
			for (int i = 0; i < MUTANTS; i++) {
				String seed = seeds.get(random.nextInt(seeds.size()));
				String mutant = mutator.mutate(seed);
				long start = System.nanoTime();
				began.set(start);
				current.set(i);
				XtextResource resource = (XtextResource) set.createResource(URI.createURI("fuzz/m" + i + ".pgmap"));
				List<Diagnostic> diagnostics;
				try {
					resource.load(new ByteArrayInputStream(mutant.getBytes(StandardCharsets.UTF_8)), null);
					diagnostics = checker.validate(resource, "m" + i + ".pgmap", CancelIndicator.NullImpl);
					if (diagnostics.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR)
							&& !resource.getContents().isEmpty()) {
						int checked = modelCheck((Model) resource.getContents().get(0));
						modelChecked += checked;
						if (checked > 0) {
							generate(mutant, in.resolve(HOSTILE_FILE_NAMES[i % HOSTILE_FILE_NAMES.length] + i + ".pgmap"), out, i);
							generated++;
						}
					}
				} catch (RuntimeException | StackOverflowError e) {
					throw new AssertionError("mutant " + i + " threw " + e + "\n---\n" + mutant, e);
				} finally {
					resource.unload();
					set.getResources().remove(resource);
				}
				long millis = (System.nanoTime() - start) / 1_000_000;
				slowest = Math.max(slowest, millis);
				assertTrue(millis < MAX_MILLIS_PER_INPUT, "mutant " + i + " took " + millis + " ms:\n" + mutant);
				for (Diagnostic d : diagnostics) {
					assertTrue(d.line() >= 1 && d.column() >= 1, "mutant " + i + ": " + d.format());
					assertTrue(!d.id().equals("internal-error"), "mutant " + i + ": " + d.format() + "\n---\n" + mutant);
				}
				if (!diagnostics.isEmpty()) {
					withDiagnostics++;
				}
			}
			// everything generate wrote is below out/: nothing beside it, nothing through a name
			try (var walk = java.nio.file.Files.walk(root)) {
				walk.filter(f -> !f.equals(root) && !f.startsWith(in) && !f.startsWith(out))
						.forEach(f -> { throw new AssertionError("written outside the output folder: " + f); });
			}
			assertTrue(!java.nio.file.Files.exists(Path.of("pwned")) && !java.nio.file.Files.exists(Path.of("/tmp/pgmap-fuzz-pwned")),
					"a spec's text ran as a command");
		} finally {
			watchdog.shutdownNow();
			Logger.getRootLogger().removeAppender(appender);
			deleteTree(root);
		}
		assertEquals(0, internalErrors.get(), "internal errors were logged: " + logged);
		assertTrue(withDiagnostics > MUTANTS / 2, "most mutants are broken and say so: " + withDiagnostics);
		System.out.println("fuzz: " + MUTANTS + " mutants, " + withDiagnostics + " with diagnostics, " + modelChecked
				+ " scenarios model-checked, " + generated + " generated, slowest " + slowest + " ms");
		assertTrue(modelChecked > 100, "mutants without errors are model-checked: " + modelChecked);
		assertTrue(generated > 100, "mutants without errors are generated: " + generated);
	}

	/**
	 * `pgmap generate --force` on a mutant saved under a hostile file name: it ends in a verdict
	 * (0, 1 or 3), never in an internal error or a write through a name.
	 */
	private void generate(String mutant, Path file, Path out, int i) throws java.io.IOException {
		java.nio.file.Files.writeString(file, mutant);
		java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
		java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
		int exit = new org.pgmap.cli.PgmapCli(new java.io.PrintStream(stdout, true, StandardCharsets.UTF_8),
				new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8), injector)
				.run(new String[] { "generate", "--force", "--max-states", "20000", "--max-seconds", "2", "--out", out.toString(), file.toString() });
		String said = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
		assertTrue(exit == 0 || exit == 1 || exit == 3, "mutant " + i + ": generate exited " + exit + ":\n" + said + "\n---\n" + mutant);
		assertTrue(!said.contains("internal error") && !said.contains("\tat "), "mutant " + i + ":\n" + said);
		java.nio.file.Files.delete(file);
	}

	private static void deleteTree(Path root) throws java.io.IOException {
		try (var walk = java.nio.file.Files.walk(root)) {
			for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
				java.nio.file.Files.deleteIfExists(p);
			}
		}
	}

	private int modelChecked;

	/** Compiles and model-checks a mutant with small limits; a compile error is a clean refusal. */
	private static int modelCheck(Model model) {
		if (model.getHeader() == null) {
			return 0;
		}
		List<ExecModel> models;
		try {
			models = ModelCompiler.compile(model);
		} catch (ModelCompiler.CompileError e) {
			return 0;
		}
		for (ExecModel m : models) {
			try {
				Checker.check(m, new Limits(20_000, 2, 64L << 20), () -> false);
			} catch (org.pgmap.engine.ModelError e) {
				// a start block that waits or breaks a rule: the CLI reports it on its line (scenario-start)
				assertTrue(e.loc() != null && e.loc().line() >= 1, e.getMessage());
			}
		}
		return models.size();
	}

	/** Token-level and byte-level mutations of a spec. */
	static final class Mutator {
		private final Random random;

		Mutator(Random random) {
			this.random = random;
		}

		String mutate(String seed) {
			int rounds = 1 + random.nextInt(3);
			String s = seed;
			for (int r = 0; r < rounds; r++) {
				s = once(s);
			}
			return s;
		}

		private String once(String s) {
			List<String> tokens = tokens(s);
			if (tokens.isEmpty()) {
				return s + "}";
			}
			int i = random.nextInt(tokens.size());
			switch (random.nextInt(13)) {
			case 0 -> tokens.remove(i);
			case 1 -> tokens.add(i, tokens.get(i));
			case 2 -> {
				int j = random.nextInt(tokens.size());
				String t = tokens.get(i);
				tokens.set(i, tokens.get(j));
				tokens.set(j, t);
			}
			case 3 -> {
				return s.substring(0, random.nextInt(s.length() + 1));
			}
			case 4 -> {
				StringBuilder b = new StringBuilder();
				for (int k = 0; k < 1 + random.nextInt(20); k++) {
					b.append((char) random.nextInt(0x2FF));
				}
				tokens.add(i, b.toString());
			}
			case 5 -> tokens.add(i, random.nextBoolean() ? "99999999999999999999999" : String.valueOf(Integer.MAX_VALUE));
			case 6 -> {
				int depth = 50 + random.nextInt(400);
				tokens.add(i, "if page_ref_count(page) == 1 {".repeat(depth) + "}".repeat(random.nextInt(depth + 1)));
			}
			case 7 -> tokens.add(i, "x".repeat(10_000 + random.nextInt(50_000)));
			case 8 -> tokens.set(i, tokens.get(random.nextInt(tokens.size())));
			case 9 -> {
				int depth = 20 + random.nextInt(200);
				tokens.add(i, "repeat 2 { ".repeat(depth) + "get_page(p) " + "} ".repeat(depth));
			}
			case 10 -> { // a size or count past what the model holds, or 0
				int n = firstMatching(tokens, i, t -> t.chars().allMatch(Character::isDigit));
				if (n >= 0) {
					tokens.set(n, SIZES[random.nextInt(SIZES.length)]);
				} else {
					tokens.add(i, "[" + SIZES[random.nextInt(SIZES.length)] + "]");
				}
			}
			case 11 -> { // a title that is code in another language
				return s.replaceFirst("\"[^\"\\n]*\"", java.util.regex.Matcher.quoteReplacement(
						"\"" + HOSTILE_TITLES[random.nextInt(HOSTILE_TITLES.length)] + "\""));
			}
			default -> { // a name that is a C keyword, a kernel macro, or make syntax
				int n = firstMatching(tokens, i, t -> Character.isLetter(t.charAt(0)) && !KEYWORDS.contains(t));
				if (n >= 0) {
					String name = HOSTILE_NAMES[random.nextInt(HOSTILE_NAMES.length)];
					String old = tokens.get(n);
					for (int k = 0; k < tokens.size(); k++) {
						if (tokens.get(k).equals(old)) {
							tokens.set(k, name); // every use, so that the spec may still be valid
						}
					}
				}
			}
			}
			return String.join("", tokens);
		}

		static final String[] SIZES = { "0", "1", "30", "31", "64", "65", "1000000000", "2147483647" };

		/** As pgmap strings: escapes are pgmap's (\\ \" \n \t and \\uXXXX). */
		static final String[] HOSTILE_TITLES = { "*/ #include \\\"evil.h\\\" /*", "$(shell touch /tmp/pgmap-fuzz-pwned)",
				"line\\n#define page_free evil", "\\u2028 after a line separator", "`id`; rm -rf / # \\\\", "??/ trigraph \\\\",
				"\\u202e reversed", "%s%n%x", "</script><svg onload=alert(1)>" };

		static final String[] HOSTILE_NAMES = { "struct", "current", "int", "NULL", "$x", "a$b", "_", "__init", "likely", "main",
				"kfree", "printk" };

		static final java.util.Set<String> KEYWORDS = java.util.Set.of("spec", "uses", "core", "pagemap", "type", "pages", "ops",
				"driver", "scenario", "thread", "alloc", "op", "proc", "return", "none", "if", "else", "page", "null", "private");

		private int firstMatching(List<String> tokens, int from, java.util.function.Predicate<String> p) {
			for (int k = 0; k < tokens.size(); k++) {
				int at = (from + k) % tokens.size();
				if (!tokens.get(at).isEmpty() && p.test(tokens.get(at))) {
					return at;
				}
			}
			return -1;
		}

		/** Splits into identifier/number runs, whitespace runs and single other characters. */
		static List<String> tokens(String s) {
			List<String> out = new ArrayList<>();
			int i = 0;
			while (i < s.length()) {
				int j = i + 1;
				char c = s.charAt(i);
				if (Character.isLetterOrDigit(c) || c == '_') {
					while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
						j++;
					}
				} else if (Character.isWhitespace(c)) {
					while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
						j++;
					}
				}
				out.add(s.substring(i, j));
				i = j;
			}
			return out;
		}
	}
}
