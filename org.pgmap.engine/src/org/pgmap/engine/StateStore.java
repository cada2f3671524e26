package org.pgmap.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The visited set of an exhaustive search, for several workers storing at once. The table is
 * sharded: a state's entry goes to the shard its hash's top bits name, each shard an
 * open-addressing table under its own lock; the states themselves go to the region of the
 * worker that stored them, which only that worker appends to, so two workers storing at once
 * share little more than the table's cache lines. Exact by default: every state stored once,
 * encoded end to end in blocks (a run of up to 64 zeros in one byte, a value from -32 to 31 in
 * one, larger ones in 7-bit groups: most fields are 0 or small; see {@link StateCodec}), found
 * again by the table that keeps each state's id beside 32 bits of its hash. Blocks never move, so
 * the store grows without copying, and a worker reads the states of the level it expands from
 * them without a lock. In hash-compaction mode it keeps only a 64-bit hash per state: a
 * fraction of the memory, at the price of a small probability that two different states share a
 * hash and a part of the state space is missed ({@link #collisionProbability()}).
 * <p>
 * A state's id is its worker's region and its index there. For each state it keeps the parent's
 * id and which successor of the parent it was, so a trace is found again by replaying the model;
 * breadth-first order makes that path a shortest one. Of the parents a state has in the level
 * before it, the exact store keeps the one with the least (48 bits of the parent's hash,
 * successor index), so the path is the same whichever worker stored the state first; a state's
 * parent is written under its shard's lock. A worker looks a state up without the lock (the
 * table's entries are written with release semantics after the state they point to): only a new
 * state, or a lesser parent, takes the lock. The store never grows past its {@link Budget}: it
 * throws {@link Full} instead, and the search ends as incomplete.
 */
final class StateStore implements Visited {
	/** About the bytes of state per block of indexes. */
	private static final int BLOCK_BYTES = 1 << 16;
	private static final int INITIAL_TABLE = 256;
	private static final char BIG_VIA = Character.MAX_VALUE;
	private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

	/** Thrown instead of growing past the budget: the search ends as incomplete. */
	static final class Full extends RuntimeException {
		private static final long serialVersionUID = 1L;

		Full() {
			super("state store full", null, false, false);
		}
	}

	private final int width;
	private final boolean compact;
	private final int shardBits;
	private final int indexBits; // an id: region << indexBits | index
	private final int blockShift; // indexes per block = 1 << blockShift
	private final int heapShift; // bytes per heap block = 1 << heapShift, at least 64 KiB and 6 bytes per field
	private final Shard[] shards;
	private final Region[] regions;
	private final Budget budget;

	/** A store of {@code shards} shards (a power of two, at most 64) for {@code workers} workers, its memory reserved from {@code budget}. */
	StateStore(int width, boolean hashCompaction, int shards, int workers, Budget budget) {
		this.width = Math.max(1, width);
		this.compact = hashCompaction;
		this.shardBits = Integer.numberOfTrailingZeros(Integer.highestOneBit(Math.max(1, Math.min(64, shards))));
		int w = Math.max(1, workers);
		this.indexBits = 31 - (32 - Integer.numberOfLeadingZeros(w - 1));
		this.blockShift = Math.max(4, Math.min(12, 31 - Integer.numberOfLeadingZeros(Math.max(1, BLOCK_BYTES / this.width))));
		this.heapShift = Math.max(16, 32 - Integer.numberOfLeadingZeros(StateCodec.maxLength(this.width) - 1));
		this.budget = budget;
		this.shards = new Shard[1 << shardBits];
		for (int i = 0; i < this.shards.length; i++) {
			this.shards[i] = new Shard();
		}
		this.regions = new Region[w];
		for (int i = 0; i < w; i++) {
			this.regions[i] = new Region();
		}
	}

	/** A store for one worker alone: one shard. */
	StateStore(int width, boolean hashCompaction) {
		this(width, hashCompaction, 1, 1, new Budget(Long.MAX_VALUE));
	}

	@Override
	public long size() {
		long n = 0;
		for (Region r : regions) {
			n += r.next;
		}
		return n;
	}

	@Override
	public long bytes() {
		long b = 0;
		for (Shard s : shards) {
			b += s.bytes;
		}
		for (Region r : regions) {
			b += r.bytes;
		}
		return b;
	}

	@Override
	public boolean keepsStates() {
		return !compact;
	}

	/** Hash compaction: the probability that some two of the stored states share a hash (n^2 / 2^65). */
	double collisionProbability() {
		if (!compact) {
			return 0;
		}
		double n = size();
		return Math.min(1, n * n / Math.pow(2, 65));
	}

	/** Adds the state unless present (one worker, no level order); returns its new id, or -1 if it was there. */
	int add(int[] state, int parentId, int viaIndex) {
		return add(state, hash64(state), parentId, viaIndex, 0, 0);
	}

	/**
	 * Looks the state up without a lock first (most successors were stored already): only a new
	 * state, or a lesser parent for a state of the level being stored, takes its shard's lock.
	 * The state is encoded before, into the worker's own array, and stored in its region.
	 */
	@Override
	public int add(int[] state, long h, int parentId, int viaIndex, long key, int worker) {
		Shard shard = shards[shardBits == 0 ? 0 : (int) (h >>> (64 - shardBits))];
		Region region = regions[worker];
		if (compact) {
			if (shard.findHash(h)) {
				return -1;
			}
			synchronized (shard) {
				return shard.addHash(h, region, worker, parentId, viaIndex);
			}
		}
		// the parent's order: 48 bits of its hash, then the successor index
		long order = key & ~0xFFFFL | Math.min(Math.max(viaIndex, 0), 0xFFFF);
		byte[] code = region.scratch;
		int length = StateCodec.encode(state, width, code);
		int tag = (int) (h ^ (h >>> 32));
		int found = shard.find(tag, code, length);
		if (found >= 0) {
			if (mayImprove(found, order)) {
				synchronized (shard) {
					improve(found, order, parentId, viaIndex);
				}
			}
			return -1;
		}
		synchronized (shard) {
			return shard.addState(code, length, tag, region, worker, parentId, viaIndex, order);
		}
	}

	@Override
	public void nextLevel() {
		for (Region r : regions) {
			r.nextLevel();
		}
	}

	@Override
	public int parent(int id) {
		Region r = regions[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		return r.parents[i >>> blockShift][i & ((1 << blockShift) - 1)];
	}

	@Override
	public int via(int id) {
		return regions[id >>> indexBits].via(id & ((1 << indexBits) - 1));
	}

	/**
	 * The state with the id. Without a lock: the state was stored in an earlier level (the
	 * workers met since), its block never moves and never changes, and the arrays of blocks are
	 * published by volatile writes.
	 */
	@Override
	public int[] read(int id, int[] into) {
		Region r = regions[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		int at = r.offsets[i >>> blockShift][i & ((1 << blockShift) - 1)];
		StateCodec.decode(r.heap[at >>> heapShift], at & ((1 << heapShift) - 1), width, into);
		return into;
	}

	/** Whether the parent of that order may be less than the state's: a state of the level being stored, read without the lock (orders only fall). */
	private boolean mayImprove(int id, long order) {
		Region r = regions[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		if (i < r.levelStart) {
			return false;
		}
		long[] ks = r.keys[i >>> blockShift];
		return ks == null || order < (long) LONGS.getAcquire(ks, i & ((1 << blockShift) - 1));
	}

	/** Under the state's shard's lock: keeps the parent if its order is less than the state's. */
	private void improve(int id, long order, int parentId, int viaIndex) {
		Region r = regions[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		if (i < r.levelStart) {
			return;
		}
		long[] ks = r.keys[i >>> blockShift];
		int o = i & ((1 << blockShift) - 1);
		if (ks != null && order < ks[o]) {
			LONGS.setRelease(ks, o, order);
			r.setParent(i, parentId, viaIndex);
		}
	}

	/** One shard of the table, used under its lock (but for the lookups without it). */
	private final class Shard {
		volatile long[] table = new long[INITIAL_TABLE]; // exact: 32 bits of hash << 32 | id + 1; compact: the 64-bit hash; 0 = empty
		int count;
		long bytes;

		Shard() {
			budget.reserve(8L * INITIAL_TABLE);
			bytes = 8L * INITIAL_TABLE;
		}

		/** The id of the state encoded in {@code code}, or -1; without the lock (entries are published by release writes). */
		int find(int tag, byte[] code, int length) {
			long[] t = table;
			int mask = t.length - 1;
			for (int at = tag & mask;; at = (at + 1) & mask) {
				long e = (long) LONGS.getAcquire(t, at);
				if (e == 0) {
					return -1;
				}
				if ((int) (e >>> 32) == tag && equalsAt((int) e - 1, code, length)) {
					return (int) e - 1;
				}
			}
		}

		/** Under the lock: stores the encoded state in the worker's region unless it is there; its id, or -1. */
		int addState(byte[] code, int length, int tag, Region region, int worker, int parentId, int viaIndex, long order) {
			long[] t = table;
			int mask = t.length - 1;
			int at = tag & mask;
			for (long e; (e = t[at]) != 0; at = (at + 1) & mask) {
				if ((int) (e >>> 32) == tag && equalsAt((int) e - 1, code, length)) {
					improve((int) e - 1, order, parentId, viaIndex);
					return -1;
				}
			}
			int id = worker << indexBits | region.append(code, length, parentId, viaIndex, order);
			LONGS.setRelease(t, at, (long) tag << 32 | (id + 1)); // after the state: a reader without the lock finds it whole
			grown(t, false);
			return id;
		}

		/** Whether the hash is in the table; without the lock. */
		boolean findHash(long h) {
			long[] t = table;
			int mask = t.length - 1;
			for (int at = (int) h & mask;; at = (at + 1) & mask) {
				long e = (long) LONGS.getAcquire(t, at);
				if (e == 0) {
					return false;
				}
				if (e == h) {
					return true;
				}
			}
		}

		/** Under the lock, hash compaction: stores the hash unless it is there; the state's id, or -1. */
		int addHash(long h, Region region, int worker, int parentId, int viaIndex) {
			long[] t = table;
			int mask = t.length - 1;
			int at = (int) h & mask;
			for (long e; (e = t[at]) != 0; at = (at + 1) & mask) {
				if (e == h) {
					return -1;
				}
			}
			int id = worker << indexBits | region.append(null, 0, parentId, viaIndex, 0);
			LONGS.setRelease(t, at, h);
			grown(t, true);
			return id;
		}

		private boolean equalsAt(int id, byte[] code, int length) {
			Region r = regions[id >>> indexBits];
			int i = id & ((1 << indexBits) - 1);
			int at = r.offsets[i >>> blockShift][i & ((1 << blockShift) - 1)];
			byte[] b = r.heap[at >>> heapShift];
			int o = at & ((1 << heapShift) - 1);
			return o + length <= b.length && Arrays.equals(b, o, o + length, code, 0, length);
		}

		/** One entry more: the table at twice the size when it is half full, every entry moved to its slot there. */
		private void grown(long[] old, boolean hashes) {
			if (++count * 2 <= old.length) {
				return;
			}
			budget.reserve(16L * old.length);
			long[] t = new long[old.length * 2];
			int mask = t.length - 1;
			for (long e : old) {
				if (e != 0) {
					int at = (hashes ? (int) e : (int) (e >>> 32)) & mask;
					while (t[at] != 0) {
						at = (at + 1) & mask;
					}
					t[at] = e;
				}
			}
			budget.release(8L * old.length);
			bytes += 8L * old.length;
			table = t; // volatile: a reader without the lock sees it whole
		}
	}

	/**
	 * The states one worker stored: appended by that worker only (under the lock of the state's
	 * shard); a state's parent and its order may be lowered by another worker under the same
	 * lock. Blocks never move; the arrays of blocks are published by volatile writes.
	 */
	private final class Region {
		volatile byte[][] heap = new byte[4][]; // exact: the states' encodings, end to end
		volatile int[][] offsets = new int[4][]; // exact: per index, where its encoding starts: heap block << heapShift | offset
		volatile int[][] parents = new int[4][];
		volatile char[][] vias = new char[4][];
		volatile long[][] keys = new long[4][]; // exact: the order of the parent, for the indexes of the level being stored
		final Map<Integer, Integer> bigVias = new ConcurrentHashMap<>(); // successor indexes from 65535 up, rarely any
		final byte[] scratch = new byte[StateCodec.maxLength(width)];
		int blocks;
		int heapBlocks;
		int heapUsed = 1 << 30; // bytes used of the last heap block (none yet)
		int next; // the next index: the states stored (read without a lock only for the statistics)
		int levelStart; // the first index of the level being stored
		volatile long bytes;

		int append(byte[] code, int length, int parentId, int viaIndex, long order) {
			int i = next;
			if (i >>> indexBits != 0) {
				throw new Full(); // 2^31 states: far past any budget
			}
			int b = i >>> blockShift;
			int o = i & ((1 << blockShift) - 1);
			if (b >= blocks) {
				allocate(b);
			}
			if (!compact) {
				if (heapUsed + length > 1 << heapShift) {
					int hb = heapBlocks;
					if (hb >= 1 << (31 - heapShift)) {
						throw new Full(); // 2 GiB of states in one region
					}
					reserve(1L << heapShift);
					byte[][] h = heap;
					if (hb >= h.length) {
						h = Arrays.copyOf(h, hb * 2);
					}
					h[hb] = new byte[1 << heapShift];
					heap = h; // volatile: a reader sees the new block
					heapBlocks = hb + 1;
					heapUsed = 0;
				}
				System.arraycopy(code, 0, heap[heapBlocks - 1], heapUsed, length);
				offsets[b][o] = (heapBlocks - 1) << heapShift | heapUsed;
				heapUsed += length;
				keys[b][o] = order;
			}
			setParent(i, parentId, viaIndex);
			next = i + 1;
			return i;
		}

		private void allocate(int b) {
			int per = 1 << blockShift;
			reserve((long) per * (4 + 2 + (compact ? 0 : 4 + 8)));
			if (b >= parents.length) {
				int n = Math.max(b + 1, parents.length * 2);
				offsets = Arrays.copyOf(offsets, n);
				keys = Arrays.copyOf(keys, n);
				vias = Arrays.copyOf(vias, n);
				parents = Arrays.copyOf(parents, n);
			}
			if (!compact) {
				offsets[b] = new int[per];
				keys[b] = new long[per];
			}
			vias[b] = new char[per];
			parents[b] = new int[per];
			// the arrays of blocks are volatile: written again so a reader sees the new block
			offsets = offsets;
			keys = keys;
			vias = vias;
			parents = parents;
			blocks = b + 1;
		}

		/** Between levels: the orders of the states stored before are no longer needed. */
		void nextLevel() {
			levelStart = next;
			long[][] k = keys;
			int per = 1 << blockShift;
			for (int b = 0; b < blocks && (b + 1) * per <= levelStart; b++) {
				if (k[b] != null) {
					k[b] = null;
					release(8L * per);
				}
			}
		}

		private void reserve(long n) {
			budget.reserve(n);
			bytes += n;
		}

		private void release(long n) {
			budget.release(n);
			bytes -= n;
		}

		void setParent(int i, int parentId, int viaIndex) {
			int b = i >>> blockShift;
			int o = i & ((1 << blockShift) - 1);
			parents[b][o] = parentId;
			if (viaIndex >= 0 && viaIndex < BIG_VIA) {
				vias[b][o] = (char) viaIndex;
			} else {
				vias[b][o] = BIG_VIA;
				bigVias.put(i, viaIndex);
			}
		}

		int via(int i) {
			int v = vias[i >>> blockShift][i & ((1 << blockShift) - 1)];
			return v == BIG_VIA ? bigVias.get(i) : v;
		}
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
}
