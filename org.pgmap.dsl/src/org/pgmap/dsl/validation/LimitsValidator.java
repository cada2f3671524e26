package org.pgmap.dsl.validation;

import java.util.ArrayDeque;
import java.util.Deque;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.SourceText;
import org.pgmap.engine.StateLayout;

/**
 * What the model can hold, said before anything is compiled: a spec past these limits gets an
 * error on the declaration that passes one, so no later phase (compilation, the model check, an
 * editor's check) runs out of time or memory on it. Also what is not checked at all: a spec
 * without scenarios, an empty thread group.
 */
public class LimitsValidator extends AbstractDeclarativeValidator {

	/** Statements nest at most this deep (blocks, and each else-if of a chain). */
	public static final int MAX_NESTING = 64;
	/** Pages of all pagemaps of a spec. */
	public static final int MAX_PAGES = 64;
	/** Threads of one scenario. */
	public static final int MAX_THREADS = StateLayout.MAX_THREADS;
	/** Lock instances of one spec (an array counts each). */
	public static final int MAX_LOCKS = 64;
	/** Driver object instances of one spec. */
	public static final int MAX_OBJECTS = 64;

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into PgmapValidator
	}

	@Check
	public void checkSizes(Model model) {
		long pages = 0;
		long locks = 0;
		long objects = 0;
		for (EObject e : model.getElements()) {
			if (e instanceof Pagemap p) {
				pages += Math.max(0, p.getPages());
				if (pages > MAX_PAGES) {
					error("the pagemaps of this spec have " + pages + " pages in all; the model holds at most " + MAX_PAGES
							+ " (races need 1 or 2)", p, Literals.PAGEMAP__PAGES, IssueCodes.TOO_LARGE);
					pages = Long.MIN_VALUE / 2; // said once
				}
			} else if (e instanceof Driver d) {
				for (EObject m : d.getMembers()) {
					if (m instanceof Lock l) {
						locks += instances(l, l.getCount(), Literals.LOCK__COUNT, "lock");
						if (locks > MAX_LOCKS) {
							error("the drivers of this spec declare " + locks + " locks in all; the model holds at most " + MAX_LOCKS,
									l, SourceText.written(l, Literals.LOCK__COUNT) ? Literals.LOCK__COUNT : l.eClass().getEStructuralFeature("name"),
									IssueCodes.TOO_LARGE);
							locks = Long.MIN_VALUE / 2;
						}
					} else if (m instanceof DriverObject o) {
						objects += instances(o, o.getCount(), Literals.DRIVER_OBJECT__COUNT, "object");
						if (objects > MAX_OBJECTS) {
							error("the drivers of this spec declare " + objects + " objects in all; the model holds at most "
									+ MAX_OBJECTS, o, SourceText.written(o, Literals.DRIVER_OBJECT__COUNT)
											? Literals.DRIVER_OBJECT__COUNT : o.eClass().getEStructuralFeature("name"), IssueCodes.TOO_LARGE);
							objects = Long.MIN_VALUE / 2;
						}
					}
				}
			}
		}
		if (model.getHeader() != null && model.getElements().stream().noneMatch(Scenario.class::isInstance)) {
			warning("spec " + model.getHeader().getName() + " has no scenario: only its static checks run; add "
					+ "'scenario NAME { thread NAME { ... } }' to model-check it", model.getHeader(), Literals.SPEC_HEADER__NAME,
					IssueCodes.NOTHING_TO_CHECK);
		}
	}

	/** How many instances a declaration makes: N for NAME[N] (an error for [0]), else 1. */
	private long instances(EObject decl, int count, org.eclipse.emf.ecore.EStructuralFeature feature, String what) {
		if (!SourceText.written(decl, feature)) {
			return 1;
		}
		if (count < 1) {
			error("a " + what + " array needs at least 1 instance", decl, feature, IssueCodes.TOO_LARGE);
		}
		return count;
	}

	/** Names become C identifiers and file names (spec.scenario.pml, traces): this keeps them within NAME_MAX. */
	public static final int MAX_NAME = 100;

	@Check
	public void checkNameLengths(Model model) {
		for (var it = model.eAllContents(); it.hasNext();) {
			EObject e = it.next();
			org.eclipse.emf.ecore.EStructuralFeature name = e.eClass().getEStructuralFeature("name");
			if (name != null && e.eGet(name) instanceof String s && s.length() > MAX_NAME) {
				error("this name is " + s.length() + " characters long; names are at most " + MAX_NAME
						+ " (they become C identifiers and file names)", e, name, IssueCodes.TOO_LARGE);
			}
		}
	}

	@Check
	public void checkThreads(Scenario scenario) {
		long threads = 0;
		for (Thread t : scenario.getThreads()) {
			boolean group = SourceText.written(t, Literals.THREAD__COUNT);
			if (group && t.getCount() < 1) {
				warning("thread group " + t.getName() + "[" + t.getCount() + "] has no threads: nothing of it runs", t,
						Literals.THREAD__COUNT, IssueCodes.NOTHING_TO_CHECK);
			}
			threads += group ? t.getCount() : 1;
			if (threads > MAX_THREADS) {
				error("scenario " + scenario.getName() + " runs " + threads + " threads by here; the model explores at most "
						+ MAX_THREADS + " (races need 2 or 3)", t, group ? Literals.THREAD__COUNT : Literals.THREAD__NAME,
						IssueCodes.TOO_LARGE);
				return;
			}
		}
	}

	@Check
	public void checkNesting(Procedure procedure) {
		nesting(procedure.getBody());
	}

	@Check
	public void checkNesting(Hook hook) {
		nesting(hook.getBody());
	}

	@Check
	public void checkNesting(Thread thread) {
		nesting(thread.getBody());
	}

	@Check
	public void checkNesting(Actor actor) {
		nesting(actor.getBody());
	}

	/** Reports the first statement nested deeper than MAX_NESTING; iterative, so any depth is fine here. */
	private void nesting(Block body) {
		if (body == null) {
			return;
		}
		Deque<Object[]> todo = new ArrayDeque<>();
		todo.push(new Object[] { body, 0 });
		while (!todo.isEmpty()) {
			Object[] top = todo.pop();
			EObject e = (EObject) top[0];
			int depth = (Integer) top[1];
			if (e instanceof Statement s && depth > MAX_NESTING) {
				error("statements nest " + depth + " deep here; at most " + MAX_NESTING
						+ " (each block and each else-if counts one): split the code into procs", s, null, IssueCodes.TOO_LARGE);
				return;
			}
			for (EObject child : e.eContents()) {
				todo.push(new Object[] { child, child instanceof Statement && !(child instanceof Block) ? depth + 1 : depth });
			}
		}
	}
}
