package org.pgmap.dsl.check;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Which files a check reads: the .pgmap files under the paths given, and the siblings a spec's
 * names may resolve to. No Xtext or EMF here, so that the CLI can list them (and key its
 * front-end cache on them) without loading the parser.
 */
public final class SpecFiles {
	private SpecFiles() {
	}

	/**
	 * Expands folders (recursively) into their .pgmap files, in a stable order. A folder or file
	 * that cannot be read is told to {@code problems} ("PATH: cannot be read (...)") and skipped;
	 * everything readable is still returned.
	 */
	public static List<Path> expand(List<Path> paths, Consumer<String> problems) {
		Set<Path> files = new LinkedHashSet<>();
		for (Path p : paths) {
			if (!Files.isDirectory(p)) {
				files.add(p);
				continue;
			}
			List<Path> found = new ArrayList<>();
			try {
				Files.walkFileTree(p, new SimpleFileVisitor<>() {
					@Override
					public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
						if (attrs.isRegularFile() && f.getFileName().toString().endsWith(".pgmap")) {
							found.add(f);
						}
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFileFailed(Path f, IOException e) {
						problems.accept(f + ": cannot be read (" + reason(e) + ")");
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult postVisitDirectory(Path dir, IOException e) {
						if (e != null) {
							problems.accept(dir + ": cannot be listed completely (" + reason(e) + ")");
						}
						return FileVisitResult.CONTINUE;
					}
				});
			} catch (IOException e) {
				problems.accept(p + ": cannot be read (" + reason(e) + ")");
			}
			found.stream().sorted().forEach(files::add);
		}
		return new ArrayList<>(files);
	}

	private static String reason(IOException e) {
		if (e instanceof java.nio.file.AccessDeniedException) {
			return "permission denied";
		}
		if (e instanceof java.nio.file.NoSuchFileException) {
			return "no such file or folder";
		}
		return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
	}

	/** The other .pgmap files of a spec's folder, the ones its names may resolve to (sorted, absolute). */
	public static List<Path> siblingsOf(Path file) throws IOException {
		Path f = file.toAbsolutePath().normalize();
		if (f.getParent() == null) {
			return List.of();
		}
		try (Stream<Path> list = Files.list(f.getParent())) {
			return list.filter(s -> s.getFileName().toString().endsWith(".pgmap") && Files.isRegularFile(s))
					.map(s -> s.toAbsolutePath().normalize()).filter(s -> !s.equals(f)).sorted().toList();
		}
	}

}
