package org.pgmap.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The visited set of a bitstate (supertrace) search, as SPIN's -DBITSTATE: an array of m bits,
 * and a state counts as visited when the k bits its hash functions name are all set. A state
 * costs no memory in the set, so the search reaches far more states than an exhaustive one in
 * the same memory; but two states can share their k bits, and then the later one is taken for
 * visited though it was not: it and what only it leads to are missed. A search without a
 * violation therefore proves nothing ({@link #omitted()} estimates how much it missed), while
 * a violation it finds is real: each state it adds keeps its parent and its index among the
 * parent's successors (six bytes, in a log per worker), so the trace is replayed in the model
 * like an exhaustive search's.
 * <p>
 * The k bit positions come from the state's 64-bit hash and a second hash mixed from it (double
 * hashing, h1 + i * h2); workers set bits with an atomic or, so two workers may both take the
 * same state as new and expand it twice, which costs time, never soundness.
 */
final class BitStateStore implements Visited {
	private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
	private static final int LOG_BLOCK = 1 << 14;
	private static final char BIG_VIA = Character.MAX_VALUE;

	private final long[] words;
	private final long bits;
	private final int hashes;
	private final Log[] logs;
	private final int indexBits;
	private final Budget budget;

	/** A bit array of {@code bits} bits (a multiple of 64) and {@code hashes} hash functions, for {@code workers} workers. */
	BitStateStore(long bits, int hashes, int workers, Budget budget) {
		long n = Math.max(1, bits >>> 6);
		if (n > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("bit array of " + bits + " bits is too large");
		}
		budget.reserve(8 * n);
		this.budget = budget;
		this.words = new long[(int) n];
		this.bits = 64 * n;
		this.hashes = Math.max(1, hashes);
		int workerBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, workers) - 1);
		this.indexBits = 31 - workerBits;
		this.logs = new Log[Math.max(1, workers)];
		for (int i = 0; i < logs.length; i++) {
			logs[i] = new Log();
		}
	}

	long bits() {
		return bits;
	}

	int hashes() {
		return hashes;
	}

	@Override
	public int add(int[] state, long h, int parentId, int via, long key, int worker) {
		long h2 = mix(h) | 1;
		boolean fresh = false;
		long x = h;
		for (int i = 0; i < hashes; i++, x += h2) {
			long bit = Math.unsignedMultiplyHigh(x, bits);
			int w = (int) (bit >>> 6);
			long m = 1L << bit;
			if ((words[w] & m) == 0 && ((long) WORDS.getAndBitwiseOr(words, w, m) & m) == 0) {
				fresh = true;
			}
		}
		if (!fresh) {
			return -1;
		}
		int i = logs[worker].add(parentId, via);
		return worker << indexBits | i;
	}

	@Override
	public int parent(int id) {
		Log log = logs[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		return log.parents[i / LOG_BLOCK][i % LOG_BLOCK];
	}

	@Override
	public int via(int id) {
		Log log = logs[id >>> indexBits];
		int i = id & ((1 << indexBits) - 1);
		int v = log.vias[i / LOG_BLOCK][i % LOG_BLOCK];
		return v == BIG_VIA ? log.bigVias.get(i) : v;
	}

	@Override
	public boolean keepsStates() {
		return false;
	}

	@Override
	public int[] read(int id, int[] into) {
		throw new UnsupportedOperationException("a bitstate search keeps no states");
	}

	@Override
	public void nextLevel() {
	}

	@Override
	public long size() {
		long n = 0;
		for (Log l : logs) {
			n += l.count;
		}
		return n;
	}

	@Override
	public long bytes() {
		long b = 8L * words.length;
		for (Log l : logs) {
			b += l.bytes;
		}
		return b;
	}

	/** Bits per state stored: SPIN's hash factor (it calls above 100 good coverage). */
	double hashFactor() {
		long n = size();
		return n == 0 ? Double.POSITIVE_INFINITY : (double) bits / n;
	}

	/**
	 * The expected fraction of the new states the search met that it took for visited though
	 * they were not (a bit collision on all k bits), over the whole search: the mean, over the n
	 * states stored, of the probability (1 - e^(-k i / m))^k that a new state meets k set bits
	 * when i states are stored. The states missed also hide whatever only they lead to.
	 */
	double omitted() {
		return omitted(size(), bits, hashes);
	}

	static double omitted(long n, long m, int k) {
		if (n <= 0) {
			return 0;
		}
		int steps = 1000;
		double sum = 0;
		for (int s = 0; s < steps; s++) {
			double i = (s + 0.5) * n / steps;
			sum += Math.pow(1 - Math.exp(-k * i / m), k);
		}
		return sum / steps;
	}

	/** The probability that the next new state would be taken for visited: (1 - e^(-k n / m))^k. */
	double omittedNow() {
		return Math.pow(1 - Math.exp(-hashes * (double) size() / bits), hashes);
	}

	private static long mix(long h) {
		h ^= h >>> 33;
		h *= 0xFF51AFD7ED558CCDL;
		h ^= h >>> 33;
		h *= 0xC4CEB9FE1A85EC53L;
		h ^= h >>> 33;
		return h;
	}

	/** One worker's parents and successor indexes, in blocks; only its worker writes it. */
	private final class Log {
		int[][] parents = new int[16][];
		char[][] vias = new char[16][];
		Map<Integer, Integer> bigVias;
		int count;
		long bytes;

		int add(int parentId, int via) {
			int i = count;
			if (i >>> indexBits != 0) {
				throw new StateStore.Full();
			}
			int b = i / LOG_BLOCK;
			if (i % LOG_BLOCK == 0) {
				budget.reserve(6L * LOG_BLOCK);
				bytes += 6L * LOG_BLOCK;
				if (b == parents.length) {
					parents = Arrays.copyOf(parents, b * 2);
					vias = Arrays.copyOf(vias, b * 2);
				}
				parents[b] = new int[LOG_BLOCK];
				vias[b] = new char[LOG_BLOCK];
			}
			parents[b][i % LOG_BLOCK] = parentId;
			if (via >= 0 && via < BIG_VIA) {
				vias[b][i % LOG_BLOCK] = (char) via;
			} else {
				vias[b][i % LOG_BLOCK] = BIG_VIA;
				if (bigVias == null) {
					bigVias = new HashMap<>();
				}
				bigVias.put(i, via);
			}
			count = i + 1;
			return i;
		}
	}
}
