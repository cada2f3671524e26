package org.pgmap.engine;

import java.util.Arrays;

/**
 * The visited set. Exact by default: every state stored once, packed end to end in blocks of
 * 256 KiB (one byte per field while every value fits in a byte, which is the common
 * case; four bytes per field from the first value that does not), found again by an
 * open-addressing table that keeps each state's id beside 32 bits of its hash. Blocks never
 * move, so the store grows without copying. In hash-compaction mode it keeps only a 64-bit
 * hash per state: a fraction of the memory, at the price of a small probability that two
 * different states share a hash and a part of the state space is missed
 * ({@link #collisionProbability()}).
 * <p>
 * For each state it keeps the parent and which successor of the parent it was (its index in
 * the parent's successor list), so a trace is found again by replaying the model; breadth-first
 * order makes that path a shortest one. The store never grows past its budget: it throws
 * {@link Full} instead, and the search ends as incomplete.
 */
final class StateStore {
	private static final int BLOCK_BYTES = 1 << 18;

	private final int width;
	private final boolean compact;
	private final int perBlock; // states per block
	private byte[][] narrow; // exact mode, one byte per field
	private int[][] wide; // exact mode once a value does not fit in a byte
	private int blocks;
	private final byte[] scratch; // the state being added, narrowed
	private long[] hashes; // compact mode: the open-addressing table of 64-bit hashes, 0 = empty
	private long[] table; // exact mode: 32 bits of the state's hash << 32 | state id + 1; 0 = empty
	private int[] parent;
	private int[] via;
	private int size;
	private long budget = Long.MAX_VALUE;

	/** Thrown instead of growing past the budget: the search ends as incomplete. */
	static final class Full extends RuntimeException {
		private static final long serialVersionUID = 1L;

		Full() {
			super("state store full", null, false, false);
		}
	}

	StateStore(int width, boolean hashCompaction) {
		this.width = Math.max(1, width);
		this.compact = hashCompaction;
		this.perBlock = Math.max(1, BLOCK_BYTES / this.width);
		this.scratch = new byte[this.width];
		this.parent = new int[1024];
		this.via = new int[1024];
		if (compact) {
			hashes = new long[4096];
		} else {
			narrow = new byte[16][];
			table = new long[4096];
		}
	}

	int size() {
		return size;
	}

	/** The most bytes the store may hold: it refuses to grow past them ({@link Full}). */
	void budget(long bytes) {
		budget = bytes;
	}

	private void grow(long extraBytes) {
		if (bytes() + extraBytes > budget) {
			throw new Full();
		}
	}

	/** Bytes held by the store, for the memory limit and the statistics. */
	long bytes() {
		long b = 4L * (parent.length + via.length);
		if (compact) {
			return b + 8L * hashes.length;
		}
		return b + 8L * table.length + (long) blocks * perBlock * width * (wide != null ? 4 : 1);
	}

	/** Hash compaction: the probability that some two of the stored states share a hash (n^2 / 2^65). */
	double collisionProbability() {
		if (!compact) {
			return 0;
		}
		double n = size;
		return Math.min(1, n * n / Math.pow(2, 65));
	}

	/** Adds the state unless present; returns its new id, or -1 if it was there. */
	int add(int[] state, int parentId, int viaIndex) {
		return add(state, hash64(state), parentId, viaIndex);
	}

	/** {@link #add(int[], int, int)} with the state's {@link #hash64(int[])} already computed (by a worker). */
	int add(int[] state, long h, int parentId, int viaIndex) {
		if (compact) {
			int mask = hashes.length - 1;
			int at = slot(h) & mask;
			while (hashes[at] != 0) {
				if (hashes[at] == h) {
					return -1;
				}
				at = (at + 1) & mask;
			}
			ensureCapacity(size + 1);
			hashes[at] = h;
			int id = size++;
			parent[id] = parentId;
			via[id] = viaIndex;
			if (size * 2 > hashes.length) {
				hashes = doubled(hashes);
			}
			return id;
		}
		boolean fits = wide == null && narrow(state);
		int mask = table.length - 1;
		int hi = (int) (h ^ (h >>> 32));
		int at = hi & mask;
		for (long e; (e = table[at]) != 0; at = (at + 1) & mask) {
			if (slot(e) == hi && (fits ? equalsNarrow((int) e - 1) : equalsAt((int) e - 1, state))) {
				return -1;
			}
		}
		ensureCapacity(size + 1);
		if (wide == null && !fits) {
			widen();
		}
		int id = size++;
		int off = (id % perBlock) * width;
		if (wide != null) {
			System.arraycopy(state, 0, wide[id / perBlock], off, width);
		} else {
			System.arraycopy(scratch, 0, narrow[id / perBlock], off, width);
		}
		parent[id] = parentId;
		via[id] = viaIndex;
		table[at] = (long) hi << 32 | (id + 1);
		if (size * 2 > table.length) {
			table = doubled(table);
		}
		return id;
	}

	/** Narrows the state into the scratch array; false if a value does not fit in a byte. */
	private boolean narrow(int[] state) {
		for (int i = 0; i < width; i++) {
			int v = state[i];
			if (v != (byte) v) {
				return false;
			}
			scratch[i] = (byte) v;
		}
		return true;
	}

	int parent(int id) {
		return parent[id];
	}

	int via(int id) {
		return via[id];
	}

	private void widen() {
		grow(3L * blocks * perBlock * width);
		wide = new int[narrow.length][];
		for (int k = 0; k < blocks; k++) {
			byte[] b = narrow[k];
			int[] w = new int[b.length];
			for (int i = 0; i < b.length; i++) {
				w[i] = b[i];
			}
			wide[k] = w;
		}
		narrow = null;
	}

	private boolean equalsNarrow(int id) {
		int off = (id % perBlock) * width;
		return Arrays.equals(narrow[id / perBlock], off, off + width, scratch, 0, width);
	}

	private boolean equalsAt(int id, int[] state) {
		int off = (id % perBlock) * width;
		if (wide != null) {
			return Arrays.equals(wide[id / perBlock], off, off + width, state, 0, width);
		}
		byte[] b = narrow[id / perBlock];
		for (int i = 0; i < width; i++) {
			if (b[off + i] != state[i]) {
				return false;
			}
		}
		return true;
	}

	static long hash64(int[] state) {
		long h = 0x9E3779B97F4A7C15L ^ state.length;
		for (int v : state) {
			h = (h + v) * 0xBF58476D1CE4E5B9L;
		}
		h ^= h >>> 31;
		h *= 0x94D049BB133111EBL;
		h ^= h >>> 29;
		return h == 0 ? 1 : h;
	}

	private void ensureCapacity(int states) {
		if (!compact && states > (long) blocks * perBlock) {
			grow((long) perBlock * width * (wide != null ? 4 : 1));
			if (wide != null) {
				if (blocks == wide.length) {
					wide = Arrays.copyOf(wide, blocks * 2);
				}
				wide[blocks++] = new int[perBlock * width];
			} else {
				if (blocks == narrow.length) {
					narrow = Arrays.copyOf(narrow, blocks * 2);
				}
				narrow[blocks++] = new byte[perBlock * width];
			}
		}
		if (states > parent.length) {
			int n = parent.length * 2;
			grow((long) (n - parent.length) * 8);
			parent = Arrays.copyOf(parent, n);
			via = Arrays.copyOf(via, n);
		}
	}

	/** Where an entry of either table goes: the high half of a hash, or the hash bits beside an id. */
	private static int slot(long entry) {
		return (int) (entry >>> 32);
	}

	/** The table at twice the size, every entry moved to its slot there. */
	private long[] doubled(long[] old) {
		grow(8L * old.length);
		long[] next = new long[old.length * 2];
		int mask = next.length - 1;
		for (long e : old) {
			if (e != 0) {
				int at = slot(e) & mask;
				while (next[at] != 0) {
					at = (at + 1) & mask;
				}
				next[at] = e;
			}
		}
		return next;
	}
}
