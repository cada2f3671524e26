package org.pgmap.engine.model;

import java.util.List;

/**
 * The executable model of one scenario of a spec: the transition system the checker explores.
 * Plain data, no Xtext or EMF: pages and their pagemaps, the locks, pools and objects of the
 * drivers, the core's era parameters, and one program per thread (procedures inlined). The
 * setup program (memremap_pages: the core's init hook for every page) runs before the threads.
 */
public record ExecModel(String spec, String scenario, String core, int finalPutAt, int handoffRefcount,
		List<Pagemap> pagemaps, List<Lock> locks, List<Pool> pools, List<DriverObject> objects, Thread setup,
		List<Thread> threads) {

	public record Pagemap(String name, String type, String initMode, int firstPage, int pages, int idleRefcount) {
	}

	public record Lock(String name, String kind) {
	}

	public enum PoolKind {
		FREELIST, BITMAP, GENPOOL
	}

	/** A pool of free pages; {@code guard} is the lock instance that protects it, or -1. */
	public record Pool(String name, PoolKind kind, int guard, boolean linkedByLru, List<Integer> initial) {
	}

	public record DriverObject(String name, int kref) {
	}

	public record Thread(String name, List<String> slots, List<Instr> program) {
	}

	/** pgmap types in the order of their codes in TYPE operands. */
	public static final List<String> TYPES = List.of("MEMORY_DEVICE_PRIVATE", "MEMORY_DEVICE_COHERENT",
			"MEMORY_DEVICE_FS_DAX", "MEMORY_DEVICE_GENERIC", "MEMORY_DEVICE_PCI_P2PDMA");

	/** init modes in the order of their codes in INIT_MODE operands. */
	public static final List<String> MODES = List.of("INIT_PAGEMAP_BUSY", "INIT_PAGEMAP_IDLE");

	/** comparison codes of BRANCH and ASSERT (b), in this order; TRUTH tests a value against 0 */
	public static final List<String> COMPARISONS = List.of("==", "!=", "<", "<=", ">", ">=", "truth");

	public int pageCount() {
		return pagemaps.stream().mapToInt(Pagemap::pages).sum();
	}

	public int pagemapOf(int page) {
		for (int i = 0; i < pagemaps.size(); i++) {
			Pagemap m = pagemaps.get(i);
			if (page >= m.firstPage() && page < m.firstPage() + m.pages()) {
				return i;
			}
		}
		throw new IllegalArgumentException("no page " + page);
	}

	/** "dmirror[1]": the second page of pagemap dmirror. */
	public String pageName(int page) {
		Pagemap m = pagemaps.get(pagemapOf(page));
		return m.name() + "[" + (page - m.firstPage()) + "]";
	}
}
