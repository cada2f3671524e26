package org.pgmap.dsl.semantics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Callable;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.FieldWrite;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.Thread;

/**
 * Actors: the kernel's callers of a driver, written once per core and run by a scenario's
 * {@code thread NAME = ACTOR(ARGS)}. What each parameter of an actor is (a procedure the actor
 * calls, or a pagemap it uses as a value) follows from how its body uses it.
 */
public final class Actors {
	private Actors() {
	}

	/** How an actor's body uses one of its parameters. */
	public record Use(Param param, List<ProcCall> calls, List<EObject> values) {
		public boolean called() {
			return !calls.isEmpty();
		}

		public boolean usedAsValue() {
			return !values.isEmpty();
		}

		/** The number of arguments its calls pass, or -1 when they disagree or there is no call. */
		public int arity() {
			int n = -1;
			for (ProcCall c : calls) {
				if (n >= 0 && n != c.getArgs().size()) {
					return -1;
				}
				n = c.getArgs().size();
			}
			return n;
		}

		/** A call whose result is assigned as a page ({@code p = alloc() else return}): the argument must be an alloc. */
		public ProcCall assigningCall() {
			for (ProcCall c : calls) {
				if (c.eContainer() instanceof Let let && let.getValue() == c) {
					return c;
				}
			}
			return null;
		}
	}

	/** Each parameter of the actor, in order, with its calls and value uses. */
	public static Map<Param, Use> uses(Actor actor) {
		Map<Param, Use> uses = new LinkedHashMap<>();
		for (Param p : actor.getParams()) {
			uses.put(p, new Use(p, new ArrayList<>(), new ArrayList<>()));
		}
		if (actor.getBody() == null) {
			return uses;
		}
		for (var it = actor.getBody().eAllContents(); it.hasNext();) {
			EObject e = it.next();
			if (e instanceof ProcCall c && c.getProc() instanceof Param p && uses.containsKey(p)) {
				uses.get(p).calls().add(c);
			} else if (e instanceof SymbolRef r && r.getSymbol() instanceof Param p && uses.containsKey(p)) {
				uses.get(p).values().add(r);
			} else if (e instanceof FieldWrite w && w.getTarget() instanceof Param p && uses.containsKey(p)) {
				uses.get(p).values().add(w);
			}
		}
		return uses;
	}

	/** The procedure a call names, or null when it names an actor's parameter (or nothing resolved). */
	public static Procedure procedure(ProcCall call) {
		Callable c = call.getProc();
		return c instanceof Procedure p && !p.eIsProxy() ? p : null;
	}

	/** The actor whose parameter this is, or null for a procedure's, helper's or hook's parameter. */
	public static Actor actorOf(Param param) {
		return param.eContainer() instanceof Actor a ? a : null;
	}

	/** The core whose actors a thread of this spec may name: the one of its {@code uses core} line. */
	public static Core usedCore(EObject context) {
		Model model = EcoreUtil2.getContainerOfType(context, Model.class);
		if (model == null || model.getHeader() == null) {
			return null;
		}
		Core core = model.getHeader().getCore();
		return core == null || core.eIsProxy() ? null : core;
	}

	/** Whether the thread runs an actor instead of a body of its own. */
	public static boolean runsActor(Thread t) {
		return t.getActor() != null;
	}

	/** Where a core is, for messages: library/v6_1.pgmap for the shipped library, else its file name. */
	public static String fileOf(EObject o) {
		if (o.eResource() == null) {
			return "";
		}
		org.eclipse.emf.common.util.URI uri = o.eResource().getURI();
		return (uri.isFile() ? "" : "library/") + uri.lastSegment();
	}

	/** "migrate_user, alloc_fails, ...": the actors of a core, for messages. */
	public static String names(Core core) {
		List<String> names = new ArrayList<>();
		for (Actor a : core.getActors()) {
			names.add(a.getName());
		}
		return names.isEmpty() ? "none" : String.join(", ", names);
	}
}
