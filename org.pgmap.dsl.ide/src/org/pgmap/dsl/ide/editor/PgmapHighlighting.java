package org.pgmap.dsl.ide.editor;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EAttribute;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.AbstractRule;
import org.eclipse.xtext.EnumLiteralDeclaration;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.Keyword;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.ide.editor.syntaxcoloring.HighlightingStyles;
import org.eclipse.xtext.ide.editor.syntaxcoloring.IHighlightedPositionAcceptor;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.Pool;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.Var;

import com.google.inject.Singleton;

/**
 * Semantic highlighting, for the language server's semantic tokens and the Eclipse editor's
 * semantic coloring alike: each name is classified by what it refers to (a lock, a page pool, a
 * driver object, a pagemap, a procedure, a parameter, a variable, a core), kernel functions and
 * enum literals by their enum, and the rest of the text by its token (keyword, comment, string,
 * number), so that a client with no grammar of its own colors the whole file.
 *
 * <p>Each position carries an LSP token type (the first id: {@code variable}, {@code function}, ...)
 * and, for the names the protocol cares about, a pgmap modifier ({@link #LOCK}, {@link #POOL},
 * {@link #OBJECT}, {@link #PAGEMAP}), which the server adds to its legend and Eclipse colors.
 */
@Singleton
public class PgmapHighlighting implements ISemanticHighlightingCalculator {

	public static final String LOCK = "lock";
	public static final String POOL = "pool";
	public static final String OBJECT = "object";
	public static final String PAGEMAP = "pagemap";
	/** The pgmap modifiers, in the order of the server's legend. */
	public static final List<String> MODIFIERS = List.of(LOCK, POOL, OBJECT, PAGEMAP);

	private static final String DECLARATION = "declaration";

	@Override
	public void provideHighlightingFor(XtextResource resource, IHighlightedPositionAcceptor acceptor, CancelIndicator cancel) {
		if (resource == null || resource.getParseResult() == null || resource.getParseResult().getRootNode() == null) {
			return;
		}
		Set<Integer> named = new HashSet<>();
		for (var it = resource.getAllContents(); it.hasNext();) {
			if (cancel != null && cancel.isCanceled()) {
				return;
			}
			EObject o = it.next();
			for (EReference ref : o.eClass().getEAllReferences()) {
				if (!ref.isContainment() && !ref.isContainer() && !ref.isMany()) {
					String[] ids = idsOf(o.eGet(ref, true));
					if (ids != null) {
						add(acceptor, named, NodeModelUtils.findNodesForFeature(o, ref), ids);
					}
				}
			}
			EStructuralFeature name = o.eClass().getEStructuralFeature("name");
			String[] ids = idsOf(o);
			if (name instanceof EAttribute && ids != null) {
				add(acceptor, named, NodeModelUtils.findNodesForFeature(o, name), with(ids, DECLARATION));
			}
		}
		for (ILeafNode leaf : resource.getParseResult().getRootNode().getLeafNodes()) {
			if (leaf.getLength() > 0 && !named.contains(leaf.getOffset())) {
				String[] token = tokenIds(leaf);
				if (token != null) {
					addLineByLine(acceptor, leaf, token);
				}
			}
		}
	}

	/** The ids of a name that refers to (or declares) this element, or null when it is not colored. */
	private static String[] idsOf(Object target) {
		if (!(target instanceof EObject o) || o.eIsProxy()) {
			return null;
		}
		return switch (o) {
			case Lock l -> new String[] { "variable", LOCK };
			case Pool p -> new String[] { "variable", POOL };
			case DriverObject d -> new String[] { "variable", OBJECT };
			case Pagemap p -> new String[] { "struct", PAGEMAP };
			case Procedure p -> new String[] { "function" };
			case Param p -> new String[] { "parameter" };
			case Let l -> new String[] { "variable" };
			case Var v -> new String[] { "variable", "static" };
			case Core c -> new String[] { "namespace" };
			case Driver d -> new String[] { "class" };
			case Scenario s -> new String[] { "namespace" };
			case org.pgmap.dsl.pgmap.Thread t -> new String[] { "function" };
			default -> null;
		};
	}

	/** Keywords, kernel functions, enum literals, comments, strings and numbers. */
	private static String[] tokenIds(ILeafNode leaf) {
		if (leaf.isHidden()) {
			return leaf.getGrammarElement() instanceof AbstractRule r && r.getName().endsWith("COMMENT")
					? new String[] { HighlightingStyles.COMMENT_ID } : null;
		}
		if (leaf.getGrammarElement() instanceof EnumLiteralDeclaration literal) {
			return enumIds(GrammarUtil.containingRule(literal).getName());
		}
		if (leaf.getGrammarElement() instanceof Keyword k) {
			return Character.isLetter(k.getValue().charAt(0)) ? new String[] { HighlightingStyles.KEYWORD_ID } : null;
		}
		if (leaf.getGrammarElement() instanceof RuleCall call && call.getRule() != null) {
			return switch (call.getRule().getName()) {
				case "STRING" -> new String[] { HighlightingStyles.STRING_ID };
				case "INT" -> new String[] { HighlightingStyles.NUMBER_ID };
				default -> null;
			};
		}
		return null;
	}

	private static String[] enumIds(String rule) {
		return switch (rule) {
			case "Builtin" -> new String[] { "function", "defaultLibrary" };
			case "PgmapType", "InitMode" -> new String[] { "enumMember" };
			case "OpRole", "HookKind" -> new String[] { "method", "defaultLibrary" };
			case "LinkField", "PageField" -> new String[] { "property" };
			case "CompareOp" -> new String[] { "operator" };
			default -> new String[] { HighlightingStyles.KEYWORD_ID };
		};
	}

	private static void add(IHighlightedPositionAcceptor acceptor, Set<Integer> named, List<INode> nodes, String[] ids) {
		for (INode n : nodes) {
			if (n.getLength() > 0 && named.add(n.getOffset())) {
				acceptor.addPosition(n.getOffset(), n.getLength(), ids);
			}
		}
	}

	/** A token per line: LSP clients need not support tokens across lines (a block comment). */
	private static void addLineByLine(IHighlightedPositionAcceptor acceptor, ILeafNode leaf, String[] ids) {
		String text = leaf.getText();
		int start = 0;
		while (start < text.length()) {
			int newline = text.indexOf('\n', start);
			int end = newline < 0 ? text.length() : newline;
			int last = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
			if (last > start) {
				acceptor.addPosition(leaf.getOffset() + start, last - start, ids);
			}
			start = end + 1;
		}
	}

	private static String[] with(String[] ids, String modifier) {
		String[] result = java.util.Arrays.copyOf(ids, ids.length + 1);
		result[ids.length] = modifier;
		return result;
	}
}
