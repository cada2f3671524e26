package org.pgmap.dsl.ide.editor;

import org.eclipse.emf.ecore.EObject;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.Bookkeeping;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.GenPool;
import org.pgmap.dsl.pgmap.Helper;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.LockKind;
import org.pgmap.dsl.pgmap.Op;
import org.pgmap.dsl.pgmap.Owns;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.Proc;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.SpecHeader;
import org.pgmap.dsl.pgmap.Var;

/** What each kind of declaration is in the kernel, in one phrase, for the hover on a name. */
final class PgmapMeanings {

	private PgmapMeanings() {
	}

	static String of(EObject o) {
		return switch (o) {
			case Lock l -> (l.getKind() == LockKind.SPINLOCK ? "a spinlock (`spin_lock`/`spin_unlock`)" : "a mutex (`mutex_lock`/`mutex_unlock`)")
					+ (l.getCount() > 0 ? ", one per instance: `" + l.getName() + "[i]`" : "")
					+ (l.getOwns() != null ? "; its holder owns the pages it covers, without a reference" : "");
			case FreeList f -> "a free list of pages linked through `page->" + f.getLink().getLiteral()
					+ "`: `push` publishes a page to every allocating thread, `pop` claims one";
			case Bitmap b -> "a bitmap of the pagemap's pages: `alloc_bit` claims a page, `clear_bit` publishes it";
			case GenPool g -> "a `gen_pool` of the pagemap's pages: `gen_pool_alloc` claims a page, `gen_pool_free` publishes it";
			case Bookkeeping b -> "the driver's own record of which pages are free: `claim_page`, `release_page` (it publishes nothing)";
			case DriverObject d -> "a driver object" + (d.getKref() > 0 ? " with a kref" : "")
					+ (d.getCount() > 0 ? "; `kzalloc` hands out its " + d.getCount() + " instances" : "");
			case Var v -> "a driver variable (a flag such as `chunk->remove`), " + v.getValue() + " at the start";
			case Owns w -> "the driver's code owns the pagemap's pages (it sets them up itself)";
			case Pagemap p -> "a `struct dev_pagemap` of type " + p.getType().getLiteral() + " with " + p.getPages() + " page"
					+ (p.getPages() == 1 ? "" : "s") + (p.getDriver() != null ? "; its `dev_pagemap_ops` are its driver's ops" : "; no ops");
			case Driver d -> "a driver: its locks, page pools, allocators and `dev_pagemap_ops`";
			case Core c -> "the core-mm side of a kernel era: the idle and hand-off refcounts, `init` and `final_put`"
					+ (c.getTitle() != null ? " (" + c.getTitle() + ")" : "");
			case Alloc a -> "an allocator: it claims a page and hands it to its caller (R4: at the era's hand-off count)";
			case Op op -> PgmapHoverService.role(op.getRole()).replaceFirst("^`[^`]*`: ", "");
			case Proc p -> "a procedure of the driver (an error path, a fault path)";
			case Helper h -> "a core function drivers call";
			case org.pgmap.dsl.pgmap.Actor a -> "one of the kernel's callers of a driver, written once per era"
					+ (a.getTitle() != null ? " (" + a.getTitle() + ")" : "") + "; a scenario runs it with `thread NAME = " + a.getName() + "(...)`";
			case Param p -> "a parameter";
			case Let l -> "a variable";
			case Scenario s -> "a scenario: its threads run in every interleaving";
			case org.pgmap.dsl.pgmap.Thread t -> (t.getCount() > 0 ? t.getCount() + " identical threads" : "a thread")
					+ (t.getActor() != null && !t.getActor().eIsProxy() ? " running the core's actor `" + t.getActor().getName() + "`"
							+ (t.getActor().getTitle() != null ? " (" + t.getActor().getTitle() + ")" : "") : "");
			case SpecHeader h -> "the spec" + (h.getTitle() != null ? ": " + h.getTitle() : "");
			case null, default -> "";
		};
	}
}
