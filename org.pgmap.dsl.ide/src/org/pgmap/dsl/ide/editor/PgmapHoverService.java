package org.pgmap.dsl.ide.editor;

import java.util.Locale;
import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.server.hover.HoverService;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.TextRegion;
import org.pgmap.dsl.library.PgmapLibrary;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Op;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.PgmapPackage;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.dsl.semantics.Kind;
import org.pgmap.engine.Rule;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * Hover, for the language server and the Eclipse editor alike: on a kernel function, what it does
 * to the refcount ({@link Builtins}); on an op role, what the core calls it for; on a name, the
 * declaration it refers to, what that is in the kernel and where it is declared (the library
 * core of {@code uses core v6_1} too); on a rule id (R1 .. R14, in a comment or a message), the
 * rule's text ({@link Rule}). The text is markdown with `code` spans only, readable as it is.
 */
@Singleton
public class PgmapHoverService extends HoverService {

	@Inject
	private EObjectAtOffsetHelper atOffset;

	@Inject
	private DocumentExtensions documents;

	@Inject
	private PgmapLibrary library;

	/** A hover's text and the region of the document it is about. */
	public record Text(int offset, int length, String markdown) {
	}

	@Override
	public Hover hover(Document document, XtextResource resource, HoverParams params, CancelIndicator cancelIndicator) {
		Text text = describe(resource, document.getOffSet(params.getPosition()));
		if (text == null) {
			return IHoverService.EMPTY_HOVER;
		}
		return new Hover(toMarkupContent("markdown", text.markdown()),
				documents.newRange(resource, new TextRegion(text.offset(), text.length())));
	}

	/** The hover at an offset of a parsed spec, or null when there is nothing to say. */
	public Text describe(XtextResource resource, int offset) {
		if (resource == null || resource.getParseResult() == null || resource.getParseResult().getRootNode() == null) {
			return null;
		}
		ICompositeNode root = resource.getParseResult().getRootNode();
		ILeafNode leaf = NodeModelUtils.findLeafNodeAtOffset(root, offset);
		if (leaf != null && (leaf.isHidden() || leaf.getLength() == 0) && leaf.getOffset() == offset && offset > 0) {
			ILeafNode before = NodeModelUtils.findLeafNodeAtOffset(root, offset - 1); // the caret right after a word
			leaf = before != null && !before.isHidden() ? before : leaf;
		}
		if (leaf != null && !leaf.isHidden()) {
			String markdown = semantic(resource, leaf);
			if (markdown != null) {
				return new Text(leaf.getOffset(), leaf.getLength(), markdown);
			}
		}
		return ruleAt(root.getText(), offset);
	}

	private String semantic(XtextResource resource, ILeafNode leaf) {
		EObject o = NodeModelUtils.findActualSemanticObjectFor(leaf);
		if (o instanceof BuiltinCall call && within(leaf, call, PgmapPackage.Literals.BUILTIN_CALL__FN)) {
			return builtin(call.getFn());
		}
		if (o instanceof Op op && within(leaf, op, PgmapPackage.Literals.OP__ROLE)) {
			return role(op.getRole());
		}
		if (o instanceof OpCall call && within(leaf, call, PgmapPackage.Literals.OP_CALL__ROLE)) {
			return role(call.getRole());
		}
		EObject target = atOffset.resolveCrossReferencedElementAt(resource, leaf.getOffset());
		if (target != null && !target.eIsProxy()) {
			return declaration(target, resource);
		}
		EStructuralFeature name = o == null ? null : o.eClass().getEStructuralFeature("name");
		if (name != null && within(leaf, o, name)) {
			return declaration(o, resource);
		}
		return null;
	}

	/** What a kernel function does, with its parameters. */
	public static String builtin(Builtin b) {
		Builtins.Signature s = Builtins.of(b);
		String params = s.params().stream().map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
		String result = s.result() == Kind.NOTHING ? "" : " -> " + s.result().name().toLowerCase(Locale.ROOT);
		return "`" + b.getLiteral() + "(" + params + ")" + result + "`: " + s.doc();
	}

	/** What the core calls a driver's op for. */
	public static String role(OpRole role) {
		return "`dev_pagemap_ops->" + role.getLiteral() + "`: " + switch (role) {
			case PAGE_FREE -> "the core calls it (`call page_free(page)`) when the last reference to a page of the driver's pagemap"
					+ " goes; it gives the page back to the driver's allocator";
			case FOLIO_FREE -> "the folio API's page_free (2026): the core calls it (`call folio_free(page)`) when the last reference goes";
			case MIGRATE_TO_RAM -> "the CPU faults on a device-private page: the driver migrates it back to system memory";
		};
	}

	/** A rule's id, title and text. */
	public static String rule(Rule rule) {
		return "`" + rule.title() + "`: " + rule.text();
	}

	/** The declaration a name refers to: as written, what it is in the kernel, and where. */
	private String declaration(EObject target, XtextResource here) {
		INode node = NodeModelUtils.findActualNodeFor(target);
		String source = node == null ? "" : NodeModelUtils.getTokenText(node);
		if (target instanceof Param p) {
			source = p.getName();
		}
		int brace = source.indexOf('{');
		source = (brace < 0 ? source : source.substring(0, brace)).trim().replaceFirst(" else$", "");
		StringBuilder sb = new StringBuilder("`").append(source).append("`");
		String meaning = PgmapMeanings.of(target);
		if (!meaning.isEmpty()) {
			sb.append(": ").append(meaning);
		}
		if (node != null) {
			String file = target.eResource() == here ? "" : fileOf(target) + ", ";
			sb.append("\n\n(").append(file).append("line ").append(node.getStartLine()).append(container(target)).append(")");
		}
		return sb.toString();
	}

	/** The file of a declaration in another resource: library/NAME for the shipped library. */
	private String fileOf(EObject target) {
		String name = target.eResource().getURI().lastSegment();
		return library.isLibrary(target.eResource()) ? "library/" + name : name;
	}

	private static String container(EObject target) {
		Procedure proc = EcoreUtil2.getContainerOfType(target.eContainer(), Procedure.class);
		if (proc != null && (target instanceof Param || target instanceof Let)) {
			return ", in " + PgmapSymbols.of(proc).label();
		}
		org.pgmap.dsl.pgmap.Thread thread = EcoreUtil2.getContainerOfType(target.eContainer(), org.pgmap.dsl.pgmap.Thread.class);
		if (thread != null) {
			return ", in thread " + thread.getName();
		}
		EObject owner = EcoreUtil2.getContainerOfType(target.eContainer(), Driver.class);
		owner = owner != null ? owner : EcoreUtil2.getContainerOfType(target.eContainer(), Core.class);
		owner = owner != null ? owner : EcoreUtil2.getContainerOfType(target.eContainer(), Scenario.class);
		return owner == null || PgmapSymbols.of(owner) == null ? "" : ", in " + PgmapSymbols.of(owner).label();
	}

	/** The rule whose id is the word at offset (R1 .. R14), or null. */
	private static Text ruleAt(String text, int offset) {
		int start = Math.min(offset, text.length());
		int end = start;
		while (start > 0 && Character.isLetterOrDigit(text.charAt(start - 1))) {
			start--;
		}
		while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
			end++;
		}
		String word = text.substring(start, end);
		Rule r = Rule.byId(word);
		return r == null ? null : new Text(start, end - start, rule(r));
	}

	private static boolean within(ILeafNode leaf, EObject o, EStructuralFeature feature) {
		for (INode n : NodeModelUtils.findNodesForFeature(o, feature)) {
			if (n.getOffset() <= leaf.getOffset() && leaf.getEndOffset() <= n.getEndOffset()) {
				return true;
			}
		}
		return false;
	}
}
