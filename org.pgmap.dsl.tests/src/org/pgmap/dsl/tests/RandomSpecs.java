package org.pgmap.dsl.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random small driver specs for the reduction soundness test: a pagemap of one to three pages
 * under a random kernel era and type, a driver whose allocation and page_free paths are drawn
 * from correct and racy variants (the founding race among them), and a scenario of one to three
 * threads (often a thread group of identical threads) doing random reference, lock and
 * bookkeeping statements on their pages. Most of them are valid specs; the test keeps those.
 */
final class RandomSpecs {

	private static final String[] CORES = { "v5_17", "v6_0", "v6_1", "v6_15", "reorder", "dan_v2" };
	private static final String[] TYPES = { "MEMORY_DEVICE_PRIVATE", "MEMORY_DEVICE_COHERENT", "MEMORY_DEVICE_GENERIC" };

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
		boolean bitmap = chance(25);
		StringBuilder b = new StringBuilder();
		b.append("spec random_").append(n).append(" \"random spec ").append(n).append("\"\n");
		b.append("uses core ").append(core).append("\n\n");
		b.append("pagemap pm type ").append(type).append(" pages ").append(pages);
		if (core.equals("dan_v2")) {
			b.append(chance(50) ? " init INIT_PAGEMAP_IDLE" : " init INIT_PAGEMAP_BUSY");
		}
		b.append(" ops drv\n\n");
		b.append("driver drv {\n\tspinlock lk\n");
		if (bitmap) {
			b.append("\tbitmap free_bits guarded by lk holds pm\n\n");
		} else {
			b.append("\tfreelist free_pages linked by zone_device_data guarded by lk holds pm\n\n");
		}
		// allocation
		boolean lockedAlloc = !chance(10);
		b.append("\talloc get_one() {\n");
		if (lockedAlloc) {
			b.append("\t\tspin_lock(lk)\n");
		}
		b.append("\t\tpage = ").append(bitmap ? "alloc_bit(free_bits)" : "pop(free_pages)").append(" else {\n");
		if (lockedAlloc) {
			b.append("\t\t\tspin_unlock(lk)\n");
		}
		b.append("\t\t\treturn none\n\t\t}\n");
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
		if (!bitmap && chance(30)) {
			b.append("\t\tpage.zone_device_data = private\n");
		}
		b.append("\t\treturn page\n\t}\n\n");
		// page_free
		String put = bitmap ? "clear_bit(free_bits, page)" : "push(free_pages, page)";
		b.append("\top page_free free_one(page) {\n");
		switch (random.nextInt(5)) {
		case 0, 1 -> b.append("\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n");
		case 2 -> b.append("\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n\t\tset_page_count(page, 1)\n");
		case 3 -> b.append("\t\tset_page_count(page, 1)\n\t\tspin_lock(lk)\n\t\t").append(put).append("\n\t\tspin_unlock(lk)\n");
		default -> b.append("\t\t").append(put).append("\n");
		}
		b.append("\t}\n}\n\n");
		// scenario
		b.append("scenario s {\n");
		int kinds = 1 + random.nextInt(2);
		int threads = 0;
		for (int k = 0; k < kinds && threads < 3; k++) {
			int count = chance(60) ? 2 + random.nextInt(2) : 1;
			count = Math.min(count, 3 - threads);
			threads += count;
			b.append("\tthread t").append(k).append(count > 1 ? "[" + count + "]" : "").append(" {\n");
			b.append(body());
			b.append("\t}\n");
		}
		b.append("}\n");
		return b.toString();
	}

	private String body() {
		List<String> lines = new ArrayList<>();
		lines.add("p = get_one() else return");
		int refs = 1; // the allocation's reference
		boolean locked = true; // every allocation variant returns the page locked
		int n = random.nextInt(5);
		for (int i = 0; i < n; i++) {
			switch (random.nextInt(10)) {
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
			case 3 -> lines.add("x" + i + " = 1\n\t\tif x" + i + " == 1 {\n\t\t\ty" + i + " = p\n\t\t}");
			case 4 -> lines.add("q" + i + " = p\n\t\tif q" + i + " == p {\n\t\t\tz" + i + " = 2\n\t\t}");
			case 5 -> lines.add("atomic {\n\t\t\tget_page(p)\n\t\t\tput_page(p)\n\t\t}");
			case 6 -> lines.add("if page_ref_count(p) > 5 {\n\t\t\twarn \"too many\"\n\t\t}");
			case 7 -> lines.add("wake_up_var(p)");
			case 8 -> {
				lines.add("get_page_unless_zero(p) else return");
				refs++;
			}
			default -> lines.add("n" + i + " = 2\n\t\trepeat 2 {\n\t\t\tm" + i + " = n" + i + "\n\t\t}");
			}
		}
		if (locked && !chance(10)) {
			lines.add("unlock_page(p)");
		}
		while (refs > 0 && !chance(8)) {
			lines.add("put_page(p)");
			refs--;
		}
		StringBuilder b = new StringBuilder();
		for (String l : lines) {
			b.append("\t\t").append(l).append('\n');
		}
		return b.toString();
	}
}
