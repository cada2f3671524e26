package org.pgmap.dsl.scoping;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.pgmap.dsl.library.PgmapLibrary;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.ActorArg;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Either;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.Actors;
import org.pgmap.dsl.validation.IssueCodes;

/** "'mdevice_lok' is not declared: ..." instead of Xtext's "Couldn't resolve reference". */
public class PgmapLinkingMessages extends LinkingDiagnosticMessageProvider {

	@Override
	public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
		EClass type = context.getReference().getEReferenceType();
		String name = context.getLinkText();
		String what;
		if (type == Literals.CORE) {
			what = "no core of that name in this project or the library (" + String.join(", ", PgmapLibrary.FILES) + ")";
		} else if (type == Literals.CALLABLE && context.getContext() instanceof ActorArg) {
			what = "a thread gives an actor the drivers' procedures and the pagemaps, and none has that name";
		} else if (type == Literals.CALLABLE) {
			what = EcoreUtil2.getContainerOfType(context.getContext(), Actor.class) != null
					? "no parameter of the actor and no helper of the core has that name"
					: "no procedure of the drivers and no helper of the core has that name";
		} else if (type == Literals.ACTOR) {
			Core core = Actors.usedCore(context.getContext());
			what = core == null ? "a thread runs an actor of the core the spec uses, and this spec names no core ('uses core ...')"
					: "core " + core.getName() + " (" + Actors.fileOf(core) + ") has no actor of that name; its actors: "
							+ Actors.names(core);
		} else if (type == Literals.SYMBOL) {
			String hidden = hiddenAssignment(context.getContext(), name);
			what = hidden != null ? hidden
					: "no variable assigned before this statement, parameter, lock, pool, object, driver variable or pagemap has that name";
		} else if (type == Literals.LOCK) {
			what = "the driver declares no lock of that name";
		} else {
			what = "no " + type.getName().toLowerCase() + " of that name is declared";
		}
		return new DiagnosticMessage("'" + name + "' is not declared: " + what, Severity.ERROR, IssueCodes.UNDEFINED_NAME);
	}

	/**
	 * "it is assigned inside the if at line 12, which ends before this statement": an assignment of
	 * the name earlier in the same procedure or thread, in a block whose variables this statement
	 * cannot see (if, else, either, repeat; atomic and start blocks open no scope).
	 */
	private static String hiddenAssignment(EObject context, String name) {
		EObject body = context;
		while (body != null && !(body instanceof Procedure) && !(body instanceof Thread) && !(body instanceof Hook)
				&& !(body instanceof Actor)) {
			body = body.eContainer();
		}
		INode here = NodeModelUtils.findActualNodeFor(context);
		if (body == null || here == null) {
			return null;
		}
		for (Let let : EcoreUtil2.getAllContentsOfType(body, Let.class)) {
			INode node = NodeModelUtils.findActualNodeFor(let);
			if (name.equals(let.getName()) && node != null && node.getOffset() < here.getOffset()) {
				EObject block = let.eContainer() == null ? null : let.eContainer().eContainer();
				String where = block instanceof If ? "an if" : block instanceof Either ? "an either" : block instanceof Repeat ? "a repeat"
						: "a block";
				return "it is assigned at line " + node.getStartLine() + " inside " + where
						+ ", and a variable assigned in a block is not visible after it; assign it before the block";
			}
		}
		return null;
	}
}
