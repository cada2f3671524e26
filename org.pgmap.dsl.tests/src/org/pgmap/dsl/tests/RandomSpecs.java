package org.pgmap.dsl.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random small driver specs for the reduction soundness test: a pagemap of one to three pages
 * under a random kernel era and type, a driver whose allocator (a free list, a bitmap, or the
 * driver's bookkeeping) and page_free are drawn from correct and racy variants (the founding race
 * among them), and a scenario of one to three threads (often a thread group of identical
 * threads), some starting from a start block, doing random reference, mapping, pin, lock,
 * object, choice and bookkeeping statements on their pages. Most of them are valid specs; the
 * test keeps those.
 */
final class RandomSpecs {

	private static final String[] CORES = { "v5_17", "v6_0", "v6_1", "v6_15", "reorder", "dan_v2" };
	private static final String[] TYPES = { "MEMORY_DEVICE_PRIVATE", "MEMORY_DEVICE_COHERENT", "MEMORY_DEVICE_GENERIC",
			"MEMORY_DEVICE_PCI_P2PDMA" };

	private final Random random;

	RandomSpecs(long seed) {
		this.random = new Random(seed);
	}

	private <T> T pick(T[] xs) {
		return xs[random.nextInt(xs.length)];
	}

	private boolean chance(int percent) {
		return random.nextInt(100) < percent;
	}

	String next(int n) {
		String core = pick(CORES);
		String type = pick(TYPES);
		int pages = 1 + random.nextInt(3);
		int pool = random.nextInt(4); // 0, 1 free list, 2 bitmap, 3 bookkeeping
		boolean objects = chance(30);
		StringBuilder b = new StringBuilder();
		b.append("spec random_").append(n).append(" \"random spec ").append(n).append("\"\n");
		b.append("uses core ").append(core).append("\n\n");
		b.append("pagemap pm type ").append(type).append(" pages ").append(pages);
		if (core.equals("dan_v2")) {
			b.append(chance(50) ? " init_mode INIT_PAGEMAP_IDLE" : " init_mode INIT_PAGEMAP_BUSY");
		}
		b.append(" ops drv\n\n");
		b.append("driver drv {\n\tspinlock lk\n\tspinlock lk2\n\tvar flag = 0\n");
		if (objects) {
			b.append("\tobject obj[2]\n");
		}
		String take;
		String put;
		switch (pool) {
		case 2 -> {
			b.append("\tbitmap free_bits of pm guarded by lk\n\n");
			take = "page = alloc_bit(free_bits) else {";
			put = "clear_bit(free_bits, page)";
		}
		case 3 -> {
			b.append("\tbookkeeping free_ranges of pm guarded by lk\n\n");
			take = "claim_page(free_ranges, page) else {";
			put = "release_page(free_ranges, page)";
		}
		default -> {
			b.append("\tfreelist free_pages linked by zone_device_data guarded by lk holds pm\n\n");
			take = "page = pop(free_pages) else {";
			put = "push(free_pages, page)";
		}
		}
		// allocation: bookkeeping takes the page of an address, the pools take any
		boolean lockedAlloc = !chance(10);
		b.append(pool == 3 ? "\talloc get_one(page) {\n" : "\talloc get_one() {\n");
		if (lockedAlloc) {
			b.append("\t\tspin_lock(lk)\n");
		}
		b.append("\t\t").append(take).append('\n');
		if (lockedAlloc) {
			b.append("\t\t\tspin_unlock(lk)\n");
		}
		b.append("\t\t\treturn none\n\t\t}\n");
		if (chance(15)) { // a failing second step gives the page back untouched
			b.append("\t\teither {\n\t\t} or {\n\t\t\t").append(put).append('\n');
			if (lockedAlloc) {
				b.append("\t\t\tspin_unlock(lk)\n");
			}
			b.append("\t\t\treturn none\n\t\t}\n");
		}
		if (lockedAlloc) {
			b.append("\t\tspin_unlock(lk)\n");
		}
		switch (random.nextInt(5)) {
		case 0 -> b.append(core.startsWith("v6_1") ? "\t\tzone_device_page_init(page)\n" : "\t\tlock_page(page)\n");
		case 1 -> b.append("\t\tlock_page(page)\n");
		case 2 -> b.append("\t\tset_page_count(page, 1)\n\t\tlock_page(page)\n");
		case 3 -> b.append("\t\tget_page(page)\n\t\tlock_page(page)\n");
		default -> b.append("\t\tpgmap_get(page.pgmap)\n\t\tset_page_count(page, 1)\n\t\tlock_page(page)\n");
		}
		if (pool != 3 && chance(30)) {
			b.append("\t\tpage.zone_device_data = private\n");
		}
		b.append("\t\treturn page\n\t}\n\n");
		// page_free
		b.append("\top page_free free_one(page) {\n");
		switch (random.nextInt(6)) {
		case 0, 1 -> b.append("\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n");
		case 2 -> b.append("\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n\t\tset_page_count(page, 1)\n");
		case 3 -> b.append("\t\tset_page_count(page, 1)\n\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n");
		case 4 -> b.append("\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n\t\tflag = 1\n");
		default -> b.append("\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n");
		}
		b.append("\t}\n\n\top migrate_to_ram fault(page) {\n\t}\n}\n\n");
		// scenario
		b.append("scenario s {\n");
		int kinds = 1 + random.nextInt(2);
		int threads = 0;
		for (int k = 0; k < kinds && threads < 3; k++) {
			int count = chance(60) ? 2 + random.nextInt(2) : 1;
			count = Math.min(count, 3 - threads);
			threads += count;
			b.append("\tthread t").append(k).append(count > 1 ? "[" + count + "]" : "").append(" {\n");
			b.append(body(pool == 3, objects, k % pages));
			b.append("\t}\n");
		}
		if (chance(20) && threads < 3) { // a pfn walker
			b.append("\tthread walker {\n\t\tw = any_page(pm)\n\t\tget_page_unless_zero(w) else return\n\t\tput_page(w)\n\t}\n");
		}
		// the other roles whose steps the partial-order reduction must not reorder wrongly: a walker
		// of one pfn, one that walks it holding the free list's lock, an unmapper, teardown, a thread
		// taking both locks
		int extra = threads < 4 ? random.nextInt(8) : 7;
		switch (extra) {
		case 0 -> b.append("\tthread pfn_walker {\n\t\tw = pfn_to_page(pm, 0)\n\t\tget_page_unless_zero(w) else return\n\t\tput_page(w)\n\t}\n");
		case 1 -> b.append("\tthread locked_walker {\n\t\tspin_lock(lk)\n\t\tw = pfn_to_page(pm, 0)\n\t\tget_page_unless_zero(w) else {\n\t\t\tspin_unlock(lk)\n\t\t\treturn\n\t\t}\n\t\tspin_unlock(lk)\n\t\tput_page(w)\n\t}\n");
		case 2 -> b.append("\tthread zap {\n\t\tz = pfn_to_page(pm, 0)\n\t\tunmap_mapping_range(z)\n\t}\n");
		case 3 -> b.append("\tthread teardown {\n\t\tmemunmap_pages(pm)\n\t}\n");
		case 4 -> b.append("\tthread nested {\n\t\tspin_lock(lk2)\n\t\tspin_lock(lk)\n\t\tflag = 2\n\t\tspin_unlock(lk)\n\t\tspin_unlock(lk2)\n\t}\n");
		default -> {
		}
		}
		b.append("}\n");
		return b.toString();
	}

	private String body(boolean bookkeeping, boolean objects, int k) {
		List<String> lines = new ArrayList<>();
		String alloc = bookkeeping ? "p = get_one(pfn_to_page(pm, " + k + ")) else return" : "p = get_one() else return";
		boolean start = chance(25);
		int refs = 1; // the allocation's reference
		int maps = 0;
		boolean locked = true; // every allocation variant returns the page locked
		if (start) {
			lines.add("start {\n\t\t\t" + alloc + "\n\t\t\tunlock_page(p)\n\t\t}");
			locked = false;
		} else {
			lines.add(alloc);
		}
		int n = random.nextInt(5);
		for (int i = 0; i < n; i++) {
			switch (random.nextInt(20)) {
			case 0 -> {
				lines.add("get_page(p)");
				refs++;
			}
			case 1 -> {
				if (refs > 1 || chance(20)) {
					lines.add("put_page(p)");
					refs--;
				}
			}
			case 2 -> {
				if (locked) {
					lines.add("unlock_page(p)");
					locked = false;
				} else {
					lines.add("lock_page(p)");
					locked = true;
				}
			}
			case 3 -> lines.add("x" + i + " = 1\n\t\tif x" + i + " == 1 {\n\t\t\ty" + i + " = p\n\t\t}\n\t\tx" + i + " = 2");
			case 4 -> lines.add("q" + i + " = p\n\t\tif q" + i + " == p {\n\t\t\tz" + i + " = 2\n\t\t}");
			case 5 -> lines.add("atomic {\n\t\t\tget_page(p)\n\t\t\tput_page(p)\n\t\t}");
			case 6 -> lines.add("if page_ref_count(p) > 5 {\n\t\t\twarn \"too many\"\n\t\t}");
			case 7 -> lines.add("either {\n\t\t\twake_up_var(p)\n\t\t} or {\n\t\t\taccess(p)\n\t\t}");
			case 8 -> {
				lines.add("get_page_unless_zero(p) else return");
				refs++;
			}
			case 9 -> {
				lines.add("vm_insert_page(p) else {\n\t\t\taccess(p)\n\t\t}");
				maps++;
			}
			case 10 -> {
				if (maps > 0) {
					lines.add("unmap_page(p)");
					maps--;
				}
			}
			case 11 -> lines.add("pin_user_pages(p) else {\n\t\t\tflag = 2\n\t\t}\n\t\tif page_mapped(p) {\n\t\t\taccess(p)\n\t\t}");
			case 12 -> {
				if (objects) {
					lines.add("o" + i + " = kzalloc(obj) else return\n\t\tkref_init(o" + i + ")\n\t\tkref_get(o" + i + ")\n\t\tkref_put(o" + i
							+ ")\n\t\tif kref_put(o" + i + ") {\n\t\t\tkfree(o" + i + ")\n\t\t}");
				}
			}
			case 13 -> lines.add("if flag == 1 {\n\t\t\tflag = 0\n\t\t}");
			case 14 -> lines.add("wait_var_event(p, page_ref_count(p) >= 0)");
			case 16 -> lines.add("spin_lock(lk2)\n\t\tget_page(p)\n\t\tspin_unlock(lk2)\n\t\tput_page(p)");
			case 17 -> lines.add("spin_lock(lk)\n\t\taccess(p)\n\t\tspin_unlock(lk)");
			case 18 -> lines.add("pgmap_get(p.pgmap)\n\t\taccess(p)\n\t\tpgmap_put(p.pgmap)");
			default -> lines.add("n" + i + " = 2\n\t\trepeat 2 {\n\t\t\tn" + i + " = 3\n\t\t}");
			}
		}
		if (locked && !chance(10)) {
			lines.add("unlock_page(p)");
		}
		while (refs > 0 && !chance(8)) {
			lines.add("put_page(p)");
			refs--;
		}
		while (maps > 0 && !chance(20)) {
			lines.add("unmap_page(p)");
			maps--;
		}
		StringBuilder b = new StringBuilder();
		for (String l : lines) {
			b.append("\t\t").append(l).append('\n');
		}
		return b.toString();
	}
}
