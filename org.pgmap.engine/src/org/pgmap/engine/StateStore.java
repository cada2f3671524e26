package org.pgmap.engine;

import java.util.Arrays;

/**
 * The visited set. Exact by default: every state stored once, packed end to end in one array
 * (one byte per field while every value fits in a byte, which is the common case; four bytes
 * per field from the first value that does not), found again by an open-addressing table of
 * state ids. In hash-compaction mode it keeps only a 64-bit hash per state: a fraction of the
 * memory, at the price of a small probability that two different states share a hash and a
 * part of the state space is missed ({@link #collisionProbability()}).
 * <p>
 * For each state it keeps the parent and which successor of the parent it was (its index in
 * the parent's successor list), so a trace is found again by replaying the model; breadth-first
 * order makes that path a shortest one.
 */
final class StateStore {
	private final int width;
	private final boolean compact;
	private byte[] narrow; // exact mode, one byte per field
	private int[] wide; // exact mode once a value does not fit in a byte
	private long[] hashes; // compact mode: the open-addressing table of 64-bit hashes, 0 = empty
	private int[] parent;
	private int[] via;
	private int[] table; // exact mode: state id + 1, 0 = empty
	private int[] hashOf; // exact mode: each state's hash, for rehashing and quick rejects
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
		this.parent = new int[1024];
		this.via = new int[1024];
		if (compact) {
			hashes = new long[4096];
		} else {
			narrow = new byte[this.width * 1024];
			table = new int[4096];
			hashOf = new int[1024];
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

	boolean keepsStates() {
		return !compact;
	}

	/** Bytes held by the store, for the memory limit and the statistics. */
	long bytes() {
		long b = 4L * (parent.length + via.length);
		if (compact) {
			return b + 8L * hashes.length;
		}
		return b + 4L * (table.length + hashOf.length) + (wide != null ? 4L * wide.length : narrow.length);
	}

	/** Bytes per stored state, table included. */
	double bytesPerState() {
		return size == 0 ? 0 : (double) bytes() / size;
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
		long h = hash64(state);
		if (compact) {
			int mask = hashes.length - 1;
			int at = (int) (h ^ (h >>> 32)) & mask;
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
				rehashCompact();
			}
			return id;
		}
		int mask = table.length - 1;
		int hi = (int) (h ^ (h >>> 32));
		int at = hi & mask;
		while (table[at] != 0) {
			int other = table[at] - 1;
			if (hashOf[other] == hi && equalsAt(other, state)) {
				return -1;
			}
			at = (at + 1) & mask;
		}
		ensureCapacity(size + 1);
		int id = size++;
		store(id, state);
		hashOf[id] = hi;
		parent[id] = parentId;
		via[id] = viaIndex;
		table[at] = id + 1;
		if (size * 2 > table.length) {
			rehash();
		}
		return id;
	}

	/** The stored state (exact mode only). */
	int[] get(int id) {
		int[] s = new int[width];
		int from = id * width;
		if (wide != null) {
			System.arraycopy(wide, from, s, 0, width);
		} else {
			for (int i = 0; i < width; i++) {
				s[i] = narrow[from + i];
			}
		}
		return s;
	}

	int parent(int id) {
		return parent[id];
	}

	int via(int id) {
		return via[id];
	}

	private void store(int id, int[] state) {
		int from = id * width;
		if (wide == null) {
			for (int v : state) {
				if (v != (byte) v) {
					widen();
					break;
				}
			}
		}
		if (wide != null) {
			System.arraycopy(state, 0, wide, from, width);
		} else {
			for (int i = 0; i < width; i++) {
				narrow[from + i] = (byte) state[i];
			}
		}
	}

	private void widen() {
		grow(3L * narrow.length);
		wide = new int[narrow.length];
		for (int i = 0; i < narrow.length; i++) {
			wide[i] = narrow[i];
		}
		narrow = null;
	}

	private boolean equalsAt(int id, int[] state) {
		int from = id * width;
		if (wide != null) {
			return Arrays.equals(wide, from, from + width, state, 0, width);
		}
		for (int i = 0; i < width; i++) {
			if (narrow[from + i] != state[i]) {
				return false;
			}
		}
		return true;
	}

	static long hash64(int[] state) {
		long h = 0x9E3779B97F4A7C15L ^ state.length;
		for (int v : state) {
			h = (h ^ v) * 0xBF58476D1CE4E5B9L;
			h ^= h >>> 29;
		}
		h *= 0x94D049BB133111EBL;
		h ^= h >>> 32;
		return h == 0 ? 1 : h;
	}

	private void ensureCapacity(int states) {
		if (!compact) {
			long need = (long) states * width;
			if (need > Integer.MAX_VALUE - 16) {
				throw new OutOfMemoryError("state store full");
			}
			int length = wide != null ? wide.length : narrow.length;
			if (need > length) {
				int n = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, (long) length * 2));
				grow((long) (n - length) * (wide != null ? 4 : 1));
				if (wide != null) {
					wide = Arrays.copyOf(wide, n);
				} else {
					narrow = Arrays.copyOf(narrow, n);
				}
			}
		}
		if (states > parent.length) {
			int n = parent.length * 2;
			grow((long) (n - parent.length) * (hashOf != null ? 12 : 8));
			parent = Arrays.copyOf(parent, n);
			via = Arrays.copyOf(via, n);
			if (hashOf != null) {
				hashOf = Arrays.copyOf(hashOf, n);
			}
		}
	}

	private void rehash() {
		grow(4L * table.length);
		int[] next = new int[table.length * 2];
		int mask = next.length - 1;
		for (int id = 0; id < size; id++) {
			int at = hashOf[id] & mask;
			while (next[at] != 0) {
				at = (at + 1) & mask;
			}
			next[at] = id + 1;
		}
		table = next;
	}

	private void rehashCompact() {
		grow(8L * hashes.length);
		long[] next = new long[hashes.length * 2];
		int mask = next.length - 1;
		for (long h : hashes) {
			if (h != 0) {
				int at = (int) (h ^ (h >>> 32)) & mask;
				while (next[at] != 0) {
					at = (at + 1) & mask;
				}
				next[at] = h;
			}
		}
		hashes = next;
	}
}
