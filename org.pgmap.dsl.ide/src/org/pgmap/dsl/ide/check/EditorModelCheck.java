package org.pgmap.dsl.ide.check;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.validation.CheckType;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.PgmapPackage;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;
import org.pgmap.engine.ModelError;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Loc;

/**
 * The model check editors run on a spec without static errors (the Eclipse builder through
 * {@link ModelCheckingResourceValidator}, the language server in the background): compiling the
 * spec and checking every scenario share one time budget, {@link #EDITOR_LIMITS}. A violation is an
 * error with the rule id as its code, on the statement where the rule breaks, or on the spec's
 * {@code uses core} line when that statement is in the core; a check cut short is an info.
 */
public final class EditorModelCheck {

	/** An editor's model check of one file stops here and says so; the CLI has no such limit by default. */
	public static final Limits EDITOR_LIMITS = Limits.EDITOR;

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
		long deadline = startNanos + (long) (limits.maxSeconds() * 1e9);
		BooleanSupplier stop = () -> cancelled.getAsBoolean() || System.nanoTime() - deadline >= 0;
		List<Issue> issues = new ArrayList<>();
		try {
			for (ExecModel m : ModelCompiler.compile(model)) {
				if (cancelled.getAsBoolean()) {
					return List.of();
				}
				if (System.nanoTime() - deadline >= 0) {
					issues.add(incomplete(model, m.scenario(), "not model-checked while editing: " + budgetSpent(limits)));
					continue;
				}
				Checker.Report report = Checker.check(m, limits, EDITOR_OPTIONS, stop);
				if (cancelled.getAsBoolean()) {
					return List.of();
				}
				for (Checker.Violation v : report.violations()) {
					Issue.IssueImpl issue = (Issue.IssueImpl) violation(resource, model, v, m.scenario());
					issue.setData(traceData(m, v));
					issues.add(issue);
				}
				if (report.incompleteReason() != null) {
					// "cancelled" without a cancel from the caller: the deadline stopped the search
					String reason = report.incompleteReason().equals("cancelled") ? budgetSpent(limits) : report.incompleteReason();
					issues.add(incomplete(model, m.scenario(), "not fully model-checked while editing: " + reason));
				}
			}
		} catch (ModelCompiler.CompileError e) {
			issues.add(onUsesLine(model, Severity.ERROR, IssueCodes.MODEL, e.getMessage()));
		} catch (ModelError e) {
			issues.add(at(resource, model, e.loc(), IssueCodes.SCENARIO_START, e.getMessage()));
		}
		return issues;
	}

	/** The info when compiling and checking the file took longer than an editor waits. */
	public static Issue timedOut(Model model, Limits limits) {
		return onUsesLine(model, Severity.INFO, IssueCodes.INCOMPLETE,
				"not model-checked while editing: " + budgetSpent(limits) + "; run pgmap check for the full search");
	}

	/**
	 * The trace as issue data, for markers and the trace view: one step per item,
	 * "step|thread|file|line|statement|changes"; item 0 is the SVG diagram.
	 */
	public static String[] traceData(ExecModel m, Checker.Violation v) {
		String[] data = new String[v.trace().size() + 1];
		data[0] = org.pgmap.engine.TraceSvg.render(m, v).replace('\n', ' ');
		int i = 1;
		for (Checker.TraceStep s : v.trace()) {
			data[i++] = s.number() + "|" + s.thread() + "|" + s.loc().file() + "|" + s.loc().line() + "|"
					+ s.loc().text().replaceAll("\\s+", " ").replace('|', '/') + "|" + s.changes().replace('|', '/');
		}
		return data;
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

	private static Issue violation(XtextResource resource, Model model, Checker.Violation v, String scenario) {
		return at(resource, model, v.loc(), v.rule().name(), v.message() + " (scenario " + scenario + ", " + v.trace().size() + " steps)");
	}

	/** An error on the statement at loc, or on the uses line when the statement is in another file (the library core). */
	private static Issue at(XtextResource resource, Model model, Loc loc, String code, String message) {
		String here = resource.getURI().isFile() ? resource.getURI().toFileString() : "library/" + resource.getURI().lastSegment();
		if (!loc.file().equals(here) || loc.line() <= 0) {
			return onUsesLine(model, Severity.ERROR, code, message + " at " + loc.file().replaceAll(".*/", "") + ":" + loc.line());
		}
		String text = resource.getParseResult().getRootNode().getText();
		int offset = offsetOf(text, loc.line(), loc.column());
		Issue.IssueImpl issue = base(Severity.ERROR, code, message);
		issue.setLineNumber(loc.line());
		issue.setColumn(loc.column());
		issue.setOffset(offset);
		issue.setLength(Math.max(1, loc.text().length()));
		issue.setLineNumberEnd(loc.line());
		issue.setColumnEnd(loc.column() + Math.max(1, loc.text().length()));
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
