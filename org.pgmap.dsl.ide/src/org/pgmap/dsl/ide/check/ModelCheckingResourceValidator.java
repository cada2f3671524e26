package org.pgmap.dsl.ide.check;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.CheckType;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.validation.ResourceValidatorImpl;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.PgmapPackage;
import org.pgmap.engine.Checker;
import org.pgmap.engine.ModelError;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Loc;

/**
 * The validation editors see (the language server, the Eclipse builder): the static checks, and
 * when they find no error, the model check of every scenario within limits that keep an edit
 * responsive. A violation is an error with the rule id as its code, on the statement where the
 * rule breaks, or on the spec's {@code uses core} line when that statement is in the core.
 */
public class ModelCheckingResourceValidator extends ResourceValidatorImpl {

	/** An editor's model check stops here and says so; the CLI has no such limit by default. */
	public static final Limits EDITOR_LIMITS = new Limits(1_000_000, 5, 512L << 20);

	@Override
	public List<Issue> validate(Resource resource, CheckMode mode, CancelIndicator cancel) {
		List<Issue> issues = new ArrayList<>(super.validate(resource, mode, cancel));
		if (issues.stream().anyMatch(i -> i.getSeverity() == Severity.ERROR) || resource.getContents().isEmpty()
				|| !(resource.getContents().get(0) instanceof Model model) || model.getHeader() == null) {
			return issues;
		}
		try {
			for (ExecModel m : ModelCompiler.compile(model)) {
				Checker.Report report = Checker.check(m, EDITOR_LIMITS, cancel::isCanceled);
				if (cancel.isCanceled()) {
					return issues;
				}
				for (Checker.Violation v : report.violations()) {
					Issue.IssueImpl issue = (Issue.IssueImpl) issue((XtextResource) resource, model, v, m.scenario());
					issue.setData(traceData(m, v));
					issues.add(issue);
				}
				if (report.verdict() == Verdict.INCOMPLETE) {
					issues.add(onUsesLine(model, Severity.INFO, "incomplete",
							"scenario " + m.scenario() + " not fully model-checked while editing: " + report.incompleteReason()
									+ "; run pgmap check for the full search"));
				}
			}
		} catch (ModelCompiler.CompileError e) {
			issues.add(onUsesLine(model, Severity.ERROR, "model", e.getMessage()));
		} catch (ModelError e) {
			issues.add(at((XtextResource) resource, model, e.loc(), "scenario-start", e.getMessage()));
		}
		return issues;
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

	private static Issue issue(XtextResource resource, Model model, Checker.Violation v, String scenario) {
		return at(resource, model, v.loc(), v.rule(), v.message() + " (scenario " + scenario + ", " + v.trace().size() + " steps)");
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

	private static Issue onUsesLine(Model model, Severity severity, String code, String message) {
		Issue.IssueImpl issue = base(severity, code, message);
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
