package org.pgmap.dsl.ide.editor;

import java.util.stream.Collectors;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.Bookkeeping;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.FinalPutRule;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.GenPool;
import org.pgmap.dsl.pgmap.HandoffRule;
import org.pgmap.dsl.pgmap.Helper;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.IdleRule;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.ModeSelector;
import org.pgmap.dsl.pgmap.Op;
import org.pgmap.dsl.pgmap.Owns;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Proc;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.Selector;
import org.pgmap.dsl.pgmap.SpecHeader;
import org.pgmap.dsl.pgmap.TypeSelector;
import org.pgmap.dsl.pgmap.Var;

import com.google.inject.Singleton;

/**
 * What the outline shows of a spec (LSP document symbols, and through them the Eclipse Outline):
 * the spec, its cores with their rules, hooks and helpers, its pagemaps, its drivers with their
 * locks, pools, objects, variables, allocators, ops and procedures, and its scenarios with their
 * threads. Each symbol's name is what the declaration names (a lock array {@code vm_lock[2]},
 * a hook {@code final_put}); its detail is the keyword it is declared with ({@code spinlock},
 * {@code op page_free}, {@code on}), so "detail name" reads as the source does. Statements,
 * parameters and variables are not in the outline.
 */
public final class PgmapSymbols {

	private PgmapSymbols() {
	}

	/** A declaration as the outline shows it. */
	public record Info(String name, SymbolKind kind, String detail) {
		/** "detail name", as the declaration starts in the source: {@code op page_free dmirror_devmem_free}. */
		public String label() {
			return detail.isEmpty() ? name : detail + " " + name;
		}
	}

	/** The outline entry of an element, or null when it has none. */
	public static Info of(EObject o) {
		return switch (o) {
			case SpecHeader h -> new Info(h.getName(), SymbolKind.File, "spec");
			case Core c -> new Info(c.getName(), SymbolKind.Namespace, "core");
			case IdleRule r -> new Info("idle refcount " + r.getValue() + selectors(r.getSelectors()), SymbolKind.Constant, "");
			case HandoffRule r -> new Info("handoff refcount " + r.getValue() + selectors(r.getSelectors()), SymbolKind.Constant, "");
			case FinalPutRule r -> new Info("final put at " + r.getValue() + selectors(r.getSelectors()), SymbolKind.Constant, "");
			case Hook h -> new Info(h.getKind().getLiteral(), SymbolKind.Event, "on");
			case Helper h -> new Info(h.getName(), SymbolKind.Function, "helper");
			case org.pgmap.dsl.pgmap.Actor a -> new Info(a.getName(), SymbolKind.Function, "actor");
			case Pagemap p -> new Info(p.getName(), SymbolKind.Struct, "pagemap");
			case Driver d -> new Info(d.getName(), SymbolKind.Class, "driver");
			case Lock l -> new Info(l.getName() + array(l.getCount()), SymbolKind.Key, l.getKind().getLiteral());
			case FreeList f -> new Info(f.getName(), SymbolKind.Array, "freelist");
			case Bitmap b -> new Info(b.getName(), SymbolKind.Array, "bitmap");
			case GenPool g -> new Info(g.getName(), SymbolKind.Array, "gen_pool");
			case Bookkeeping b -> new Info(b.getName(), SymbolKind.Array, "bookkeeping");
			case DriverObject d -> new Info(d.getName() + array(d.getCount()), SymbolKind.Object, "object");
			case Var v -> new Info(v.getName(), SymbolKind.Variable, "var");
			case Owns w -> new Info(w.getPagemap() == null || w.getPagemap().eIsProxy() ? "?" : w.getPagemap().getName(),
					SymbolKind.Property, "owner of");
			case Alloc a -> new Info(a.getName(), SymbolKind.Function, "alloc");
			case Op op -> new Info(op.getName(), SymbolKind.Method, "op " + op.getRole().getLiteral());
			case Proc p -> new Info(p.getName(), SymbolKind.Function, "proc");
			case Scenario s -> new Info(s.getName(), SymbolKind.Module, "scenario");
			case org.pgmap.dsl.pgmap.Thread t -> new Info(t.getName() + array(t.getCount())
					+ (t.getActor() != null && !t.getActor().eIsProxy() ? " = " + t.getActor().getName() : ""), SymbolKind.Function, "thread");
			case null, default -> null;
		};
	}

	private static String array(int count) {
		return count > 0 ? "[" + count + "]" : "";
	}

	private static String selectors(java.util.List<Selector> selectors) {
		if (selectors.isEmpty()) {
			return "";
		}
		return " for " + selectors.stream().map(s -> s instanceof TypeSelector t ? t.getType().getLiteral()
				: s instanceof ModeSelector m ? "init_mode " + m.getMode().getLiteral() : "?").collect(Collectors.joining(", "));
	}

	/** Names only for declarations the outline shows: the document symbol services skip everything else. */
	@Singleton
	public static class Names extends DocumentSymbolMapper.DocumentSymbolNameProvider {
		@Override
		public String getName(EObject object) {
			Info info = of(object);
			// a declaration still being typed may have no name yet: it is left out until it has one
			return info == null || info.name() == null ? null : info.name();
		}
	}

	/** The kind of each declaration, as an LSP client draws it. */
	@Singleton
	public static class Kinds extends DocumentSymbolMapper.DocumentSymbolKindProvider {
		@Override
		public SymbolKind getSymbolKind(EObject object) {
			Info info = of(object);
			return info == null ? null : info.kind();
		}
	}

	/** The keyword each declaration is made with. */
	@Singleton
	public static class Details extends DocumentSymbolMapper.DocumentSymbolDetailsProvider {
		@Override
		public String getDetails(EObject object) {
			Info info = of(object);
			return info == null ? "" : info.detail();
		}
	}
}
