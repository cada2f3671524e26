package org.pgmap.dsl.ide.quickfix;

import java.util.Comparator;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Helper;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.validation.IssueCodes;

/**
 * The quick fixes of the common findings, as text edits any editor can apply (Eclipse markers,
 * tests): move a refcount reset before the publishing call (R2), replace get_page on a
 * zero-refcount page with the era's init helper (R6), add the missing unlock on a path.
 */
public final class QuickFixes {
	private QuickFixes() {
	}

	public record Edit(int offset, int length, String text) {
	}

	public record Fix(String label, List<Edit> edits) {
		/** The text with the edits applied. */
		public String apply(String text) {
			StringBuilder sb = new StringBuilder(text);
			edits.stream().sorted(Comparator.comparingInt(Edit::offset).reversed())
					.forEach(e -> sb.replace(e.offset(), e.offset() + e.length(), e.text()));
			return sb.toString();
		}
	}

	/** Whether there may be a fix for findings with this code. */
	public static boolean fixable(String code) {
		return IssueCodes.WRITE_AFTER_PUBLISH.equals(code) || IssueCodes.GET_ON_ZERO.equals(code) || IssueCodes.LOCK_NOT_RELEASED.equals(code);
	}

	/** The fixes of one finding (none when its statement is not the shape the fix knows). */
	public static List<Fix> fixes(XtextResource resource, String code, int offset, String[] data) {
		if (IssueCodes.WRITE_AFTER_PUBLISH.equals(code)) {
			return moveBeforePublisher(resource, offset, data);
		} else if (IssueCodes.GET_ON_ZERO.equals(code)) {
			return initInsteadOfGetPage(resource, offset);
		} else if (IssueCodes.LOCK_NOT_RELEASED.equals(code)) {
			return addMissingUnlock(resource, offset, data);
		}
		return List.of();
	}

	/**
	 * R2 (static): the statement at offset writes the page after the publishing call on line
	 * {@code data[0]}; the fix moves it before that call.
	 */
	public static List<Fix> moveBeforePublisher(XtextResource resource, int offset, String[] data) {
		Statement statement = statementAt(resource, offset);
		int publisherLine = intAt(data, 0);
		Statement publisher = statement == null || publisherLine <= 0 ? null : sibling(statement, publisherLine);
		if (publisher == null) {
			return List.of();
		}
		String text = resource.getParseResult().getRootNode().getText();
		String moved = NodeModelUtils.getTokenText(NodeModelUtils.findActualNodeFor(statement));
		int[] line = lineOf(text, node(statement).getOffset());
		int start = lineStart(text, node(publisher).getOffset());
		String indent = text.substring(start, node(publisher).getOffset());
		return List.of(new Fix("Move '" + moved + "' before '" + NodeModelUtils.getTokenText(node(publisher)) + "'",
				List.of(new Edit(line[0], line[1] - line[0], ""), new Edit(start, 0, indent + moved + "\n"))));
	}

	/** R6: get_page on a page at refcount 0 becomes the era's init helper (set_page_count(page, 1) without one). */
	public static List<Fix> initInsteadOfGetPage(XtextResource resource, int offset) {
		Statement statement = statementAt(resource, offset);
		if (!(statement instanceof CallStatement c && c.getCall() instanceof BuiltinCall b && b.getFn() == Builtin.GET_PAGE
				&& !b.getArgs().isEmpty())) {
			return List.of();
		}
		String page = NodeModelUtils.getTokenText(node(b.getArgs().get(0)));
		boolean helper = hasHelper(resource, "zone_device_page_init");
		String replacement = helper ? "zone_device_page_init(" + page + ")" : "set_page_count(" + page + ", 1)";
		ICompositeNode n = node(statement);
		return List.of(new Fix("Replace get_page with " + (helper ? "zone_device_page_init, the era's init helper" : "set_page_count(..., 1)"),
				List.of(new Edit(n.getOffset(), n.getLength(), replacement))));
	}

	/**
	 * lock-not-released: {@code data} is the unlock statement and the line of the return that
	 * leaves the lock held (-1: the end of the body); the fix adds the unlock before it.
	 */
	public static List<Fix> addMissingUnlock(XtextResource resource, int offset, String[] data) {
		Statement statement = statementAt(resource, offset);
		if (statement == null || data == null || data.length < 2 || intAt(data, 1) == Integer.MIN_VALUE) {
			return List.of();
		}
		String text = resource.getParseResult().getRootNode().getText();
		String unlock = data[0];
		int line = intAt(data, 1);
		Statement before = line < 0 ? null : sibling(statement, line);
		if (before != null) {
			int start = lineStart(text, node(before).getOffset());
			String indent = text.substring(start, node(before).getOffset());
			return List.of(new Fix("Add '" + unlock + "' before the return on line " + line, List.of(new Edit(start, 0, indent + unlock + "\n"))));
		}
		Block body = outermostBlock(statement);
		if (body == null) {
			return List.of();
		}
		ICompositeNode b = node(body);
		int close = b.getOffset() + b.getLength() - 1; // the '}'
		int closeLine = lineStart(text, close);
		String indent = text.substring(lineStart(text, node(statement).getOffset()), node(statement).getOffset());
		return List.of(new Fix("Add '" + unlock + "' at the end", List.of(new Edit(closeLine, 0, indent + unlock + "\n"))));
	}

	/** The number at data[i], or MIN_VALUE when there is none (a model-check finding carries its trace there). */
	private static int intAt(String[] data, int i) {
		if (data == null || data.length <= i || data[i] == null || !data[i].matches("-?\\d{1,9}")) {
			return Integer.MIN_VALUE;
		}
		return Integer.parseInt(data[i]);
	}

	public static List<Fix> fixes(XtextResource resource, Issue issue) {
		return issue.getOffset() == null ? List.of() : fixes(resource, issue.getCode(), issue.getOffset(), issue.getData());
	}

	private static boolean hasHelper(XtextResource resource, String name) {
		if (!(resource.getContents().get(0) instanceof Model model) || model.getHeader() == null) {
			return false;
		}
		Core core = model.getHeader().getCore();
		return core != null && !core.eIsProxy() && core.getHelpers().stream().map(Helper::getName).anyMatch(name::equals);
	}

	private static ICompositeNode node(EObject o) {
		return NodeModelUtils.findActualNodeFor(o);
	}

	/** The statement at an offset: the outermost one in the innermost block around it. */
	static Statement statementAt(XtextResource resource, int offset) {
		ILeafNode leaf = NodeModelUtils.findLeafNodeAtOffset(resource.getParseResult().getRootNode(), offset);
		if (leaf == null) {
			return null;
		}
		EObject o = NodeModelUtils.findActualSemanticObjectFor(leaf);
		Statement statement = null;
		for (EObject c = o; c != null; c = c.eContainer()) {
			if (c instanceof Statement s && c.eContainer() instanceof Block) {
				statement = s;
				break;
			}
		}
		return statement;
	}

	/** The statement on a line in the blocks around {@code statement}. */
	private static Statement sibling(Statement statement, int line) {
		for (EObject c = statement.eContainer(); c != null; c = c.eContainer()) {
			if (c instanceof Block block) {
				for (var it = block.eAllContents(); it.hasNext();) {
					if (it.next() instanceof Statement s && s.eContainer() instanceof Block && node(s).getStartLine() == line) {
						return s;
					}
				}
			}
		}
		return null;
	}

	private static Block outermostBlock(EObject o) {
		Block result = null;
		for (EObject c = o; c != null; c = c.eContainer()) {
			if (c instanceof Block b) {
				result = b;
			}
		}
		return EcoreUtil2.getContainerOfType(o, Block.class) == null ? null : result;
	}

	private static int lineStart(String text, int offset) {
		int i = offset;
		while (i > 0 && text.charAt(i - 1) != '\n') {
			i--;
		}
		return i;
	}

	/** [start of the line, start of the next line] around an offset. */
	private static int[] lineOf(String text, int offset) {
		int start = lineStart(text, offset);
		int end = text.indexOf('\n', offset);
		return new int[] { start, end < 0 ? text.length() : end + 1 };
	}
}
