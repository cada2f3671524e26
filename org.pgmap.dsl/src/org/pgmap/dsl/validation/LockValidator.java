package org.pgmap.dsl.validation;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.Bookkeeping;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.dsl.semantics.Builtins.Effect;

/**
 * Locks a driver declares (spinlocks, mutexes, lock arrays) must be taken and released in pairs
 * on every path through a procedure, and a pool guarded by a lock is only touched with it held.
 * The page lock is not checked here: it is handed from the allocator to its caller.
 */
public class LockValidator extends AbstractDeclarativeValidator {

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into PgmapValidator
	}

	@Check
	public void checkProcedure(Procedure procedure) {
		check(procedure);
	}

	@Check
	public void checkHook(Hook hook) {
		check(hook);
	}

	@Check
	public void checkThread(Thread thread) {
		check(thread);
	}

	/** Lock instance held -> the statement that took it. */
	private record Held(Map<String, Statement> locks) {
	}

	private void check(EObject owner) {
		Block body = Bodies.bodyOf(owner);
		if (body == null) {
			return;
		}
		String name = Bodies.nameOf(owner);
		Set<String> takenSomewhere = new LinkedHashSet<>();
		Set<String> reported = new LinkedHashSet<>();
		var walker = new PathWalker<Held>() {
			@Override
			protected Held step(Statement statement, Held state) {
				BuiltinCall call = callOf(statement);
				if (call == null) {
					return state;
				}
				Effect effect = Builtins.of(call.getFn()).effect();
				if (effect == Effect.LOCK || effect == Effect.UNLOCK) {
					String key = lockKey(call);
					if (key == null) {
						return state;
					}
					Map<String, Statement> next = new TreeMap<>(state.locks());
					if (effect == Effect.LOCK) {
						if (next.containsKey(key) && reported.add("twice:" + key + ":" + Bodies.line(statement))) {
							error(key + " is already held here (taken on line " + Bodies.line(next.get(key))
									+ "): taking it again deadlocks", statement, null, IssueCodes.LOCK_TAKEN_TWICE);
						}
						next.put(key, statement);
						takenSomewhere.add(key);
					} else if (next.remove(key) == null) {
						boolean everTaken = takenSomewhere.contains(key) || takenIn(body, key);
						if (reported.add("release:" + key + ":" + Bodies.line(statement))) {
							if (everTaken) {
								error(key + " is released here on a path where it is not held: released twice",
										statement, null, IssueCodes.LOCK_RELEASED_TWICE);
							} else {
								error(key + " is released but never taken in " + name, statement, null,
										IssueCodes.LOCK_NEVER_TAKEN);
							}
						}
					}
					return new Held(next);
				}
				checkGuard(call, state, statement);
				return state;
			}

			@Override
			protected void onReturn(Return statement, Set<Held> states) {
				for (Held held : states) {
					reportHeld(held, "at the return on line " + Bodies.line(statement), statement);
				}
			}

			@Override
			protected void onRepeat(Repeat repeat, Set<Held> before, Set<Held> after) {
				if (!before.equals(after) && reported.add("repeat:" + Bodies.line(repeat))) {
					error("the locks held change across one round of this repeat: take and release them inside it",
							repeat, null, IssueCodes.LOCK_NOT_RELEASED);
				}
			}

			private void checkGuard(BuiltinCall call, Held state, Statement statement) {
				if (call.getArgs().isEmpty() || !(call.getArgs().get(0) instanceof SymbolRef ref)) {
					return;
				}
				Lock guard = null;
				String pool = null;
				if (ref.getSymbol() instanceof FreeList list && !list.eIsProxy()) {
					guard = list.getGuard();
					pool = list.getName();
				} else if (ref.getSymbol() instanceof Bitmap bitmap && !bitmap.eIsProxy()) {
					guard = bitmap.getGuard();
					pool = bitmap.getName();
				} else if (ref.getSymbol() instanceof Bookkeeping records && !records.eIsProxy()
						&& call.getFn() != org.pgmap.dsl.pgmap.Builtin.RELEASE_BACKING) {
					guard = records.getGuard();
					pool = records.getName();
				}
				if (guard == null || guard.eIsProxy()) {
					return;
				}
				String guardName = guard.getName();
				if (owner instanceof Procedure proc && !takesAny(body, guardName)
						&& callersHold(proc, guardName, new LinkedHashSet<>())) {
					return; // "called with the lock held", as kernel functions say: every caller holds it
				}
				boolean held = state.locks().keySet().stream()
						.anyMatch(k -> k.equals(guardName) || k.startsWith(guardName + "["));
				if (!held && reported.add("guard:" + Bodies.line(statement))) {
					error(call.getFn().getLiteral() + " on " + pool + " without holding " + guardName + " (" + pool
							+ " is guarded by " + guardName + ")", statement, null, IssueCodes.POOL_UNGUARDED);
				}
			}

			/** Issue data for the quick fix: the unlock to add, and the return it goes before (or -1: the end). */
			private void reportHeld(Held held, String where, Statement before) {
				for (Map.Entry<String, Statement> e : held.locks().entrySet()) {
					if (reported.add("held:" + e.getKey() + ":" + Bodies.line(e.getValue()))) {
						BuiltinCall lock = callOf(e.getValue());
						String unlock = (lock != null && lock.getFn() == org.pgmap.dsl.pgmap.Builtin.MUTEX_LOCK ? "mutex_unlock("
								: "spin_unlock(") + e.getKey() + ")";
						error(e.getKey() + " is not released on every path: still held " + where + " of " + name,
								e.getValue(), null, IssueCodes.LOCK_NOT_RELEASED, unlock,
								Integer.toString(before == null ? -1 : Bodies.line(before)));
					}
				}
			}
		};
		Set<Held> end = walker.block(body, Set.of(new Held(Map.of())));
		for (Held held : end) {
			walker.reportHeld(held, "at the end", null);
		}
	}

	/**
	 * Whether a procedure that does not take a lock itself is only called with it held: it has
	 * callers, and on every path to every call the caller holds the lock (or is such a procedure
	 * in turn).
	 */
	private static boolean callersHold(Procedure callee, String lock, Set<Procedure> seen) {
		if (!seen.add(callee)) {
			return false;
		}
		EObject root = EcoreUtil2.getRootContainer(callee);
		boolean called = false;
		for (ProcCall call : EcoreUtil2.getAllContentsOfType(root, ProcCall.class)) {
			if (call.getProc() != callee) {
				continue;
			}
			called = true;
			Statement at = EcoreUtil2.getContainerOfType(call, Statement.class);
			EObject owner = at;
			while (owner != null && !(owner instanceof Procedure) && !(owner instanceof Thread) && !(owner instanceof Hook)) {
				owner = owner.eContainer();
			}
			Block body = owner == null ? null : Bodies.bodyOf(owner);
			if (body == null || !heldAt(body, at, lock)) {
				if (owner instanceof Procedure caller && body != null && !takesAny(body, lock) && callersHold(caller, lock, seen)) {
					continue;
				}
				return false;
			}
		}
		return called;
	}

	/** Whether on every path through the body that reaches {@code at}, the lock is held there. */
	private static boolean heldAt(Block body, Statement at, String lock) {
		boolean[] ok = { true };
		boolean[] reached = { false };
		new PathWalker<Set<String>>() {
			@Override
			protected Set<String> step(Statement statement, Set<String> state) {
				if (statement == at) {
					reached[0] = true;
					ok[0] &= state.stream().anyMatch(k -> k.equals(lock) || k.startsWith(lock + "["));
				}
				BuiltinCall call = callOf(statement);
				if (call == null) {
					return state;
				}
				Effect effect = Builtins.of(call.getFn()).effect();
				String key = lockKey(call);
				if (key == null || (effect != Effect.LOCK && effect != Effect.UNLOCK)) {
					return state;
				}
				Set<String> next = new java.util.TreeSet<>(state);
				if (effect == Effect.LOCK) {
					next.add(key);
				} else {
					next.remove(key);
				}
				return next;
			}
		}.block(body, Set.of(Set.of()));
		return reached[0] && ok[0];
	}

	/** Whether the body takes the lock (or one lock of the array) of this name anywhere. */
	private static boolean takesAny(Block body, String name) {
		for (var it = body.eAllContents(); it.hasNext();) {
			if (it.next() instanceof BuiltinCall call && Builtins.of(call.getFn()).effect() == Effect.LOCK) {
				String key = lockKey(call);
				if (key != null && (key.equals(name) || key.startsWith(name + "["))) {
					return true;
				}
			}
		}
		return false;
	}

	private boolean takenIn(Block body, String key) {
		for (var it = body.eAllContents(); it.hasNext();) {
			if (it.next() instanceof BuiltinCall call && Builtins.of(call.getFn()).effect() == Effect.LOCK
					&& key.equals(lockKey(call))) {
				return true;
			}
		}
		return false;
	}

	static BuiltinCall callOf(Statement statement) {
		EObject e = statement instanceof CallStatement c ? c.getCall()
				: statement instanceof Let l ? l.getValue() : null;
		return e instanceof BuiltinCall b ? b : null;
	}

	/** "mdevice_lock", or "vm_lock[vm]" for one lock of an array. */
	static String lockKey(BuiltinCall call) {
		if (call.getArgs().isEmpty() || !(call.getArgs().get(0) instanceof SymbolRef ref)) {
			return null;
		}
		if (!(ref.getSymbol() instanceof Lock lock) || lock.eIsProxy()) {
			return null;
		}
		return ref.getIndex() == null ? lock.getName() : lock.getName() + "[" + Bodies.text(ref.getIndex()) + "]";
	}
}
