package org.pgmap.engine.model;

import java.util.List;

/**
 * The executable model of one scenario of a spec: the transition system the checker explores.
 * Plain data, no Xtext or EMF: pages and their pagemaps (with what the core's era says about
 * them), the locks, pools, objects and variables of the drivers, who owns pages without a
 * reference, and one program per thread (procedures inlined). The setup program
 * (memremap_pages: the core's init hook for every page) runs first, then each thread's start
 * block, in order and without interleaving; the checker explores every interleaving of the rest.
 * {@code coreFile}: where the core was defined (a local path, or library/NAME.pgmap).
 */
public record ExecModel(String spec, String scenario, String core, String coreFile, List<Pagemap> pagemaps, List<Lock> locks,
		List<Pool> pools, List<DriverObject> objects, List<Global> globals, List<String> drivers,
		List<LockOwnership> lockOwners, List<DriverOwnership> driverOwners, Thread setup, List<Thread> threads) {

	/**
	 * A pagemap and its pages [firstPage, firstPage + pages). {@code finalPutAt}: the count at which
	 * put_page runs the core's final_put; {@code handoffRefcount}: the count an allocator hands a page
	 * out with (R4); {@code coreFrees}: the core's final_put calls page_free for this pagemap's type,
	 * so page_free is what proves a page free (R5); {@code hasPageFree}: its driver has that op.
	 */
	public record Pagemap(String name, String type, String initMode, int firstPage, int pages, int idleRefcount,
			int finalPutAt, int handoffRefcount, boolean coreFrees, boolean hasPageFree) {
	}

	public record Lock(String name, String kind) {
	}

	public enum PoolKind {
		FREELIST, BITMAP, GENPOOL,
		/** the driver's own record of free pages: no publication, no idle-refcount requirement */
		BOOKKEEPING
	}

	/**
	 * A pool of free pages; {@code guard} is the lock instance that protects it, or -1;
	 * {@code pagemap} the pagemap whose pages it holds, or -1 when it names none.
	 */
	public record Pool(String name, PoolKind kind, int guard, boolean linkedByLru, int pagemap, List<Integer> initial) {
		public boolean publishes() {
			return kind != PoolKind.BOOKKEEPING;
		}
	}

	/**
	 * One driver object (an instance of an object array is one of these). A static object lives
	 * from the start with kref {@code kref}; a dynamic one ({@code object zdd[2]}) waits for kzalloc.
	 * Live pages whose zone_device_data points at it each hold one of its krefs: any page, or with
	 * {@code covers} (a pagemap index, -1 for any) only the pages of that pagemap.
	 */
	public record DriverObject(String name, int kref, boolean dynamic, int covers) {

		public DriverObject(String name, int kref, boolean dynamic) {
			this(name, kref, dynamic, -1);
		}

		/** Whether a live page of pagemap m that points at this object pins one of its krefs. */
		public boolean pinnedBy(int m) {
			return covers < 0 || covers == m;
		}
	}

	/** A driver variable ({@code var chunk_remove = 0}). */
	public record Global(String name, int initial) {
	}

	/** The holder of lock instance {@code lock + i} owns page i of {@code pagemap} ({@code count} 1: every page). */
	public record LockOwnership(int lock, int count, int pagemap) {
	}

	/** The code of driver {@code driver} owns the pages of {@code pagemap} ({@code owns PAGEMAP}). */
	public record DriverOwnership(int driver, int pagemap) {
	}

	/**
	 * A thread's program; instructions [0, startLength) are its start block; {@code calls.get(pc)}
	 * are the inlined calls instruction pc runs inside, outermost first.
	 */
	public record Thread(String name, List<String> slots, List<Instr> program, int startLength, List<List<Call>> calls) {
		public Thread {
			if (calls.size() != program.size()) {
				throw new IllegalArgumentException("one list of calls per instruction");
			}
		}

		/** A program whose instructions run inside no call. */
		public Thread(String name, List<String> slots, List<Instr> program, int startLength) {
			this(name, slots, program, startLength, java.util.Collections.nCopies(program.size(), List.of()));
		}
	}

	/** pgmap types in the order of their codes in TYPE operands. */
	public static final List<String> TYPES = List.of("MEMORY_DEVICE_PRIVATE", "MEMORY_DEVICE_COHERENT",
			"MEMORY_DEVICE_FS_DAX", "MEMORY_DEVICE_GENERIC", "MEMORY_DEVICE_PCI_P2PDMA");

	/** init modes in the order of their codes in INIT_MODE operands. */
	public static final List<String> MODES = List.of("INIT_PAGEMAP_BUSY", "INIT_PAGEMAP_IDLE");

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

	/** A thread's name for a thread id (the setup pseudo-thread is "memremap_pages"). */
	public String threadName(int t) {
		return t >= 0 && t < threads.size() ? threads.get(t).name() : "memremap_pages";
	}
}
