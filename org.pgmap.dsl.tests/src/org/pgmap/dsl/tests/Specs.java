package org.pgmap.dsl.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the tests find the shipped examples and library (the tests run in org.pgmap.dsl.tests). */
public final class Specs {
	private Specs() {
	}

	public static Path root() {
		Path p = Path.of("").toAbsolutePath();
		while (p != null && !Files.isDirectory(p.resolve("examples"))) {
			p = p.getParent();
		}
		if (p == null) {
			throw new IllegalStateException("cannot find the examples/ folder above " + Path.of("").toAbsolutePath());
		}
		return p;
	}

	public static Path examples() {
		return root().resolve("examples");
	}

	public static Path library() {
		return root().resolve("org.pgmap.dsl/library");
	}

	public static List<Path> exampleFiles() {
		return pgmapFiles(examples());
	}

	public static List<Path> pgmapFiles(Path dir) {
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.filter(f -> f.toString().endsWith(".pgmap")).sorted().toList();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static String read(Path p) {
		try {
			return Files.readString(p);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
