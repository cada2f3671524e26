package org.pgmap.dsl.validation;

import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.ActorArg;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Callable;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.Actors;

/**
 * Actors and the threads that run them: each parameter is either called (the scenario gives a
 * procedure of the driver with as many parameters as the calls pass, an alloc where the call's
 * page is assigned) or used as a value (the scenario gives a pagemap), and a thread gives an
 * actor as many arguments as it has parameters.
 */
public class ActorValidator extends AbstractDeclarativeValidator {

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into PgmapValidator
	}

	@Check
	public void checkActor(Actor actor) {
		for (Actors.Use use : Actors.uses(actor).values()) {
			Param p = use.param();
			if (use.called() && use.usedAsValue()) {
				error(p.getName() + " is called (line " + Bodies.line(use.calls().get(0)) + ") and used as a value (line "
						+ Bodies.line(use.values().get(0)) + "): a parameter of an actor is a procedure or a pagemap, not both",
						p, Literals.CALLABLE__NAME, IssueCodes.WRONG_KIND);
			}
			if (use.called() && use.arity() < 0) {
				for (ProcCall c : use.calls()) {
					if (c.getArgs().size() != use.calls().get(0).getArgs().size()) {
						error(p.getName() + " is called with " + count(use.calls().get(0).getArgs().size()) + " on line "
								+ Bodies.line(use.calls().get(0)) + " and with " + count(c.getArgs().size())
								+ " here: no procedure takes both", c, Literals.PROC_CALL__PROC, IssueCodes.WRONG_ARITY);
					}
				}
			}
		}
	}

	@Check
	public void checkThreadActor(Thread thread) {
		Actor actor = thread.getActor();
		if (actor == null || actor.eIsProxy()) {
			return;
		}
		List<Param> params = actor.getParams();
		List<ActorArg> args = thread.getArgs();
		if (params.size() != args.size()) {
			error(actor.getName() + " takes " + count(params.size()) + signature(actor) + ", not " + args.size(), thread,
					Literals.THREAD__ACTOR, IssueCodes.WRONG_ARITY);
			return;
		}
		Map<Param, Actors.Use> uses = Actors.uses(actor);
		for (int i = 0; i < args.size(); i++) {
			Callable target = args.get(i).getTarget();
			if (target == null || target.eIsProxy()) {
				continue;
			}
			Actors.Use use = uses.get(params.get(i));
			String where = " (" + Actors.fileOf(actor) + " line ";
			if (use.called() && target instanceof Pagemap m) {
				error(actor.getName() + " calls " + use.param().getName() + "()" + where + Bodies.line(use.calls().get(0))
						+ "): give it a procedure of the driver, not pagemap " + m.getName(), args.get(i),
						Literals.ACTOR_ARG__TARGET, IssueCodes.WRONG_KIND);
			} else if (use.usedAsValue() && target instanceof Procedure proc) {
				EObject value = use.values().get(0);
				EObject statement = EcoreUtil2.getContainerOfType(value, Statement.class);
				error(actor.getName() + " uses " + use.param().getName() + " as a pagemap ("
						+ Bodies.text(statement != null ? statement : value)
						+ ", " + Actors.fileOf(actor) + " line " + Bodies.line(use.values().get(0)) + "): give it a pagemap, not "
						+ proc.getName(), args.get(i), Literals.ACTOR_ARG__TARGET, IssueCodes.WRONG_KIND);
			} else if (use.called() && target instanceof Procedure proc) {
				ProcCall first = use.calls().get(0);
				if (use.arity() >= 0 && use.arity() != proc.getParams().size()) {
					error(actor.getName() + " calls " + Bodies.text(first) + where + Bodies.line(first) + ") with "
							+ count(use.arity()) + ", but " + proc.getName() + " takes " + count(proc.getParams().size()),
							args.get(i), Literals.ACTOR_ARG__TARGET, IssueCodes.WRONG_ARITY);
				}
				ProcCall assigning = use.assigningCall();
				if (assigning != null && !(proc instanceof Alloc)) {
					error(actor.getName() + " takes the page " + use.param().getName() + "() returns" + where
							+ Bodies.line(assigning) + "): give it an alloc of the driver, not " + proc.getName(), args.get(i),
							Literals.ACTOR_ARG__TARGET, IssueCodes.WRONG_KIND);
				}
			}
		}
	}

	/** " (alloc, free)": the parameters an actor takes, for messages. */
	private static String signature(Actor actor) {
		return actor.getParams().isEmpty() ? ""
				: " (" + String.join(", ", actor.getParams().stream().map(Param::getName).toList()) + ")";
	}

	private static String count(int n) {
		return n == 0 ? "no arguments" : n == 1 ? "1 argument" : n + " arguments";
	}
}
