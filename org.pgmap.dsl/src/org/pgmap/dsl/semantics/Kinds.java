package org.pgmap.dsl.semantics;

import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.Bookkeeping;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.GenPool;
import org.pgmap.dsl.pgmap.IntLiteral;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.LockKind;
import org.pgmap.dsl.pgmap.ModeLiteral;
import org.pgmap.dsl.pgmap.NoneLiteral;
import org.pgmap.dsl.pgmap.NullLiteral;
import org.pgmap.dsl.pgmap.PageField;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.PrivateLiteral;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Symbol;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.TypeLiteral;
import org.pgmap.dsl.pgmap.Var;

/** The kind of a name or an expression, for the checks of calls and for the model compiler. */
public final class Kinds {
	private Kinds() {
	}

	/** The field a reference reads ({@code page.mapping}), or null (EMF reports an unset enum as its first literal). */
	public static PageField field(SymbolRef ref) {
		return ref.isDot() ? ref.getField() : null;
	}

	public static Kind of(Symbol symbol) {
		if (symbol == null || symbol.eIsProxy()) {
			return Kind.ANY;
		}
		if (symbol instanceof Lock lock) {
			return lock.getKind() == LockKind.MUTEX ? Kind.MUTEX : Kind.SPINLOCK;
		}
		if (symbol instanceof FreeList) {
			return Kind.FREELIST;
		}
		if (symbol instanceof Bitmap) {
			return Kind.BITMAP;
		}
		if (symbol instanceof GenPool) {
			return Kind.GENPOOL;
		}
		if (symbol instanceof Bookkeeping) {
			return Kind.BOOKKEEPING;
		}
		if (symbol instanceof Var) {
			return Kind.INT;
		}
		if (symbol instanceof DriverObject) {
			return Kind.OBJECT;
		}
		if (symbol instanceof Pagemap) {
			return Kind.PAGEMAP;
		}
		if (symbol instanceof Let let) {
			return of(let.getValue());
		}
		if (symbol instanceof org.pgmap.dsl.pgmap.Param p && Actors.actorOf(p) != null) {
			return Kind.PAGEMAP; // an actor's parameter used as a value: scenarios give it a pagemap
		}
		return Kind.ANY; // a parameter: its kind is that of the argument
	}

	public static Kind of(Expression e) {
		if (e instanceof BuiltinCall call) {
			return Builtins.of(call.getFn()).result();
		}
		if (e instanceof ProcCall call) {
			return call.getProc() instanceof Alloc ? Kind.PAGE : Kind.ANY;
		}
		if (e instanceof SymbolRef ref) {
			if (field(ref) == PageField.PGMAP) {
				return Kind.PAGEMAP;
			}
			if (field(ref) != null) {
				return Kind.ANY;
			}
			return of(ref.getSymbol());
		}
		if (e instanceof IntLiteral) {
			return Kind.INT;
		}
		if (e instanceof TypeLiteral) {
			return Kind.TYPE;
		}
		if (e instanceof ModeLiteral) {
			return Kind.MODE;
		}
		if (e instanceof NullLiteral || e instanceof PrivateLiteral || e instanceof NoneLiteral) {
			return Kind.ANY;
		}
		return Kind.ANY;
	}
}
