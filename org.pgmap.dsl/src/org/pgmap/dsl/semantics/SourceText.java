package org.pgmap.dsl.semantics;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

/**
 * The source text of a spec element for messages and traces, cut after a few words: reading the
 * whole text of every statement would make a block nested N deep cost N^2.
 */
public final class SourceText {

	/** How much of a statement messages and traces show. */
	public static final int SHOWN = 80;

	private SourceText() {
	}

	/** The element's tokens separated by single spaces (as NodeModelUtils.getTokenText), at most SHOWN characters. */
	public static String of(EObject o) {
		ICompositeNode node = NodeModelUtils.findActualNodeFor(o);
		return node == null ? "" : of(node, SHOWN);
	}

	/** Whether the feature was written in the source (an int feature written as 0 is not "set" in EMF). */
	public static boolean written(EObject o, EStructuralFeature feature) {
		return !NodeModelUtils.findNodesForFeature(o, feature).isEmpty();
	}

	public static String of(ICompositeNode node, int max) {
		StringBuilder b = new StringBuilder();
		boolean space = false;
		for (ILeafNode leaf : node.getLeafNodes()) {
			if (leaf.isHidden()) {
				space = b.length() > 0;
				continue;
			}
			if (space) {
				b.append(' ');
				space = false;
			}
			b.append(leaf.getText());
			if (b.length() > max) {
				return b.substring(0, max - 3) + "...";
			}
		}
		return b.toString();
	}
}
