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
	static final long MAX_MILLIS_PER_INPUT = 5_000;

	@Inject
	private Provider<XtextResourceSet> resourceSets;

	@Inject
	private SpecChecker checker;

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
		try {
			XtextResourceSet set = resourceSets.get();
			for (int i = 0; i < MUTANTS; i++) {
				String seed = seeds.get(random.nextInt(seeds.size()));
				String mutant = mutator.mutate(seed);
				long start = System.nanoTime();
				XtextResource resource = (XtextResource) set.createResource(URI.createURI("fuzz/m" + i + ".pgmap"));
				List<Diagnostic> diagnostics;
				try {
					resource.load(new ByteArrayInputStream(mutant.getBytes(StandardCharsets.UTF_8)), null);
					diagnostics = checker.validate(resource, "m" + i + ".pgmap", CancelIndicator.NullImpl);
					if (diagnostics.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR)
							&& !resource.getContents().isEmpty()) {
						modelChecked += modelCheck((Model) resource.getContents().get(0));
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
		} finally {
			Logger.getRootLogger().removeAppender(appender);
		}
		assertEquals(0, internalErrors.get(), "internal errors were logged: " + logged);
		assertTrue(withDiagnostics > MUTANTS / 2, "most mutants are broken and say so: " + withDiagnostics);
		System.out.println("fuzz: " + MUTANTS + " mutants, " + withDiagnostics + " with diagnostics, " + modelChecked
				+ " scenarios model-checked, slowest " + slowest + " ms");
		assertTrue(modelChecked > 100, "mutants without errors are model-checked: " + modelChecked);
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
			Checker.check(m, new Limits(20_000, 2, 64L << 20), () -> false);
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
			switch (random.nextInt(10)) {
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
			default -> {
				int depth = 20 + random.nextInt(200);
				tokens.add(i, "repeat 2 { ".repeat(depth) + "get_page(p) " + "} ".repeat(depth));
			}
			}
			return String.join("", tokens);
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
