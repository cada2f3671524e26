package org.pgmap.dsl.semantics;

import java.util.List;

import org.eclipse.emf.ecore.EObject;

import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.Condition;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.ModeLiteral;
import org.pgmap.dsl.pgmap.TypeLiteral;
import org.pgmap.dsl.pgmap.FinalPutRule;
import org.pgmap.dsl.pgmap.HandoffRule;
import org.pgmap.dsl.pgmap.IdleRule;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.HookKind;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.InitMode;
import org.pgmap.dsl.pgmap.ModeSelector;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Selector;
import org.pgmap.dsl.pgmap.TypeSelector;

/** What a core says about the pages of one pagemap: idle refcount, hand-off count, free threshold. */
public final class Eras {
	private Eras() {
	}

	/** The idle refcount of a free page of this pagemap under this core, or null if no rule matches. */
	public static Integer idleRefcount(Core core, Pagemap pagemap) {
		for (IdleRule rule : core.getIdle()) {
			if (matches(rule.getSelectors(), pagemap)) {
				return rule.getValue();
			}
		}
		return null;
	}

	/** Whether a rule's selectors ("for MEMORY_DEVICE_FS_DAX, init_mode INIT_PAGEMAP_IDLE") take in this pagemap; none take in all. */
	static boolean matches(List<Selector> selectors, Pagemap pagemap) {
		if (selectors.isEmpty()) {
			return true;
		}
		for (Selector s : selectors) {
			if (s instanceof TypeSelector t && t.getType() == pagemap.getType()) {
				return true;
			}
			if (s instanceof ModeSelector m && m.getMode() == initMode(pagemap)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Decides a test of page_type(page) or page_init_mode(page) against a constant for the pages
	 * of one pagemap; null when the condition is about something else.
	 */
	public static Boolean decide(Condition condition, Pagemap pagemap) {
		if (condition.getRight() == null && condition.getLeft() instanceof BuiltinCall has
				&& has.getFn() == Builtin.HAS_PAGE_FREE) {
			Driver d = pagemap.getDriver();
			boolean present = d != null && !d.eIsProxy() && d.getMembers().stream().anyMatch(
					m -> m instanceof org.pgmap.dsl.pgmap.Op op && (op.getRole() == OpRole.PAGE_FREE || op.getRole() == OpRole.FOLIO_FREE));
			return condition.isNegated() ? !present : present;
		}
		if (condition.getRight() == null || !(condition.getLeft() instanceof BuiltinCall call)) {
			return null;
		}
		Boolean equal = null;
		if (call.getFn() == Builtin.PAGE_TYPE && condition.getRight() instanceof TypeLiteral t) {
			equal = t.getType() == pagemap.getType();
		} else if (call.getFn() == Builtin.PAGE_INIT_MODE && condition.getRight() instanceof ModeLiteral m) {
			equal = m.getMode() == initMode(pagemap);
		}
		if (equal == null) {
			return null;
		}
		boolean result = switch (condition.getOp()) {
		case EQ -> equal;
		case NE -> !equal;
		default -> false;
		};
		return condition.isNegated() ? !result : result;
	}

	/**
	 * Whether the core's final_put can call the driver's page_free (or folio_free) for pages of
	 * this pagemap: its tests of page_type / page_init_mode decided for the pagemap. Where it does,
	 * page_free is the proof that a page is free again (R5); where it does not (FS_DAX in v6.15,
	 * GENERIC), the driver's own put-back after the last reference is.
	 */
	public static boolean callsPageFree(Core core, Pagemap pagemap) {
		for (Hook hook : core.getHooks()) {
			if (hook.getKind() == HookKind.FINAL_PUT && reachesPageFree(hook.getBody(), pagemap)) {
				return true;
			}
		}
		return false;
	}

	private static boolean reachesPageFree(EObject e, Pagemap pagemap) {
		return walk(e, pagemap) >= 2;
	}

	/**
	 * Walks a hook's statements with the page_type / init_mode / has_page_free tests decided:
	 * 0 falls through without calling page_free, 1 always leaves first (return), 2 calls it.
	 */
	private static int walk(EObject e, Pagemap pagemap) {
		if (e == null) {
			return 0;
		}
		if (e instanceof OpCall call) {
			return call.getRole() == OpRole.PAGE_FREE || call.getRole() == OpRole.FOLIO_FREE ? 2 : 0;
		}
		if (e instanceof Return) {
			return 1;
		}
		if (e instanceof Block block) {
			for (Statement st : block.getStatements()) {
				int r = walk(st, pagemap);
				if (r != 0) {
					return r;
				}
			}
			return 0;
		}
		if (e instanceof If i) {
			Boolean decided = decide(i.getCond(), pagemap);
			int then = decided == Boolean.FALSE ? -1 : walk(i.getThen(), pagemap);
			EObject otherwise = i.getElseIf() != null ? i.getElseIf() : i.getElse();
			int other = decided == Boolean.TRUE ? -1 : walk(otherwise, pagemap);
			if (then == 2 || other == 2) {
				return 2;
			}
			boolean thenLeaves = then == 1 || then == -1;
			boolean otherLeaves = other == 1 || other == -1;
			return thenLeaves && otherLeaves && !(then == -1 && other == -1) ? 1 : 0;
		}
		for (EObject child : e.eContents()) {
			if (walk(child, pagemap) == 2) {
				return 2;
			}
		}
		return 0;
	}

	/** The pagemap's init_mode; INIT_PAGEMAP_BUSY when not given (Dan's v2 default). */
	public static InitMode initMode(Pagemap pagemap) {
		return pagemap.eIsSet(Literals.PAGEMAP__MODE) ? pagemap.getMode() : InitMode.INIT_PAGEMAP_BUSY;
	}

	/** The refcount the allocator hands a page of this pagemap to its first user with (R4): 1, or 2 in v5.17. */
	public static int handoffRefcount(Core core, Pagemap pagemap) {
		for (HandoffRule rule : core.getHandoffs()) {
			if (matches(rule.getSelectors(), pagemap)) {
				return rule.getValue();
			}
		}
		return 1;
	}

	/** The count at which put_page runs final_put for a page of this pagemap: 0, or 1 before v5.18 (and for FS_DAX before v6.15). */
	public static int finalPutAt(Core core, Pagemap pagemap) {
		for (FinalPutRule rule : core.getFinals()) {
			if (matches(rule.getSelectors(), pagemap)) {
				return rule.getValue();
			}
		}
		return 0;
	}
}
