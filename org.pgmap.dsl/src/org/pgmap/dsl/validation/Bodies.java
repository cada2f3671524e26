package org.pgmap.dsl.validation;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Thread;

/** Small helpers shared by the validators: the name of a body, a node's line and text. */
final class Bodies {
	private Bodies() {
	}

	/** What the messages call the code a block belongs to: "dmirror_devmem_alloc_page", "final_put". */
	static String nameOf(EObject owner) {
		if (owner instanceof Procedure p) {
			return p.getName();
		}
		if (owner instanceof Hook h) {
			return h.getKind().getLiteral();
		}
		if (owner instanceof Thread t) {
			return "thread " + t.getName();
		}
		if (owner instanceof Actor a) {
			return "actor " + a.getName();
		}
		return "this code";
	}

	static Block bodyOf(EObject owner) {
		if (owner instanceof Procedure p) {
			return p.getBody();
		}
		if (owner instanceof Hook h) {
			return h.getBody();
		}
		if (owner instanceof Thread t) {
			return t.getBody();
		}
		if (owner instanceof Actor a) {
			return a.getBody();
		}
		return null;
	}

	static int line(EObject o) {
		ICompositeNode node = NodeModelUtils.findActualNodeFor(o);
		return node == null ? 0 : node.getStartLine();
	}

	static String text(EObject o) {
		return org.pgmap.dsl.semantics.SourceText.of(o);
	}

	static <T> List<T> concat(List<T> a, List<T> b) {
		List<T> r = new ArrayList<>(a);
		r.addAll(b);
		return r;
	}
}
