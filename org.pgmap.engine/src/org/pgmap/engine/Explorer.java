package org.pgmap.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Explicit-state, breadth-first exploration of every interleaving of a transition system, with a
 * visited set, so every trace it reports is a shortest one (of the reduced model when a reduction
 * is on). It checks the properties after every step and at end states (no step enabled), goes on
 * past the first violation so that every violated property is reported with its own trace, and
 * stops at a limit or on cancellation with an "incomplete" result that says why and how far it
 * got.
 * <p>
 * Reductions, each switchable ({@link Options}): partial-order reduction (the system offers an
 * ample subset of the steps), symmetry reduction (one state stored per orbit of the system's
 * {@link Symmetry}), hash compaction (the visited set keeps a 64-bit hash per state). Traces of a
 * symmetry-reduced search are mapped back to the threads and pages of the real model. With more
 * than one worker, the states of each breadth-first level are expanded in parallel and each
 * worker stores the successors it makes itself, in the sharded {@link StateStore}; a level ends
 * when all of its states are expanded, so the states, transitions, depth, violations and trace
 * lengths are those of one worker, and since a state keeps the least of its parents (by the
 * parent's hash), the traces of the exact store are the same too. A bitstate search
 * ({@link BitStateStore}) finds real violations with replayable traces, but a run without one is
 * incomplete: its bit array may have taken unvisited states for visited.
 * <p>
 * The frontier is packed: a level is a list of segments of store ids (and of encoded states
 * when the store keeps none), so it costs a few bytes per state, not an array each.
 * <p>
 * One file: the breadth-first search, its parallel expansion and the trace reconstruction share
 * the store's ids and the frontier; they change together.
 */
public final class Explorer<V> {

	/**
	 * A property checked on each step and on each end state; tells each violation it sees, as a
	 * value of V (the checker's: a rule and whether it is the root cause). Must be safe to call
	 * from several threads.
	 */
	public interface Property<V> {
		void onStep(int[] before, int thread, int statement, int[] after, Consumer<V> violated);

		default void onEnd(int[] state, Consumer<V> violated) {
		}
	}

	/** Where a search stops: states stored, seconds, bytes of the store and the frontier. Every default is here. */
	public record Limits(long maxStates, double maxSeconds, long maxBytes) {
		/** The CLI's (--max-states, --max-seconds, --max-memory), and any caller without limits of its own. */
		public static final Limits DEFAULT = new Limits(5_000_000, 60, 1L << 30);
		/** An editor's model check of one file, compilation and every scenario together (Eclipse, the language server). */
		public static final Limits EDITOR = new Limits(1_000_000, 5, 512L << 20);
	}

	/**
	 * Which reductions are on, how many threads expand states, and the visited set: exact, hash
	 * compaction (a 64-bit hash per state), or bitstate ({@code bitstateMib} > 0: a bit array of
	 * that many MiB with {@code bitstateHashes} hash functions, SPIN's -DBITSTATE; a search
	 * without violation is then incomplete, never a pass).
	 */
	public record Options(boolean partialOrder, boolean symmetry, boolean hashCompaction, int workers, long bitstateMib,
			int bitstateHashes) {
		/** Partial order and symmetry on, exact visited set, both cores. */
		public static final Options DEFAULT = new Options(true, true, false, Math.min(2, Runtime.getRuntime().availableProcessors()));
		/** No reduction, exact, one worker: the plain search the reductions are checked against. */
		public static final Options NONE = new Options(false, false, false, 1);
		/** The bit array of a bitstate search unless told: 512 MiB, 2^32 bits. */
		public static final long DEFAULT_BITSTATE_MIB = 512;
		/** Hash functions per state in a bitstate search, as SPIN's default (-k3). */
		public static final int DEFAULT_BITSTATE_HASHES = 3;

		public Options(boolean partialOrder, boolean symmetry, boolean hashCompaction, int workers) {
			this(partialOrder, symmetry, hashCompaction, workers, 0, DEFAULT_BITSTATE_HASHES);
		}

		public Options withPartialOrder(boolean on) {
			return new Options(on, symmetry, hashCompaction, workers, bitstateMib, bitstateHashes);
		}

		public Options withSymmetry(boolean on) {
			return new Options(partialOrder, on, hashCompaction, workers, bitstateMib, bitstateHashes);
		}

		public Options withHashCompaction(boolean on) {
			return new Options(partialOrder, symmetry, on, workers, bitstateMib, bitstateHashes);
		}

		public Options withWorkers(int n) {
			return new Options(partialOrder, symmetry, hashCompaction, Math.max(1, n), bitstateMib, bitstateHashes);
		}

		/** A bitstate search with a bit array of {@code mib} MiB (0: off, the exact or hash-compacted visited set). */
		public Options withBitstate(long mib) {
			return new Options(partialOrder, symmetry, hashCompaction, workers, Math.max(0, mib), bitstateHashes);
		}

		public Options withBitstateHashes(int k) {
			return new Options(partialOrder, symmetry, hashCompaction, workers, bitstateMib, Math.max(1, k));
		}

		public boolean bitstate() {
			return bitstateMib > 0;
		}

		/** Bits of the bit array. */
		public long bitstateBits() {
			return bitstateMib << 23;
		}

		public String describe() {
			List<String> on = new ArrayList<>();
			if (partialOrder) {
				on.add("partial-order");
			}
			if (symmetry) {
				on.add("symmetry");
			}
			if (hashCompaction && !bitstate()) {
				on.add("hash-compaction");
			}
			if (bitstate()) {
				on.add("bitstate " + bitstateMib + " MiB, " + bitstateHashes + " hash functions");
			}
			return (on.isEmpty() ? "no reduction" : String.join(", ", on)) + "; " + workers + (workers == 1 ? " worker" : " workers");
		}
	}

	public enum Verdict {
		PASS, FAIL, INCOMPLETE
	}

	/** One step of a trace: the thread and statement that ran, and the state after it. */
	public record Step(int thread, int statement, int[] state) {
	}

	public record Trace<V>(V violation, int[] initial, List<Step> steps) {
	}

	/**
	 * {@code collisionProbability}: with hash compaction, the probability that two states shared a
	 * hash (then part of the state space may be missed); 0 for the exact visited set.
	 * {@code symmetry}: which threads and pages were treated as interchangeable ("" if none).
	 * {@code bitstate}: the bit array and its coverage estimate of a bitstate search, else null.
	 */
	public record Statistics(long states, long transitions, int depth, long bytes, double seconds,
			double collisionProbability, String options, String symmetry, Bitstate bitstate) {
		public Statistics(long states, long transitions, int depth, long bytes, double seconds, double collisionProbability,
				String options, String symmetry) {
			this(states, transitions, depth, bytes, seconds, collisionProbability, options, symmetry, null);
		}

		public double statesPerSecond() {
			return seconds <= 0 ? states : states / seconds;
		}
	}

	/**
	 * What a bitstate search can say of its coverage, as SPIN's: {@code bits} of the array,
	 * {@code hashFunctions} bits per state, {@code hashFactor} = bits / states stored (SPIN calls
	 * above 100 good). {@code expectedOmitted}: the expected fraction of the new states the search
	 * met that it took for visited though they were not (all k of their bits already set by
	 * others), the mean over the search of (1 - e^(-k i / m))^k at i states stored; each such
	 * state is missed with whatever only it leads to, so the share of the state space missed can be
	 * larger. {@code omittedAtEnd}: that probability for a new state at the end of the search.
	 */
	public record Bitstate(long bits, int hashFunctions, double hashFactor, double expectedOmitted, double omittedAtEnd) {
		/** The coverage estimate in a few words, for the reason of an incomplete verdict. */
		public String summary() {
			return String.format(java.util.Locale.ROOT, "coverage estimate: hash factor %.1f, about %.3g%% of the new states met missed",
					hashFactor, 100 * expectedOmitted);
		}

		public String describe() {
			return String.format(java.util.Locale.ROOT,
					"%d bits, %d hash functions, hash factor %.1f; an estimated %.3g%% of the new states met were taken for visited and missed"
							+ " (%.3g%% at the end), with whatever only they lead to",
					bits, hashFunctions, hashFactor, 100 * expectedOmitted, 100 * omittedAtEnd);
		}
	}

	public record Result<V>(Verdict verdict, String incompleteReason, Map<V, Trace<V>> violations, Statistics statistics) {
	}

	private final TransitionSystem system;
	private final Property<V> property;
	private final Limits limits;
	private final Options options;
	private final BooleanSupplier cancelled;

	public Explorer(TransitionSystem system, Property<V> property, Limits limits, BooleanSupplier cancelled) {
		this(system, property, limits, Options.NONE, cancelled);
	}

	public Explorer(TransitionSystem system, Property<V> property, Limits limits, Options options, BooleanSupplier cancelled) {
		this.system = system;
		this.property = property;
		this.limits = limits;
		this.options = options;
		this.cancelled = cancelled;
	}

	public Result<V> run() {
		long start = System.nanoTime();
		int[] initial = system.initial();
		Symmetry symmetry = options.symmetry() ? system.symmetry() : null;
		int[] root = symmetry == null ? initial : symmetry.canonical(initial, null);
		Budget budget = new Budget(limits.maxBytes());
		Search search = new Search(root.length, symmetry, budget, start);
		String incomplete = null;
		try {
			search.store = options.bitstate()
					? new BitStateStore(options.bitstateBits(), options.bitstateHashes(), options.workers(), budget)
					: new StateStore(root.length, options.hashCompaction(), shards(options.workers()), options.workers(), budget);
			incomplete = search.run(root);
		} catch (StateStore.Full e) {
			incomplete = memoryLimit();
		} catch (OutOfMemoryError e) {
			incomplete = outOfMemory(search.store);
		} finally {
			search.close();
		}
		Visited store = search.store;
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<V, Trace<V>> traces = new LinkedHashMap<>();
		for (Map.Entry<V, Hit> e : search.violations.entrySet()) {
			traces.put(e.getKey(), trace(store, symmetry, e.getKey(), initial, e.getValue()));
		}
		long states = store == null ? 0 : store.size();
		Bitstate bitstate = null;
		if (store instanceof BitStateStore b) {
			bitstate = new Bitstate(b.bits(), b.hashes(), b.hashFactor(), b.omitted(), b.omittedNow());
			if (traces.isEmpty()) {
				// never a pass: the bit array may have taken unvisited states for visited
				String none = "no violation found in " + states + " states (bitstate search, not exhaustive); " + bitstate.summary();
				incomplete = incomplete == null ? none : incomplete + "; " + none;
			}
		}
		Verdict verdict = !traces.isEmpty() ? Verdict.FAIL : incomplete != null ? Verdict.INCOMPLETE : Verdict.PASS;
		return new Result<>(verdict, incomplete, traces, new Statistics(states, search.transitions(), search.depth,
				store == null ? 0 : store.bytes(), seconds,
				store instanceof StateStore s ? s.collisionProbability() : 0, options.describe(),
				symmetry == null ? "" : symmetry.describe(), bitstate));
	}

	private String memoryLimit() {
		return "memory limit of " + (limits.maxBytes() >> 20) + " MiB reached";
	}

	private static String outOfMemory(Visited store) {
		return "out of memory after " + (store == null ? 0 : store.size()) + " states (raise the JVM heap or lower --max-memory)";
	}

	/** Shards of the exact store: one for one worker; enough for several that two rarely want the same one at once. */
	static int shards(int workers) {
		return workers <= 1 ? 1 : Math.min(64, Integer.highestOneBit(workers * 8 - 1) << 1);
	}

	/** States per piece of work a worker takes from a level. */
	private static final int PIECE = 64;

	/**
	 * Part of a breadth-first level: up to {@link #CAPACITY} states as their ids in the store,
	 * and, when the store does not keep states (hash compaction, bitstate), the states themselves
	 * packed by {@link StateCodec}. Written by one worker (which reserves its bytes from the
	 * budget as it grows), read by all in the next level.
	 */
	private static final class Segment {
		static final int CAPACITY = 1024;
		final int[] ids = new int[CAPACITY];
		final int[] offsets;
		final int width;
		byte[] data;
		int used;
		int size;
		long bytes;

		Segment(int width, boolean packed, Budget budget) {
			this.width = width;
			this.offsets = packed ? new int[CAPACITY] : null;
			long b = 16L + 4L * CAPACITY + (packed ? 4L * CAPACITY + 16L * width : 0);
			budget.reserve(b);
			this.bytes = b;
			this.data = packed ? new byte[16 * width] : null;
		}

		boolean full() {
			return size == CAPACITY;
		}

		/** Adds the id and, when packed, the state (already encoded in {@code code}, {@code length} bytes). */
		void add(int id, byte[] code, int length, Budget budget) {
			if (data != null) {
				if (used + length > data.length) {
					int n = Math.max(data.length * 2, used + length);
					budget.reserve(n - data.length);
					bytes += n - data.length;
					data = java.util.Arrays.copyOf(data, n);
				}
				System.arraycopy(code, 0, data, used, length);
				offsets[size] = used;
				used += length;
			}
			ids[size++] = id;
		}

		int[] state(int i, int[] into) {
			StateCodec.decode(data, offsets[i], width, into);
			return into;
		}
	}

	/** Where a violation was first seen: the state it left from, which of its successors broke it (-1: at an end state), and the state's hash. */
	private record Hit(int from, int via, long key) {
		/** Shorter first (an end state's trace ends one step earlier), then by the state's hash and the successor: the same whichever worker saw it. */
		boolean before(Hit o) {
			if ((via < 0) != (o.via < 0)) {
				return via < 0;
			}
			return key != o.key ? key < o.key : via < o.via;
		}
	}

	/** One worker: the successors it stored for the next level, the violations it saw, the transitions it took. */
	private final class Worker implements TransitionSystem.StepSink, Consumer<V> {
		final int index;
		final Search search;
		final int width;
		final byte[] code;
		final List<Segment> out = new ArrayList<>();
		final Map<V, Hit> hits = new LinkedHashMap<>();
		final List<V> found = new ArrayList<>(2);
		Segment segment;
		long transitions;
		int[] state;
		int id;
		long key;
		int successor;

		Worker(int index, Search search, int width) {
			this.index = index;
			this.search = search;
			this.width = width;
			this.code = new byte[StateCodec.maxLength(width)];
		}

		void expand(int[] s, int sid) {
			state = s;
			id = sid;
			key = StateStore.hash64(s);
			successor = 0;
			system.successors(s, this, options.partialOrder());
			if (successor == 0) {
				property.onEnd(s, this);
				for (V v : found) {
					hit(v, new Hit(sid, -1, key));
				}
				found.clear();
			}
		}

		@Override
		public void step(int thread, int statement, int[] next) {
			property.onStep(state, thread, statement, next, this);
			int via = successor++;
			int[] c = search.symmetry == null ? next : search.symmetry.canonical(next, null);
			transitions++;
			int added = search.store.add(c, StateStore.hash64(c), id, via, key, index);
			if (added >= 0) {
				keep(added, c);
			}
			if (!found.isEmpty()) {
				for (V v : found) {
					hit(v, new Hit(id, via, key));
				}
				found.clear();
			}
		}

		@Override
		public void accept(V v) {
			found.add(v);
		}

		private void hit(V v, Hit h) {
			Hit old = hits.get(v);
			if (old == null || h.before(old)) {
				hits.put(v, h);
			}
		}

		private void keep(int added, int[] c) {
			boolean packed = !search.store.keepsStates();
			if (segment == null || segment.full()) {
				segment = new Segment(c.length, packed, search.budget);
				out.add(segment);
			}
			segment.add(added, code, packed ? StateCodec.encode(c, c.length, code) : 0, search.budget);
		}

		/** Expands the pieces of the level until none is left or the search stops; the first worker also watches the limits. */
		void work(Level level) {
			for (int p; search.stop == null && (p = level.nextPiece.getAndIncrement()) < level.pieces;) {
				Segment seg = level.segments[level.pieceSegment[p]];
				int from = level.pieceFrom[p];
				int to = Math.min(seg.size, from + PIECE);
				for (int i = from; i < to; i++) {
					int sid = seg.ids[i];
					// a fresh array each: the system may keep the state it is asked about
					int[] s = search.store.keepsStates() ? search.store.read(sid, new int[width]) : seg.state(i, new int[width]);
					expand(s, sid);
				}
				if (index == 0) {
					search.watchLimits();
				}
			}
		}
	}

	/** A level being expanded: its segments, cut in pieces that the workers take in turn. */
	private static final class Level {
		final Segment[] segments;
		final int[] pieceSegment;
		final int[] pieceFrom;
		final int pieces;
		final long size;
		final AtomicInteger nextPiece = new AtomicInteger();

		Level(List<Segment> parts) {
			segments = parts.toArray(new Segment[0]);
			int n = 0;
			long states = 0;
			for (Segment s : segments) {
				n += (s.size + PIECE - 1) / PIECE;
				states += s.size;
			}
			size = states;
			pieces = n;
			pieceSegment = new int[n];
			pieceFrom = new int[n];
			int p = 0;
			for (int k = 0; k < segments.length; k++) {
				for (int from = 0; from < segments[k].size; from += PIECE) {
					pieceSegment[p] = k;
					pieceFrom[p++] = from;
				}
			}
		}

		long bytes() {
			long b = 0;
			for (Segment s : segments) {
				b += s.bytes;
			}
			return b;
		}
	}

	/**
	 * One run of the breadth-first search: level by level, the workers take pieces of the level,
	 * expand each state, store its successors in the shared visited set themselves and keep the
	 * new ones for the next level; the level ends when every piece is done. Every state of level
	 * d + 1 is stored while level d is expanded, so every stored path and every trace is a
	 * shortest one whatever the number of workers.
	 */
	private final class Search {
		final int width;
		final Symmetry symmetry;
		final Budget budget;
		final long start;
		final Map<V, Hit> violations = new LinkedHashMap<>();
		final List<Worker> workers = new ArrayList<>();
		Visited store;
		int depth;
		volatile String stop;
		ExecutorService pool;

		Search(int width, Symmetry symmetry, Budget budget, long start) {
			this.width = width;
			this.symmetry = symmetry;
			this.budget = budget;
			this.start = start;
			for (int w = 0; w < options.workers(); w++) {
				workers.add(new Worker(w, this, width));
			}
		}

		long transitions() {
			long t = 0;
			for (Worker w : workers) {
				t += w.transitions;
			}
			return t;
		}

		String run(int[] root) {
			int rootId = store.add(root, StateStore.hash64(root), -1, -1, 0, 0);
			Worker first = workers.get(0);
			first.keep(rootId, root);
			store.nextLevel();
			List<Segment> current = takeOut();
			for (int level = 0; !current.isEmpty() && stop == null; level++) {
				Level l = new Level(current);
				expand(l);
				mergeHits();
				budget.release(l.bytes());
				current = takeOut();
				store.nextLevel();
				if (!current.isEmpty()) {
					depth = level + 1;
				}
				if (stop == null) {
					watchLimits();
				}
			}
			return stop;
		}

		/** The segments the workers filled, as the next level. */
		private List<Segment> takeOut() {
			List<Segment> next = new ArrayList<>();
			for (Worker w : workers) {
				for (Segment s : w.out) {
					if (s.size > 0) {
						next.add(s);
					} else {
						budget.release(s.bytes);
					}
				}
				w.out.clear();
				w.segment = null;
			}
			return next;
		}

		/** Each violation first seen in this level, from the worker that saw it with the least hit, in the order of their hits. */
		private void mergeHits() {
			Map<V, Hit> level = new LinkedHashMap<>();
			for (Worker w : workers) {
				for (Map.Entry<V, Hit> e : w.hits.entrySet()) {
					if (!violations.containsKey(e.getKey())) {
						Hit old = level.get(e.getKey());
						if (old == null || e.getValue().before(old)) {
							level.put(e.getKey(), e.getValue());
						}
					}
				}
				w.hits.clear();
			}
			level.entrySet().stream().sorted((a, b) -> a.getValue().before(b.getValue()) ? -1 : b.getValue().before(a.getValue()) ? 1 : 0)
					.forEachOrdered(e -> violations.put(e.getKey(), e.getValue()));
		}

		private void expand(Level level) {
			int helpers = options.workers() < 2 || level.pieces < 2 ? 0 : Math.min(options.workers() - 1, level.pieces - 1);
			CountDownLatch done = new CountDownLatch(helpers);
			Throwable[] failure = new Throwable[1];
			if (helpers > 0) {
				if (pool == null) {
					pool = Executors.newFixedThreadPool(options.workers() - 1, r -> {
						Thread t = new Thread(r, "pgmap-explorer");
						t.setDaemon(true);
						return t;
					});
				}
				for (int h = 1; h <= helpers; h++) {
					Worker w = workers.get(h);
					pool.execute(() -> {
						try {
							w.work(level);
						} catch (Throwable t) {
							fail(t, failure);
						} finally {
							done.countDown();
						}
					});
				}
			}
			try {
				workers.get(0).work(level);
			} catch (Throwable t) {
				fail(t, failure);
			}
			try {
				done.await();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", e);
			}
			Throwable t;
			synchronized (failure) {
				t = failure[0];
			}
			if (t instanceof Error e) {
				throw e;
			}
			if (t instanceof RuntimeException re) {
				throw re;
			}
			if (t != null) {
				throw new IllegalStateException(t);
			}
		}

		/** A worker's stop: the memory budget or the heap end the search as incomplete; anything else is thrown on after the level. */
		private void fail(Throwable t, Throwable[] failure) {
			if (t instanceof StateStore.Full) {
				stopWith(memoryLimit());
				return;
			}
			if (t instanceof OutOfMemoryError) {
				stopWith(outOfMemory(store));
				return;
			}
			synchronized (failure) {
				if (failure[0] == null) {
					failure[0] = t;
				}
			}
			stopWith("failed");
		}

		private synchronized void stopWith(String reason) {
			if (stop == null) {
				stop = reason;
			}
		}

		/** On the calling thread only (the cancellation need not be thread-safe). */
		void watchLimits() {
			String reason = limitHit();
			if (reason != null) {
				stopWith(reason);
			}
		}

		private String limitHit() {
			if (cancelled.getAsBoolean()) {
				return "cancelled";
			}
			if (store.size() >= limits.maxStates()) {
				return "state limit of " + limits.maxStates() + " states reached";
			}
			if ((System.nanoTime() - start) / 1e9 >= limits.maxSeconds()) {
				return "time limit of " + limits.maxSeconds() + " s reached";
			}
			if (budget.used() >= limits.maxBytes()) {
				return memoryLimit();
			}
			return null;
		}

		void close() {
			if (pool != null) {
				pool.shutdownNow();
				pool = null;
			}
		}
	}

	/**
	 * Replays the stored path to the violation: each state's successor by the stored index,
	 * canonical states as the search saw them; with symmetry, each step is mapped back through
	 * the permutation that took the real state to its representative, so the trace names the
	 * real threads and pages and is a run of the unreduced model.
	 */
	private Trace<V> trace(Visited store, Symmetry symmetry, V violation, int[] initial, Hit hit) {
		List<Integer> vias = new ArrayList<>();
		for (int at = hit.from(); store.parent(at) >= 0; at = store.parent(at)) {
			vias.add(store.via(at));
		}
		java.util.Collections.reverse(vias);
		if (hit.via() >= 0) {
			vias.add(hit.via());
		}
		List<Step> steps = new ArrayList<>();
		int[] perm = symmetry == null ? null : new int[symmetry.permLength()];
		int[] s = symmetry == null ? initial : symmetry.canonical(initial, perm);
		for (int via : vias) {
			Step step = nth(s, via);
			if (symmetry == null) {
				steps.add(step);
				s = step.state();
				continue;
			}
			int[] back = Symmetry.inverse(perm);
			steps.add(new Step(back[step.thread()], step.statement(), symmetry.apply(step.state(), back)));
			int[] tau = new int[perm.length];
			s = symmetry.canonical(step.state(), tau);
			perm = Symmetry.then(perm, tau);
		}
		return new Trace<>(violation, initial, steps);
	}

	private Step nth(int[] state, int index) {
		Step[] found = new Step[1];
		int[] k = { 0 };
		system.successors(state, (thread, statement, next) -> {
			if (k[0]++ == index) {
				found[0] = new Step(thread, statement, next.clone());
			}
		}, options.partialOrder());
		if (found[0] == null) {
			throw new IllegalStateException("trace replay: state has no successor " + index);
		}
		return found[0];
	}
}
