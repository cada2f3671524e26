package org.pgmap.dsl.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.check.Diagnostic.Severity;
import org.pgmap.dsl.validation.IssueCodes;

import com.google.inject.Inject;
import com.google.inject.Provider;

/**
 * Parses and statically validates spec files the way the CLI and the tests see them: every file
 * given, with the other .pgmap files of its folder loaded beside it (a spec may use a core
 * defined in a sibling file), and the kernel-era library behind them.
 */
public class SpecChecker {

	/** What one file came to: its diagnostics, and the parsed resource for later stages. */
	public record FileResult(Path file, String displayName, List<Diagnostic> diagnostics, Resource resource) {
		public boolean hasErrors() {
			return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
		}
	}

	@Inject
	private Provider<XtextResourceSet> resourceSetProvider;

	@Inject
	private IResourceValidator validator;

	/** Expands folders (recursively) into their .pgmap files, in a stable order. */
	public static List<Path> expand(List<Path> paths) throws IOException {
		Set<Path> files = new LinkedHashSet<>();
		for (Path p : paths) {
			if (Files.isDirectory(p)) {
				try (Stream<Path> walk = Files.walk(p)) {
					walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".pgmap")).sorted()
							.forEach(files::add);
				}
			} else {
				files.add(p);
			}
		}
		return new ArrayList<>(files);
	}

	public List<FileResult> check(List<Path> files) {
		return check(files, p -> p.toString(), CancelIndicator.NullImpl);
	}

	public List<FileResult> check(List<Path> files, java.util.function.Function<Path, String> display,
			CancelIndicator cancel) {
		XtextResourceSet set = resourceSetProvider.get();
		set.addLoadOption(XtextResource.OPTION_ENCODING, "UTF-8");
		Set<Path> requested = new LinkedHashSet<>();
		for (Path f : files) {
			requested.add(f.toAbsolutePath().normalize());
		}
		Set<Path> siblings = new LinkedHashSet<>();
		for (Path f : requested) {
			Path dir = f.getParent();
			if (dir == null) {
				continue;
			}
			try (Stream<Path> list = Files.list(dir)) {
				list.filter(s -> s.getFileName().toString().endsWith(".pgmap") && Files.isRegularFile(s))
						.map(s -> s.toAbsolutePath().normalize()).sorted().forEach(siblings::add);
			} catch (IOException e) {
				// the file's own read reports it
			}
		}
		siblings.removeAll(requested);
		List<FileResult> results = new ArrayList<>();
		List<Resource> loaded = new ArrayList<>();
		List<String> loadErrors = new ArrayList<>();
		for (Path f : requested) {
			String error = load(set, f);
			loadErrors.add(error);
			loaded.add(set.getResource(uri(f), false));
		}
		for (Path f : siblings) {
			load(set, f);
		}
		int i = 0;
		for (Path f : requested) {
			String name = display.apply(f);
			Resource resource = loaded.get(i);
			String loadError = loadErrors.get(i++);
			List<Diagnostic> diagnostics = new ArrayList<>();
			if (loadError != null) {
				diagnostics.add(new Diagnostic(name, 1, 1, 1, 1, Severity.ERROR, "unreadable", loadError));
			} else {
				diagnostics.addAll(validate(resource, name, cancel));
			}
			Collections.sort(diagnostics);
			results.add(new FileResult(f, name, diagnostics, resource));
		}
		return results;
	}

	/** Validates one parsed resource; never throws: an internal failure becomes a diagnostic. */
	public List<Diagnostic> validate(Resource resource, String name, CancelIndicator cancel) {
		List<Diagnostic> diagnostics = new ArrayList<>();
		try {
			for (Issue issue : validator.validate(resource, CheckMode.ALL, cancel)) {
				diagnostics.add(toDiagnostic(issue, name));
			}
		} catch (RuntimeException | StackOverflowError e) {
			diagnostics.add(new Diagnostic(name, 1, 1, 1, 1, Severity.ERROR, "internal-error",
					"pgmap could not validate this file (" + e.getClass().getSimpleName()
							+ "); please report it with the file attached"));
		}
		return diagnostics;
	}

	public static Diagnostic toDiagnostic(Issue issue, String name) {
		int line = issue.getLineNumber() == null ? 1 : issue.getLineNumber();
		int column = issue.getColumn() == null ? 1 : issue.getColumn();
		int endLine = issue.getLineNumberEnd() == null ? line : issue.getLineNumberEnd();
		int endColumn = issue.getColumnEnd() == null ? column : issue.getColumnEnd();
		Severity severity = switch (issue.getSeverity()) {
		case ERROR -> Severity.ERROR;
		case WARNING -> Severity.WARNING;
		default -> Severity.INFO;
		};
		return new Diagnostic(name, line, column, endLine, endColumn, severity, idOf(issue.getCode()),
				oneLine(issue.getMessage()));
	}

	/** The [id] shown for an Xtext issue code. */
	public static String idOf(String code) {
		if (code == null) {
			return "pgmap";
		}
		if (code.equals(org.eclipse.xtext.diagnostics.Diagnostic.SYNTAX_DIAGNOSTIC)) {
			return IssueCodes.SYNTAX;
		}
		if (code.equals(org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC)) {
			return IssueCodes.UNDEFINED_NAME;
		}
		int dot = code.lastIndexOf('.');
		return dot >= 0 && code.startsWith("org.eclipse") ? code.substring(dot + 1).toLowerCase() : code;
	}

	private static String oneLine(String message) {
		String m = message == null ? "" : message.replaceAll("\\s+", " ").trim();
		return m.length() > 400 ? m.substring(0, 400) + "..." : m;
	}

	private static URI uri(Path f) {
		return URI.createFileURI(f.toString());
	}

	/** Loads a file into the set; returns an error message or null. */
	private static String load(XtextResourceSet set, Path f) {
		Resource resource = set.createResource(uri(f));
		if (!Files.isReadable(f) || Files.isDirectory(f)) {
			return "cannot read " + f.getFileName() + ": " + (Files.exists(f) ? "permission denied" : "no such file");
		}
		try (InputStream in = Files.newInputStream(f)) {
			resource.load(in, set.getLoadOptions());
			return null;
		} catch (IOException | RuntimeException e) {
			return "cannot read " + f.getFileName() + ": " + e.getMessage();
		}
	}
}
