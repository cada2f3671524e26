package org.pgmap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.ide.PgmapIdeSetup;

import com.google.inject.Injector;

/**
 * Benchmark harness, not a test: the on-save check of each spec, warm, through the entry point
 * the Eclipse builder and the language server use (a fresh resource set with the spec's sibling
 * files, then the bound IResourceValidator: static checks and the model check of every
 * scenario). Prints one line per spec: median and slowest of the measured runs after warm-up.
 * Usage: SaveBench [--warmup N] [--runs N] PATH...
 */
public final class SaveBench {

	private SaveBench() {
	}

	public static void main(String[] args) throws IOException {
		int warmup = 20;
		int runs = 20;
		List<Path> paths = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
			case "--warmup" -> warmup = Integer.parseInt(args[++i]);
			case "--runs" -> runs = Integer.parseInt(args[++i]);
			default -> paths.add(Path.of(args[i]));
			}
		}
		Injector injector = new PgmapIdeSetup().createInjectorAndDoEMFRegistration();
		IResourceValidator validator = injector.getInstance(IResourceValidator.class);
		System.out.println("spec\tmedian_ms\tmax_ms\tissues\terrors");
		for (Path file : SpecChecker.expand(paths)) {
			double[] ms = new double[runs];
			int issues = 0;
			int errors = 0;
			for (int i = 0; i < warmup + runs; i++) {
				long start = System.nanoTime();
				XtextResourceSet set = injector.getInstance(XtextResourceSet.class);
				try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
					for (Path s : siblings.filter(p -> p.toString().endsWith(".pgmap") && !p.equals(file.toAbsolutePath())).toList()) {
						set.getResource(URI.createFileURI(s.toString()), true);
					}
				}
				Resource r = set.getResource(URI.createFileURI(file.toAbsolutePath().toString()), true);
				List<Issue> found = validator.validate(r, CheckMode.ALL, CancelIndicator.NullImpl);
				double took = (System.nanoTime() - start) / 1e6;
				if (i >= warmup) {
					ms[i - warmup] = took;
				}
				issues = found.size();
				errors = (int) found.stream().filter(x -> x.getSeverity() == Severity.ERROR).count();
			}
			Arrays.sort(ms);
			System.out.printf("%s\t%.1f\t%.1f\t%d\t%d%n", file, ms[runs / 2], ms[runs - 1], issues, errors);
		}
	}
}
