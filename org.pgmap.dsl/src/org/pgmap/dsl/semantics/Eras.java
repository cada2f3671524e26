package org.pgmap.dsl.semantics;

import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.Condition;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.ModeLiteral;
import org.pgmap.dsl.pgmap.TypeLiteral;
import org.pgmap.dsl.pgmap.IdleRule;
import org.pgmap.dsl.pgmap.InitMode;
import org.pgmap.dsl.pgmap.ModeSelector;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.Selector;
import org.pgmap.dsl.pgmap.TypeSelector;

/** What a core says about the pages of one pagemap: idle refcount, hand-off count, free threshold. */
public final class Eras {
	private Eras() {
	}

	/** The idle refcount of a free page of this pagemap under this core, or null if no rule matches. */
	public static Integer idleRefcount(Core core, Pagemap pagemap) {
		for (IdleRule rule : core.getIdle()) {
			if (rule.getSelectors().isEmpty()) {
				return rule.getValue();
			}
			for (Selector s : rule.getSelectors()) {
				if (s instanceof TypeSelector t && t.getType() == pagemap.getType()) {
					return rule.getValue();
				}
				if (s instanceof ModeSelector m && m.getMode() == initMode(pagemap)) {
					return rule.getValue();
				}
			}
		}
		return null;
	}

	/**
	 * Decides a test of page_type(page) or page_init_mode(page) against a constant for the pages
	 * of one pagemap; null when the condition is about something else.
	 */
	public static Boolean decide(Condition condition, Pagemap pagemap) {
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

	/** The pagemap's init_mode; INIT_PAGEMAP_BUSY when not given (Dan's v2 default). */
	public static InitMode initMode(Pagemap pagemap) {
		return pagemap.eIsSet(Literals.PAGEMAP__MODE) ? pagemap.getMode() : InitMode.INIT_PAGEMAP_BUSY;
	}

	/** The refcount the allocator hands a page to its first user with (R4): 1, or 2 in v5.17. */
	public static int handoffRefcount(Core core) {
		return core.eIsSet(Literals.CORE__HANDOFF) ? core.getHandoff() : 1;
	}

	/** The count at which put_page runs final_put: 0, or 1 before v5.18. */
	public static int finalPutAt(Core core) {
		return core.getFinalAt();
	}
}
