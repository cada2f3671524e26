package org.pgmap.dsl.scoping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.Scopes;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Atomic;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.Helper;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Start;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Symbol;
import org.pgmap.dsl.semantics.Actors;

/**
 * C-like name resolution inside a spec: a statement sees the variables assigned before it in
 * its block and the enclosing blocks, the parameters of its procedure, the locks, pools and
 * objects of the drivers, and the pagemaps. A call sees the drivers' procedures and the helpers
 * of the core the spec uses; inside an actor, its parameters too. A thread names an actor of the
 * core the spec uses and gives it the drivers' procedures and pagemaps. Names in other files
 * (cores) come from the global scope.
 */
public class PgmapScopeProvider extends AbstractPgmapScopeProvider {

	@Override
	public IScope getScope(EObject context, EReference reference) {
		if (reference == Literals.SYMBOL_REF__SYMBOL || reference == Literals.FIELD_WRITE__TARGET) {
			return Scopes.scopeFor(visibleSymbols(context));
		}
		if (reference == Literals.PROC_CALL__PROC) {
			List<EObject> callees = new ArrayList<>(visibleProcedures(context));
			Actor actor = EcoreUtil2.getContainerOfType(context, Actor.class);
			if (actor != null) {
				callees.addAll(0, actor.getParams()); // the procedures a scenario gives the actor
			}
			return Scopes.scopeFor(callees);
		}
		if (reference == Literals.THREAD__ACTOR) {
			Core core = Actors.usedCore(context);
			return core == null ? IScope.NULLSCOPE : Scopes.scopeFor(core.getActors());
		}
		if (reference == Literals.ACTOR_ARG__TARGET) {
			return Scopes.scopeFor(actorArguments(context));
		}
		if (reference == Literals.FREE_LIST__GUARD || reference == Literals.BITMAP__GUARD) {
			Driver driver = EcoreUtil2.getContainerOfType(context, Driver.class);
			return driver == null ? IScope.NULLSCOPE
					: Scopes.scopeFor(EcoreUtil2.typeSelect(driver.getMembers(), Lock.class));
		}
		if (reference.getEReferenceType() == Literals.PAGEMAP) {
			return Scopes.scopeFor(elements(context, Pagemap.class));
		}
		if (reference.getEReferenceType() == Literals.DRIVER) {
			return Scopes.scopeFor(elements(context, Driver.class), super.getScope(context, reference));
		}
		return super.getScope(context, reference);
	}

	/** Innermost first; a later assignment shadows an earlier one of the same name. */
	public static List<Symbol> visibleSymbols(EObject context) {
		Map<String, Symbol> byName = new LinkedHashMap<>();
		EObject child = context;
		for (EObject parent = context.eContainer(); parent != null; child = parent, parent = parent.eContainer()) {
			if (parent instanceof Block block && child instanceof Statement statement) {
				List<Statement> statements = block.getStatements();
				for (int i = statements.indexOf(statement) - 1; i >= 0; i--) {
					addAssigned(statements.get(i), byName);
				}
			}
			if (parent instanceof Procedure procedure) {
				procedure.getParams().forEach(p -> byName.putIfAbsent(p.getName(), p));
			}
			if (parent instanceof Hook hook) {
				hook.getParams().forEach(p -> byName.putIfAbsent(p.getName(), p));
			}
			if (parent instanceof Actor actor) {
				actor.getParams().forEach(p -> byName.putIfAbsent(p.getName(), p));
			}
		}
		Driver own = EcoreUtil2.getContainerOfType(context, Driver.class);
		List<Driver> drivers = new ArrayList<>(elements(context, Driver.class));
		if (own != null) {
			drivers.remove(own);
			drivers.add(0, own);
		}
		for (Driver driver : drivers) {
			for (EObject member : driver.getMembers()) {
				if (member instanceof Symbol symbol && symbol.getName() != null) {
					byName.putIfAbsent(symbol.getName(), symbol);
				}
			}
		}
		for (Pagemap pagemap : elements(context, Pagemap.class)) {
			if (pagemap.getName() != null) {
				byName.putIfAbsent(pagemap.getName(), pagemap);
			}
		}
		byName.remove(null);
		return new ArrayList<>(byName.values());
	}

	/** The variables a statement assigns that later statements see: a Let, and those inside atomic { } and start { }, latest first. */
	private static void addAssigned(Statement statement, Map<String, Symbol> byName) {
		if (statement instanceof Let let) {
			byName.putIfAbsent(let.getName(), let);
		} else if (transparentBody(statement) != null) {
			List<Statement> inner = transparentBody(statement).getStatements();
			for (int i = inner.size() - 1; i >= 0; i--) {
				addAssigned(inner.get(i), byName);
			}
		}
	}

	/** The body of a block that opens no scope: atomic { } and start { }. */
	public static Block transparentBody(Statement statement) {
		if (statement instanceof Atomic a) {
			return a.getBody();
		}
		if (statement instanceof Start s) {
			return s.getBody();
		}
		return null;
	}

	/** The procedures a call can name: its own core's helpers, the used core's, the drivers'. */
	public static List<Procedure> visibleProcedures(EObject context) {
		List<Procedure> result = new ArrayList<>();
		Core own = EcoreUtil2.getContainerOfType(context, Core.class);
		if (own != null) {
			result.addAll(own.getHelpers());
		}
		Model model = EcoreUtil2.getContainerOfType(context, Model.class);
		if (model != null && model.getHeader() != null) {
			Core used = model.getHeader().getCore();
			if (used != null && !used.eIsProxy() && used != own) {
				result.addAll(used.getHelpers());
			}
		}
		for (Driver driver : elements(context, Driver.class)) {
			for (EObject member : driver.getMembers()) {
				if (member instanceof Procedure procedure && !(procedure instanceof Helper)) {
					result.add(procedure);
				}
			}
		}
		return result;
	}

	/** What a scenario can give an actor: the drivers' procedures (not the core's helpers) and the pagemaps. */
	public static List<EObject> actorArguments(EObject context) {
		List<EObject> result = new ArrayList<>();
		for (Driver driver : elements(context, Driver.class)) {
			for (EObject member : driver.getMembers()) {
				if (member instanceof Procedure procedure && !(procedure instanceof Helper)) {
					result.add(procedure);
				}
			}
		}
		result.addAll(elements(context, Pagemap.class));
		return result;
	}

	public static <T extends EObject> List<T> elements(EObject context, Class<T> type) {
		Model model = EcoreUtil2.getContainerOfType(context, Model.class);
		return model == null ? List.of() : EcoreUtil2.typeSelect(model.getElements(), type);
	}
}
