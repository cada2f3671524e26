package org.pgmap.dsl.ide.check;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.validation.CheckType;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.CheckService.SpecResult;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.Findings;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.PgmapPackage;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;

/**
 * The model check editors run on a spec without static errors (the Eclipse builder through
 * {@link ModelCheckingResourceValidator}, the language server in the background): compiling the
 * spec and checking every scenario share one time budget, {@link Limits#EDITOR}. A violation is an
 * error with the rule id as its code, on the statement where the rule breaks, or on the spec's
 * {@code uses core} line when that statement is in the core; a check cut short is an info.
 */
public final class EditorModelCheck {


	/** One worker: a check in the background leaves a core to the editor and to the other documents. */
	public static final Options EDITOR_OPTIONS = Options.DEFAULT.withWorkers(1);

	private EditorModelCheck() {
	}

	/**
	 * Compiles and checks the spec of {@code resource} within {@code limits}, whose seconds count
	 * from {@code startNanos} ({@link System#nanoTime()}) and cover compilation and every scenario.
	 * Returns no issues once {@code cancelled} says so: the caller does not want them any more.
	 */
	public static List<Issue> run(XtextResource resource, Model model, Limits limits, long startNanos,
			BooleanSupplier cancelled) {
		return run(resource, model, limits, startNanos, cancelled, e -> {
		});
	}

	/** As run, telling each internal failure to {@code internalErrors} (the language server logs it). */
	public static List<Issue> run(XtextResource resource, Model model, Limits limits, long startNanos,
			BooleanSupplier cancelled, Consumer<Throwable> internalErrors) {
		SpecResult checked = check(resource, model, limits, startNanos, cancelled, internalErrors);
		return cancelled.getAsBoolean() ? List.of() : issues(resource, model, checked, limits);
	}

	/** The model check itself, through the check service, within the limits counted from {@code startNanos}. */
	public static SpecResult check(XtextResource resource, Model model, Limits limits, long startNanos,
			BooleanSupplier cancelled, Consumer<Throwable> internalErrors) {
		long deadline = startNanos + (long) (limits.maxSeconds() * 1e9);
		BooleanSupplier stop = () -> cancelled.getAsBoolean() || System.nanoTime() - deadline >= 0;
		CheckService service = resource.getResourceServiceProvider().get(CheckService.class);
		service.onInternalError(internalErrors);
		return service.modelCheck(model, fileOf(resource), limits, EDITOR_OPTIONS, () -> stop, UnaryOperator.identity());
	}

	/**
	 * What a model check found, as the editor's issues: each violation an error on its statement
	 * (or on the uses line when the statement is in the core) carrying its trace, each problem on
	 * its line, and an info for each scenario the limits cut short.
	 */
	public static List<Issue> issues(XtextResource resource, Model model, SpecResult checked, Limits limits) {
		String here = fileOf(resource);
		List<Issue> issues = new ArrayList<>();
		for (Diagnostic d : checked.problems()) {
			issues.add(at(resource, model, here, d));
		}
		for (CheckService.ScenarioResult s : checked.scenarios()) {
			if (!s.checked()) {
				issues.add(incomplete(model, s.model().scenario(), "not model-checked while editing: " + budgetSpent(limits)));
				continue;
			}
			for (Checker.Violation v : s.report().violations()) {
				Issue.IssueImpl issue = (Issue.IssueImpl) at(resource, model, here, Findings.violation(s.model(), v, here, f -> f));
				issue.setData(TraceData.encode(org.pgmap.engine.TraceSvg.render(s.model(), v), v.trace()));
				issues.add(issue);
			}
			String reason = s.report().incompleteReason();
			if (reason != null) {
				// "cancelled" without a cancel from the caller: the deadline stopped the search
				issues.add(incomplete(model, s.model().scenario(), "not fully model-checked while editing: "
						+ (reason.equals("cancelled") ? budgetSpent(limits) : reason)));
			}
		}
		return issues;
	}

	/** The info when compiling and checking the file took longer than an editor waits. */
	public static Issue timedOut(Model model, Limits limits) {
		return onUsesLine(model, Severity.INFO, IssueCodes.INCOMPLETE,
				"not model-checked while editing: " + budgetSpent(limits) + "; run pgmap check for the full search");
	}

	/** How the model names this resource's file in its locations: the absolute path, or library/NAME for the library. */
	private static String fileOf(XtextResource resource) {
		return resource.getURI().isFile() ? resource.getURI().toFileString() : "library/" + resource.getURI().lastSegment();
	}

	private static String budgetSpent(Limits limits) {
		return "the editor's limit of " + seconds(limits.maxSeconds()) + " s for compiling and checking this file was reached";
	}

	private static String seconds(double s) {
		return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
	}

	private static Issue incomplete(Model model, String scenario, String what) {
		return onUsesLine(model, Severity.INFO, IssueCodes.INCOMPLETE,
				"scenario " + scenario + " " + what + "; run pgmap check for the full search");
	}

	/** A finding as an issue on its statement, or on the uses line with "at FILE:LINE" when the statement is in another file (the core). */
	private static Issue at(XtextResource resource, Model model, String here, Diagnostic d) {
		Severity severity = d.severity() == Diagnostic.Severity.ERROR ? Severity.ERROR
				: d.severity() == Diagnostic.Severity.WARNING ? Severity.WARNING : Severity.INFO;
		if (!d.file().equals(here)) {
			return onUsesLine(model, severity, d.id(), d.message() + " at " + d.file().replaceAll(".*/", "") + ":" + d.line());
		}
		String text = resource.getParseResult().getRootNode().getText();
		int offset = offsetOf(text, d.line(), d.column());
		int length = Math.max(1, d.endLine() == d.line() ? d.endColumn() - d.column() : 1);
		Issue.IssueImpl issue = base(severity, d.id(), d.message());
		issue.setLineNumber(d.line());
		issue.setColumn(d.column());
		issue.setOffset(offset);
		issue.setLength(length);
		issue.setLineNumberEnd(d.line());
		issue.setColumnEnd(d.column() + length);
		issue.setUriToProblem(resource.getURI());
		return issue;
	}

	/** An issue on the spec's uses line, or at its start when it has none (or is not a spec). */
	public static Issue onUsesLine(Model model, Severity severity, String code, String message) {
		Issue.IssueImpl issue = base(severity, code, message);
		if (model == null || model.getHeader() == null) {
			issue.setOffset(0);
			issue.setLength(0);
			issue.setLineNumber(1);
			issue.setLineNumberEnd(1);
			issue.setColumn(1);
			issue.setColumnEnd(1);
			return issue;
		}
		ICompositeNode node = NodeModelUtils.findActualNodeFor(model.getHeader());
		var nodes = NodeModelUtils.findNodesForFeature(model.getHeader(), PgmapPackage.Literals.SPEC_HEADER__CORE);
		if (!nodes.isEmpty()) {
			var n = nodes.get(0);
			issue.setOffset(n.getOffset());
			issue.setLength(n.getLength());
			issue.setLineNumber(n.getStartLine());
			issue.setLineNumberEnd(n.getEndLine());
			issue.setColumn(1 + n.getOffset() - lineStart(n.getRootNode().getText(), n.getOffset()));
			issue.setColumnEnd(issue.getColumn() + n.getLength());
		} else if (node != null) {
			issue.setOffset(node.getOffset());
			issue.setLength(node.getLength());
			issue.setLineNumber(node.getStartLine());
			issue.setColumn(1);
		}
		if (model.eResource() != null) {
			issue.setUriToProblem(model.eResource().getURI());
		}
		return issue;
	}

	private static Issue.IssueImpl base(Severity severity, String code, String message) {
		Issue.IssueImpl issue = new Issue.IssueImpl();
		issue.setSeverity(severity);
		issue.setCode(code);
		issue.setMessage(message);
		issue.setType(CheckType.EXPENSIVE);
		return issue;
	}

	private static int lineStart(String text, int offset) {
		int i = Math.min(offset, text.length());
		while (i > 0 && text.charAt(i - 1) != '\n') {
			i--;
		}
		return i;
	}

	private static int offsetOf(String text, int line, int column) {
		int offset = 0;
		for (int l = 1; l < line && offset < text.length(); l++) {
			int nl = text.indexOf('\n', offset);
			if (nl < 0) {
				break;
			}
			offset = nl + 1;
		}
		return Math.min(text.length(), offset + Math.max(0, column - 1));
	}
}
