package org.pgmap.dsl.validation;

import java.util.List;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.IntLiteral;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FieldWrite;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.PageField;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Symbol;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.Actors;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.dsl.semantics.Builtins.Signature;
import org.pgmap.dsl.semantics.Kind;
import org.pgmap.dsl.semantics.Kinds;

/** Calls get the number and kinds of arguments their kernel function takes; names are used as what they are. */
public class KindValidator extends AbstractDeclarativeValidator {

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into PgmapValidator
	}

	@Check
	public void checkBuiltinCall(BuiltinCall call) {
		Signature sig = Builtins.of(call.getFn());
		String fn = call.getFn().getLiteral();
		List<Expression> args = call.getArgs();
		if (args.size() != sig.params().size()) {
			error(fn + " takes " + count(sig.params().size()) + ", not " + args.size(), call, Literals.BUILTIN_CALL__FN,
					IssueCodes.WRONG_ARITY);
			return;
		}
		for (int i = 0; i < args.size(); i++) {
			Kind want = sig.params().get(i);
			Kind got = Kinds.of(args.get(i));
			if (!want.accepts(got)) {
				error(fn + " needs " + want.phrase() + " here, but " + describe(args.get(i)) + " is " + got.phrase(),
						args.get(i), null, IssueCodes.WRONG_KIND);
			}
		}
		EObject container = call.eContainer();
		if (container instanceof Let let && let.getValue() == call && sig.result() == Kind.NOTHING) {
			error(fn + " returns nothing to assign to " + let.getName(), call, Literals.BUILTIN_CALL__FN,
					IssueCodes.WRONG_KIND);
		}
	}

	@Check
	public void checkElse(Let let) {
		if (let.getOrElse() != null && !mayFail(let.getValue())) {
			error("else runs when a call fails, but " + describe(let.getValue()) + " cannot fail", let,
					Literals.LET__OR_ELSE, IssueCodes.ELSE_NOT_ALLOWED);
		}
	}

	@Check
	public void checkElse(CallStatement statement) {
		if (statement.getOrElse() != null && !mayFail(statement.getCall())) {
			error("else runs when a call fails, but " + describe(statement.getCall()) + " cannot fail", statement,
					Literals.CALL_STATEMENT__OR_ELSE, IssueCodes.ELSE_NOT_ALLOWED);
		}
	}

	private static boolean mayFail(EObject e) {
		return (e instanceof BuiltinCall b && Builtins.of(b.getFn()).mayFail()) || e instanceof ProcCall;
	}

	@Check
	public void checkProcCall(ProcCall call) {
		Procedure proc = Actors.procedure(call);
		if (proc == null) {
			return; // an actor's parameter: the procedure a scenario gives it is checked there
		}
		if (call.getArgs().size() != proc.getParams().size()) {
			error(proc.getName() + " takes " + count(proc.getParams().size()) + ", not " + call.getArgs().size(), call,
					Literals.PROC_CALL__PROC, IssueCodes.WRONG_ARITY);
		}
	}

	@Check
	public void checkSymbolRef(SymbolRef ref) {
		Symbol symbol = ref.getSymbol();
		if (symbol == null || symbol.eIsProxy()) {
			return;
		}
		if (symbol instanceof Lock lock) {
			if (lock.getCount() > 0 && ref.getIndex() == null) {
				error(lock.getName() + " is an array of " + lock.getCount() + " locks: name one, " + lock.getName() + "[i]",
						ref, Literals.SYMBOL_REF__SYMBOL, IssueCodes.WRONG_KIND);
			}
			if (lock.getCount() == 0 && ref.getIndex() != null) {
				error(lock.getName() + " is a single lock, not an array", ref, Literals.SYMBOL_REF__INDEX,
						IssueCodes.WRONG_KIND);
			}
		} else if (ref.getIndex() != null) {
			error(symbol.getName() + " is " + Kinds.of(symbol).phrase() + ", not an array of locks", ref,
					Literals.SYMBOL_REF__INDEX, IssueCodes.WRONG_KIND);
		}
		if (Kinds.field(ref) != null && !Kind.PAGE.accepts(Kinds.of(symbol))) {
			error(symbol.getName() + " is " + Kinds.of(symbol).phrase() + ": only a page has ->"
					+ ref.getField().getLiteral(), ref, Literals.SYMBOL_REF__FIELD, IssueCodes.WRONG_KIND);
		}
	}

	@Check
	public void checkFieldWrite(FieldWrite write) {
		Symbol target = write.getTarget();
		if (target != null && !target.eIsProxy() && !Kind.PAGE.accepts(Kinds.of(target))) {
			error(target.getName() + " is " + Kinds.of(target).phrase() + ": only a page has ->"
					+ write.getField().getLiteral(), write, Literals.FIELD_WRITE__TARGET, IssueCodes.WRONG_KIND);
		}
		if (write.getField() == PageField.PGMAP) {
			error("page->pgmap is set by memremap_pages() and constant afterwards; a write clobbers it (R10)", write,
					Literals.FIELD_WRITE__FIELD, IssueCodes.PGMAP_FIELD_WRITE);
		}
	}

	@Check
	public void checkReturn(Return ret) {
		if (ret.getValue() == null || ret.getValue() instanceof IntLiteral) {
			if (ret.getValue() != null && EcoreUtil2.getContainerOfType(ret, Procedure.class) == null) {
				error("a thread returns nothing: use a plain 'return'", ret, Literals.RETURN__VALUE, IssueCodes.MISPLACED);
			}
			return;
		}
		if (EcoreUtil2.getContainerOfType(ret, Alloc.class) == null) {
			error("only an alloc procedure returns a page; a proc returns 0 (failure) or 1, or nothing", ret,
					Literals.RETURN__VALUE, IssueCodes.MISPLACED);
		}
	}

	@Check
	public void checkRepeat(Repeat repeat) {
		if (EcoreUtil2.getContainerOfType(repeat, Core.class) != null && EcoreUtil2.getContainerOfType(repeat, Actor.class) == null) {
			error("repeat belongs in a driver's procedure or a scenario's thread, not in the core", repeat, null,
					IssueCodes.MISPLACED);
		}
	}

	@Check
	public void checkLockOwns(Lock lock) {
		Pagemap owned = lock.getOwns();
		if (owned != null && !owned.eIsProxy() && lock.getCount() > 1 && lock.getCount() != owned.getPages()) {
			error(lock.getName() + "[" + lock.getCount() + "] owns pagemap " + owned.getName() + " of " + owned.getPages()
					+ " pages: lock i owns page i, so give the array " + owned.getPages() + " locks (or one lock for every page)",
					lock, Literals.LOCK__OWNS, IssueCodes.WRONG_KIND);
		}
	}

	@Check
	public void checkKzalloc(BuiltinCall call) {
		if (call.getFn() == Builtin.KZALLOC && call.getArgs().size() == 1 && call.getArgs().get(0) instanceof SymbolRef ref
				&& ref.getSymbol() instanceof DriverObject o && o.getCount() <= 0) {
			error("kzalloc hands out an instance of an object array: declare 'object " + o.getName()
					+ "[N]' for N allocations", ref, null, IssueCodes.WRONG_KIND);
		}
	}

	@Check
	public void checkOpCallElse(OpCall call) {
		if (call.getOrElse() != null && call.getRole() == OpRole.MIGRATE_TO_RAM) {
			warning("else runs when the pagemap's driver has no such op", call, Literals.OP_CALL__OR_ELSE,
					IssueCodes.ELSE_NOT_ALLOWED);
		}
	}

	@Check
	public void checkOpCall(OpCall call) {
		if (EcoreUtil2.getContainerOfType(call, Core.class) == null || EcoreUtil2.getContainerOfType(call, Actor.class) != null) {
			error("'call " + call.getRole().getLiteral() + "' is how the core invokes the driver's op; "
					+ "a driver, thread or actor calls its procedure by name", call, null, IssueCodes.MISPLACED);
		}
	}

	private static String count(int n) {
		return n == 0 ? "no arguments" : n == 1 ? "1 argument" : n + " arguments";
	}

	private static String describe(EObject e) {
		if (e instanceof SymbolRef ref && ref.getSymbol() != null && !ref.getSymbol().eIsProxy()) {
			return "'" + Bodies.text(e) + "'";
		}
		if (e instanceof Statement || e instanceof Expression) {
			return "'" + Bodies.text(e) + "'";
		}
		return "it";
	}
}
