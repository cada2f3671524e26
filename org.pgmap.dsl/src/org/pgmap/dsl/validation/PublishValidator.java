package org.pgmap.dsl.validation;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Condition;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.semantics.Eras;
import org.pgmap.dsl.semantics.Kinds;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FieldWrite;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.PageField;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Symbol;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.dsl.semantics.Builtins.Effect;

/**
 * The static form of R2 and R3, before any model checking: once a procedure has published a
 * page (pushed it on a free list, cleared its bit, freed it to a gen_pool, or, in the core,
 * called page_free on it), any other thread may own it, so the procedure must not write or read
 * its mutable state any more. Jason Gunthorpe's review of Dan Williams' v2 16/18 in one check.
 */
public class PublishValidator extends AbstractDeclarativeValidator {

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

	/** A finding of the analysis, reported by the validator or quoted by a spec that uses the core. */
	/** {@code publisher} is the statement that published the page. */
	public record Finding(Statement statement, String message, String code, Statement publisher) {
	}

	private void check(EObject owner) {
		for (Finding f : findings(owner)) {
			// issue data: the line of the statement that published the page (for the quick fix)
			warning(f.message(), f.statement(), null, f.code(), Integer.toString(Bodies.line(f.publisher())));
		}
	}

	/** Published page variable -> the statement that published it. */
	private record Published(Map<Symbol, Statement> pages) {
	}

	public static Set<Finding> findings(EObject owner) {
		return findings(owner, null);
	}

	/**
	 * The findings on the paths a page of {@code pagemap} takes (tests of page_type() and
	 * page_init_mode() are decided for it), or on every path when it is null.
	 */
	public static Set<Finding> findings(EObject owner, Pagemap pagemap) {
		Block body = Bodies.bodyOf(owner);
		Set<Finding> findings = new LinkedHashSet<>();
		if (body == null) {
			return findings;
		}
		PathWalker<Published> walker = new PathWalker<>() {
			@Override
			protected Boolean decide(Condition condition) {
				return pagemap == null ? null : Eras.decide(condition, pagemap);
			}

			@Override
			protected Published step(Statement statement, Published state) {
				for (var it = statement.eAllContents(); it.hasNext();) {
					if (it.next() instanceof SymbolRef ref && Kinds.field(ref) != null
							&& Kinds.field(ref) != PageField.PGMAP && state.pages().containsKey(ref.getSymbol())) {
						findings.add(new Finding(statement, "reads " + ref.getSymbol().getName() + "->"
								+ ref.getField().getLiteral() + " after " + describe(state.pages().get(ref.getSymbol()))
								+ " published it: another thread may own the page now", IssueCodes.READ_AFTER_PUBLISH,
								state.pages().get(ref.getSymbol())));
					}
				}
				Symbol written = null;
				String how = null;
				if (statement instanceof FieldWrite write) {
					written = write.getTarget();
					how = "writes " + (written == null ? "" : written.getName()) + "->" + write.getField().getLiteral();
				}
				BuiltinCall call = LockValidator.callOf(statement);
				if (call != null && !call.getArgs().isEmpty()) {
					Effect effect = Builtins.of(call.getFn()).effect();
					if (effect == Effect.WRITE_PAGE) {
						written = symbol(call.getArgs().get(0));
						how = call.getFn().getLiteral() + " writes the refcount of " + (written == null ? "" : written.getName());
					} else if (effect == Effect.PUBLISH && call.getArgs().size() > 1) {
						Symbol page = symbol(call.getArgs().get(1));
						if (page != null) {
							return publish(state, page, statement);
						}
					}
				}
				if (statement instanceof OpCall op && (op.getRole() == OpRole.PAGE_FREE || op.getRole() == OpRole.FOLIO_FREE)
						&& !op.getArgs().isEmpty()) {
					Symbol page = symbol(op.getArgs().get(0));
					if (page != null) {
						return publish(state, page, statement);
					}
				}
				if (written != null && state.pages().containsKey(written)) {
					findings.add(new Finding(statement, how + " after " + describe(state.pages().get(written))
							+ " published it: another thread may already have allocated the page",
							IssueCodes.WRITE_AFTER_PUBLISH, state.pages().get(written)));
				}
				return state;
			}
		};
		walker.block(body, Set.of(new Published(Map.of())));
		return findings;
	}

	private static Published publish(Published state, Symbol page, Statement statement) {
		Map<Symbol, Statement> next = new LinkedHashMap<>(state.pages());
		next.putIfAbsent(page, statement);
		return new Published(next);
	}

	private static String describe(Statement publisher) {
		return "'" + Bodies.text(publisher) + "' (line " + Bodies.line(publisher) + ")";
	}

	private static Symbol symbol(Expression e) {
		return e instanceof SymbolRef ref && Kinds.field(ref) == null && ref.getSymbol() != null && !ref.getSymbol().eIsProxy()
				? ref.getSymbol() : null;
	}
}
