package org.pgmap.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The visited set of an exhaustive search, sharded so that several workers store their
 * successors at once: a state goes to the shard its hash's top bits name, and each shard, under
 * its own lock, has its own open-addressing table and its own blocks. Exact by default: every
 * state stored once, encoded end to end in blocks (a run of up to 64 zeros in one byte, a value
 * from -32 to 31 in one, larger ones in 7-bit groups: most fields are 0 or small; see
 * {@link StateCodec}), found again by the table that keeps each state's index beside 32 bits of its hash. Blocks never
 * move, so the store grows without copying, and a worker reads the states of the level it
 * expands from them without a lock. In hash-compaction mode it keeps only a
 * 64-bit hash per state: a fraction of the memory, at the price of a small probability that two
 * different states share a hash and a part of the state space is missed
 * ({@link #collisionProbability()}).
 * <p>
 * A state's id is its shard and its index in the shard. For each state it keeps the parent's id
 * and which successor of the parent it was, so a trace is found again by replaying the model;
 * breadth-first order makes that path a shortest one. Of the parents a state has in the level
 * before it, the exact store keeps the one with the least (48 bits of the parent's hash,
 * successor index), so the path is the same whichever worker stored the state first. A worker
 * looks a state up without the lock (the table's entries are written with release semantics
 * after the state they point to): only a new state, or a lesser parent, takes the lock. The store never grows past
 * its {@link Budget}: it throws {@link Full} instead, and the search ends as incomplete.
 */
final class StateStore implements Visited {
	/** About the bytes of state per block of indexes. */
	private static final int BLOCK_BYTES = 1 << 16;
	private static final int INITIAL_TABLE = 256;

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
	private final int indexBits;
	private final int blockShift; // states per block = 1 << blockShift
	private final int heapShift; // bytes per heap block = 1 << heapShift, at least 64 KiB and 6 bytes per field
	private final Shard[] shards;
	private final Budget budget;
	private final byte[][] scratches; // per worker: the state being added, encoded
	private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

	/** A store of {@code shards} shards (a power of two, at most 64) for {@code workers} workers, its memory reserved from {@code budget}. */
	StateStore(int width, boolean hashCompaction, int shards, int workers, Budget budget) {
		this.width = Math.max(1, width);
		this.compact = hashCompaction;
		this.shardBits = Integer.numberOfTrailingZeros(Integer.highestOneBit(Math.max(1, Math.min(64, shards))));
		this.indexBits = 31 - shardBits;
		this.blockShift = Math.max(4, 31 - Integer.numberOfLeadingZeros(Math.max(1, BLOCK_BYTES / this.width)));
		this.heapShift = Math.max(16, 32 - Integer.numberOfLeadingZeros(StateCodec.maxLength(this.width) - 1));
		this.budget = budget;
		this.scratches = new byte[Math.max(1, workers)][StateCodec.maxLength(this.width)];
		this.shards = new Shard[1 << shardBits];
		for (int i = 0; i < this.shards.length; i++) {
			this.shards[i] = new Shard();
		}
	}

	/** A store for one worker alone: one shard. */
	StateStore(int width, boolean hashCompaction) {
		this(width, hashCompaction, 1, 1, new Budget(Long.MAX_VALUE));
	}

	@Override
	public long size() {
		long n = 0;
		for (Shard s : shards) {
			n += s.count;
		}
		return n;
	}

	@Override
	public long bytes() {
		long b = 0;
		for (Shard s : shards) {
			b += s.bytes;
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
	 * The state is encoded before, into the worker's own array.
	 */
	@Override
	public int add(int[] state, long h, int parentId, int viaIndex, long key, int worker) {
		int s = shardBits == 0 ? 0 : (int) (h >>> (64 - shardBits));
		Shard shard = shards[s];
		int index;
		if (compact) {
			if (shard.findHash(h)) {
				return -1;
			}
			synchronized (shard) {
				index = shard.addHash(h, parentId, viaIndex);
			}
		} else {
			// the parent's order: 48 bits of its hash, then the successor index
			long order = key & ~0xFFFFL | Math.min(Math.max(viaIndex, 0), 0xFFFF);
			byte[] code = scratches[worker];
			int length = StateCodec.encode(state, width, code);
			int tag = (int) (h ^ (h >>> 32));
			int found = shard.find(tag, code, length);
			if (found >= 0) {
				if (shard.mayImprove(found, order)) {
					synchronized (shard) {
						shard.improve(found, order, parentId, viaIndex);
					}
				}
				return -1;
			}
			synchronized (shard) {
				index = shard.addState(code, length, tag, parentId, viaIndex, order);
			}
		}
		return index < 0 ? -1 : s << indexBits | index;
	}

	@Override
	public void nextLevel() {
		for (Shard s : shards) {
			synchronized (s) {
				s.levelStart = s.next;
			}
		}
	}

	@Override
	public int parent(int id) {
		Shard s = shards[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		return s.parents[i >>> blockShift][i & ((1 << blockShift) - 1)];
	}

	@Override
	public int via(int id) {
		Shard s = shards[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		int v = s.vias[i >>> blockShift][i & ((1 << blockShift) - 1)];
		if (v == BIG_VIA) {
			synchronized (s) {
				return s.bigVias.get(i);
			}
		}
		return v;
	}

	/**
	 * The state with the id. Without a lock: the state was stored in an earlier level (the
	 * workers met since), its block never moves and never changes, and the arrays of blocks are
	 * published by volatile writes.
	 */
	@Override
	public int[] read(int id, int[] into) {
		Shard s = shards[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		int at = s.offsets[i >>> blockShift][i & ((1 << blockShift) - 1)];
		StateCodec.decode(s.heap[at >>> heapShift], at & ((1 << heapShift) - 1), width, into);
		return into;
	}

	private static final char BIG_VIA = Character.MAX_VALUE;

	/** One shard: its table, its blocks of states, parents and successor indexes. Used under its lock. */
	private final class Shard {
		volatile long[] table = new long[INITIAL_TABLE]; // exact: 32 bits of hash << 32 | index + 1; compact: the 64-bit hash; 0 = empty
		volatile byte[][] heap = new byte[4][]; // exact: the states' encodings, end to end
		volatile int[][] offsets = new int[4][]; // exact: per index, where its encoding starts: heap block << heapShift | offset
		volatile int[][] parents = new int[4][];
		volatile char[][] vias = new char[4][];
		Map<Integer, Integer> bigVias; // successor indexes from 65535 up, rarely any
		int blocks;
		int heapBlocks;
		int heapUsed = 1 << 30; // bytes used of the last heap block (none yet)
		int next; // the next index
		int count;
		int levelStart; // the first index of the level being stored
		volatile long[] keys = new long[0]; // exact: the order of the parent of index levelStart + i (orders only fall)
		long bytes;

		Shard() {
			reserve(8L * table.length);
		}

		private void reserve(long b) {
			budget.reserve(b);
			bytes += b;
		}

		private void release(long b) {
			budget.release(b);
			bytes -= b;
		}

		/** The index of the state encoded in {@code code}, or -1; without the lock (entries are published by release writes). */
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

		/** Whether the parent of that order may be less than the state's: a state of the level being stored, read without the lock (orders only fall). */
		boolean mayImprove(int i, long order) {
			if (i < levelStart) {
				return false;
			}
			long[] ks = keys;
			int k = i - levelStart;
			return k >= ks.length || order < (long) LONGS.getAcquire(ks, k);
		}

		/** Under the lock: keeps the parent if its order is less than the state's. */
		void improve(int i, long order, int parentId, int viaIndex) {
			int k = i - levelStart;
			if (i >= levelStart && order < keys[k]) {
				LONGS.setRelease(keys, k, order);
				setParent(i, parentId, viaIndex);
			}
		}

		/** Under the lock: stores the encoded state unless it is there; its index, or -1. */
		int addState(byte[] code, int length, int tag, int parentId, int viaIndex, long order) {
			long[] t = table;
			int mask = t.length - 1;
			int at = tag & mask;
			for (long e; (e = t[at]) != 0; at = (at + 1) & mask) {
				if ((int) (e >>> 32) == tag && equalsAt((int) e - 1, code, length)) {
					improve((int) e - 1, order, parentId, viaIndex);
					return -1;
				}
			}
			int i = take();
			if (heapUsed + length > 1 << heapShift) {
				int b = heapBlocks;
				if (b >= 1 << (31 - heapShift)) {
					throw new Full(); // 2 GiB of states in one shard
				}
				reserve(1L << heapShift);
				if (b >= heap.length) {
					heap = Arrays.copyOf(heap, b * 2);
				}
				heap[b] = new byte[1 << heapShift];
				heap = heap; // volatile: a reader sees the new block
				heapBlocks = b + 1;
				heapUsed = 0;
			}
			System.arraycopy(code, 0, heap[heapBlocks - 1], heapUsed, length);
			offsets[i >>> blockShift][i & ((1 << blockShift) - 1)] = (heapBlocks - 1) << heapShift | heapUsed;
			heapUsed += length;
			int k = i - levelStart;
			if (k >= keys.length) {
				int n = Math.max(64, Math.max(k + 1, keys.length * 2));
				reserve(8L * n);
				long[] grown = Arrays.copyOf(keys, n);
				release(8L * keys.length);
				keys = grown;
			}
			keys[k] = order;
			setParent(i, parentId, viaIndex);
			LONGS.setRelease(t, at, (long) tag << 32 | (i + 1)); // after the state: a reader without the lock finds it whole
			count++;
			if (count * 2 > t.length) {
				table = doubled(t, false);
			}
			return i;
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

		int addHash(long h, int parentId, int viaIndex) {
			long[] t = table;
			int mask = t.length - 1;
			int at = (int) h & mask;
			for (long e; (e = t[at]) != 0; at = (at + 1) & mask) {
				if (e == h) {
					return -1;
				}
			}
			int i = take();
			setParent(i, parentId, viaIndex);
			LONGS.setRelease(t, at, h);
			count++;
			if (count * 2 > t.length) {
				table = doubled(t, true);
			}
			return i;
		}

		/** The next index, its block allocated. */
		private int take() {
			int i = next;
			if (i >>> indexBits != 0) {
				throw new Full(); // 2^31 states: far past any budget
			}
			int b = i >>> blockShift;
			if (b >= blocks) {
				allocate(b);
			}
			next = i + 1;
			return i;
		}

		private void allocate(int b) {
			int per = 1 << blockShift;
			reserve((long) per * (4 + 2 + (compact ? 0 : 4)));
			if (b >= parents.length) {
				int n = Math.max(b + 1, parents.length * 2);
				parents = Arrays.copyOf(parents, n);
				vias = Arrays.copyOf(vias, n);
				offsets = Arrays.copyOf(offsets, n);
			}
			if (!compact) {
				offsets[b] = new int[per];
			}
			parents[b] = new int[per];
			vias[b] = new char[per];
			// the arrays of blocks are volatile: written again so a reader sees the new block's array
			parents = parents;
			vias = vias;
			offsets = offsets;
			blocks = b + 1;
		}

		private void setParent(int i, int parentId, int viaIndex) {
			int b = i >>> blockShift;
			int o = i & ((1 << blockShift) - 1);
			parents[b][o] = parentId;
			if (viaIndex >= 0 && viaIndex < BIG_VIA) {
				vias[b][o] = (char) viaIndex;
			} else {
				vias[b][o] = BIG_VIA;
				if (bigVias == null) {
					bigVias = new HashMap<>();
				}
				bigVias.put(i, viaIndex);
			}
		}

		private int viaAt(int i) {
			int v = vias[i >>> blockShift][i & ((1 << blockShift) - 1)];
			return v == BIG_VIA ? bigVias.get(i) : v;
		}

		private boolean equalsAt(int i, byte[] code, int length) {
			int at = offsets[i >>> blockShift][i & ((1 << blockShift) - 1)];
			byte[] b = heap[at >>> heapShift];
			int o = at & ((1 << heapShift) - 1);
			return o + length <= b.length && Arrays.equals(b, o, o + length, code, 0, length);
		}

		/** The table at twice the size, every entry moved to its slot there. */
		private long[] doubled(long[] old, boolean hashes) {
			reserve(16L * old.length);
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
			release(8L * old.length);
			return t;
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
