package org.pgmap.dsl.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

	/** Told about every internal failure (the CLI prints its stack trace with --debug). */
	private Consumer<Throwable> internalErrors = e -> {
	};

	public void onInternalError(Consumer<Throwable> listener) {
		internalErrors = listener;
	}

	@Inject
	private IResourceValidator validator;

	/** Expands folders (recursively) into their .pgmap files, in a stable order; fails on the first unreadable folder. */
	public static List<Path> expand(List<Path> paths) throws IOException {
		List<String> problems = new ArrayList<>();
		List<Path> files = expand(paths, problems::add);
		if (!problems.isEmpty()) {
			throw new IOException(problems.get(0));
		}
		return files;
	}

	/** As {@link SpecFiles#expand(List, Consumer)}. */
	public static List<Path> expand(List<Path> paths, Consumer<String> problems) {
		return SpecFiles.expand(paths, problems);
	}

	public List<FileResult> check(List<Path> files) {
		return check(files, p -> p.toString(), CancelIndicator.NullImpl);
	}

	public List<FileResult> check(List<Path> files, java.util.function.Function<Path, String> display,
			CancelIndicator cancel) {
		return check(files, display, () -> cancel, null);
	}

	/**
	 * Checks the files; each file's validation gets its own indicator from {@code limit} (a time
	 * limit per file). When one stops a validation, the file gets an error with id {@link IssueCodes#TIME_LIMIT}
	 * naming {@code limitName}, since its static checks are incomplete.
	 */
	public List<FileResult> check(List<Path> files, java.util.function.Function<Path, String> display,
			Supplier<CancelIndicator> limit, String limitName) {
		XtextResourceSet set = resourceSetProvider.get();
		set.addLoadOption(XtextResource.OPTION_ENCODING, "UTF-8");
		Set<Path> requested = new LinkedHashSet<>();
		for (Path f : files) {
			requested.add(f.toAbsolutePath().normalize());
		}
		Set<Path> siblings = new LinkedHashSet<>();
		for (Path f : requested) {
			try {
				siblings.addAll(siblingsOf(f));
			} catch (IOException e) {
				// the file's own read reports it
			}
		}
		siblings.removeAll(requested);
		List<FileResult> results = new ArrayList<>();
		List<Resource> loaded = new ArrayList<>();
		List<LoadError> loadErrors = new ArrayList<>();
		for (Path f : requested) {
			LoadError error = load(set, f);
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
			LoadError loadError = loadErrors.get(i++);
			List<Diagnostic> diagnostics = new ArrayList<>();
			if (loadError != null) {
				diagnostics.add(new Diagnostic(name, loadError.line(), 1, loadError.line(), 1, Severity.ERROR, loadError.id(),
						loadError.message()));
			} else if (resource.getContents().isEmpty() && resource.getErrors().isEmpty()) {
				diagnostics.add(new Diagnostic(name, 1, 1, 1, 1, Severity.WARNING, IssueCodes.NOTHING_TO_CHECK,
						"this file declares nothing (no spec, no core): nothing was checked"));
			} else {
				CancelIndicator cancel = limit.get();
				diagnostics.addAll(validate(resource, name, cancel));
				if (cancel.isCanceled() && limitName != null) {
					diagnostics.add(new Diagnostic(name, 1, 1, 1, 1, Severity.ERROR, IssueCodes.TIME_LIMIT,
							"the static checks stopped at " + limitName + ": this file was not checked completely"));
				}
			}
			Collections.sort(diagnostics);
			results.add(new FileResult(f, name, diagnostics, resource));
		}
		return results;
	}

	/**
	 * Loads one spec file into {@code set} with the other .pgmap files of its folder beside it, the
	 * way every check sees a spec (the CLI, the Eclipse builder, an editor): a name resolves from
	 * its own folder and the library. Files already in the set are not loaded again. Returns the
	 * file's resource, or throws IOException naming what went wrong (unreadable, nested too deep).
	 */
	public static Resource loadWithSiblings(XtextResourceSet set, Path file) throws IOException {
		Path f = file.toAbsolutePath().normalize();
		for (Path s : siblingsOf(f)) {
			if (set.getResource(uri(s), false) == null) {
				load(set, s);
			}
		}
		Resource existing = set.getResource(uri(f), false);
		if (existing != null) {
			return existing;
		}
		LoadError error = load(set, f);
		if (error != null) {
			throw new IOException(f.getFileName() + ":" + error.line() + ": " + error.message());
		}
		return set.getResource(uri(f), false);
	}

	/** As {@link SpecFiles#siblingsOf(Path)}. */
	public static List<Path> siblingsOf(Path file) throws IOException {
		return SpecFiles.siblingsOf(file);
	}

	/**
	 * Loads one .pgmap file into {@code set} the way every check loads a file (UTF-8, a file
	 * nested too deeply loaded as empty so that nothing parses it again); returns what went
	 * wrong ("FILE:LINE: message"), or null. Editors use it for the siblings of an open document.
	 */
	public static String loadFile(XtextResourceSet set, Path file) {
		Path f = file.toAbsolutePath().normalize();
		LoadError error = load(set, f);
		return error == null ? null : f.getFileName() + ":" + error.line() + ": " + error.message();
	}

	/** Validates one parsed resource; never throws: an internal failure becomes a diagnostic. */
	public List<Diagnostic> validate(Resource resource, String name, CancelIndicator cancel) {
		List<Diagnostic> diagnostics = new ArrayList<>();
		try {
			for (Issue issue : validator.validate(resource, CheckMode.ALL, cancel)) {
				diagnostics.add(toDiagnostic(issue, name));
			}
		} catch (org.eclipse.xtext.service.OperationCanceledError e) {
			// stopped by the cancel indicator (a time limit): the caller reports what was not checked
		} catch (RuntimeException | StackOverflowError e) {
			if (cancel.isCanceled()) {
				return diagnostics; // an OperationCanceledException, or a failure on the way out
			}
			internalErrors.accept(e);
			diagnostics.add(new Diagnostic(name, 1, 1, 1, 1, Severity.ERROR, IssueCodes.INTERNAL_ERROR,
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

	/** Why a file could not be loaded, and where. */
	record LoadError(int line, String id, String message) {
		LoadError(String message) {
			this(1, IssueCodes.UNREADABLE, message);
		}
	}

	/** Loads a file into the set; returns what went wrong, or null. */
	private static LoadError load(XtextResourceSet set, Path f) {
		Resource resource = set.createResource(uri(f));
		if (!Files.isReadable(f) || Files.isDirectory(f)) {
			return new LoadError("cannot read " + f.getFileName() + ": " + (Files.exists(f) ? "permission denied" : "no such file"));
		}
		try {
			byte[] bytes = Files.readAllBytes(f);
			LoadError tooDeep = tooDeep(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), f.getFileName().toString());
			if (tooDeep != null) {
				// loaded as empty, so that nothing loads it from disk on demand (an index, a link)
				resource.load(new java.io.ByteArrayInputStream(new byte[0]), set.getLoadOptions());
				return tooDeep;
			}
			resource.load(new java.io.ByteArrayInputStream(bytes), set.getLoadOptions());
			return null;
		} catch (IOException | RuntimeException e) {
			if (causedByStackOverflow(e)) {
				return new LoadError(1, IssueCodes.TOO_LARGE, "cannot parse " + f.getFileName() + ": its statements nest too deeply (at most "
						+ org.pgmap.dsl.validation.LimitsValidator.MAX_NESTING + " levels are allowed)");
			}
			return new LoadError("cannot read " + f.getFileName() + ": " + e.getMessage());
		} catch (StackOverflowError e) {
			return new LoadError(1, IssueCodes.TOO_LARGE, "cannot parse " + f.getFileName() + ": its statements nest too deeply (at most "
					+ org.pgmap.dsl.validation.LimitsValidator.MAX_NESTING + " levels are allowed)");
		}
	}

	/** Braces may nest this deep in a file: statements, plus the spec's own structure around them. */
	public static final int MAX_BRACES = org.pgmap.dsl.validation.LimitsValidator.MAX_NESTING + 16;

	/** Parentheses may nest this deep (a condition like !(a == b) needs two). */
	public static final int MAX_PARENS = 64;

	/**
	 * Refuses, before parsing, a text whose braces or parentheses nest past MAX_BRACES or MAX_PARENS: parsing and linking such a
	 * file costs time quadratic in its depth (and stack), and it could never pass the nesting limit.
	 * Comments and strings are skipped. Returns the message, or null.
	 */
	static LoadError tooDeep(String text, String name) {
		int depth = 0;
		int parens = 0;
		int line = 1;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\n') {
				line++;
			} else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
				while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
					i++;
				}
			} else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
				for (i += 2; i < text.length() && !(text.charAt(i) == '*' && i + 1 < text.length() && text.charAt(i + 1) == '/'); i++) {
					line += text.charAt(i) == '\n' ? 1 : 0;
				}
				i++;
			} else if (c == '"' || c == '\'') {
				for (i++; i < text.length() && text.charAt(i) != c && text.charAt(i) != '\n'; i++) {
					i += text.charAt(i) == '\\' ? 1 : 0;
				}
			} else if (c == '{' && ++depth > MAX_BRACES) {
				return new LoadError(line, IssueCodes.TOO_LARGE, "not parsed: braces nest more than " + MAX_BRACES
						+ " deep here, and statements nest at most " + org.pgmap.dsl.validation.LimitsValidator.MAX_NESTING
						+ " deep: split the code into procs");
			} else if (c == '}') {
				depth = Math.max(0, depth - 1);
			} else if (c == '(' && ++parens > MAX_PARENS) {
				return new LoadError(line, IssueCodes.TOO_LARGE, "not parsed: parentheses nest more than " + MAX_PARENS
						+ " deep here");
			} else if (c == ')') {
				parens = Math.max(0, parens - 1);
			}
		}
		return null;
	}

	private static boolean causedByStackOverflow(Throwable e) {
		for (Throwable c = e; c != null; c = c.getCause()) {
			if (c instanceof StackOverflowError) {
				return true;
			}
		}
		return false;
	}
}
