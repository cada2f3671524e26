package org.pgmap.engine;

import java.util.ArrayList;
import java.util.Arrays;
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
 * than one worker, the states of each breadth-first level are expanded in parallel in chunks
 * and their successors stored in the order a single worker would: the result is the same.
 * <p>
 * One file: the breadth-first search, its parallel expansion and the trace reconstruction share
 * the state store's ids and the frontier; they change together.
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

	/** Which reductions are on, and how many threads expand states. */
	public record Options(boolean partialOrder, boolean symmetry, boolean hashCompaction, int workers) {
		/** Partial order and symmetry on, exact visited set, both cores. */
		public static final Options DEFAULT = new Options(true, true, false, Math.min(2, Runtime.getRuntime().availableProcessors()));
		/** No reduction, exact, one worker: the plain search the reductions are checked against. */
		public static final Options NONE = new Options(false, false, false, 1);

		public Options withPartialOrder(boolean on) {
			return new Options(on, symmetry, hashCompaction, workers);
		}

		public Options withSymmetry(boolean on) {
			return new Options(partialOrder, on, hashCompaction, workers);
		}

		public Options withHashCompaction(boolean on) {
			return new Options(partialOrder, symmetry, on, workers);
		}

		public Options withWorkers(int n) {
			return new Options(partialOrder, symmetry, hashCompaction, Math.max(1, n));
		}

		public String describe() {
			List<String> on = new ArrayList<>();
			if (partialOrder) {
				on.add("partial-order");
			}
			if (symmetry) {
				on.add("symmetry");
			}
			if (hashCompaction) {
				on.add("hash-compaction");
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
	 */
	public record Statistics(long states, long transitions, int depth, long bytes, double seconds,
			double collisionProbability, String options, String symmetry) {
		public double statesPerSecond() {
			return seconds <= 0 ? states : states / seconds;
		}
	}

	public record Result<V>(Verdict verdict, String incompleteReason, Map<V, Trace<V>> violations, Statistics statistics) {
	}

	private static final int CHUNK = 1024;

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
		StateStore store = new StateStore(root.length, options.hashCompaction());
		Map<V, Hit> violations = new LinkedHashMap<>();
		long[] transitions = { 0 };
		String incomplete = null;
		store.budget(limits.maxBytes());
		try {
			store.add(root, -1, -1);
			incomplete = explore(store, root, symmetry, violations, transitions, start);
		} catch (StateStore.Full e) {
			incomplete = "memory limit of " + (limits.maxBytes() >> 20) + " MiB reached";
		} catch (OutOfMemoryError e) {
			incomplete = "out of memory after " + store.size() + " states (raise the JVM heap or lower --max-memory)";
		} finally {
			if (pool != null) {
				pool.shutdownNow();
				pool = null;
			}
		}
		int depth = depth(store);
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<V, Trace<V>> traces = new LinkedHashMap<>();
		for (Map.Entry<V, Hit> e : violations.entrySet()) {
			traces.put(e.getKey(), trace(store, symmetry, e.getKey(), initial, e.getValue()));
		}
		Verdict verdict = !traces.isEmpty() ? Verdict.FAIL : incomplete != null ? Verdict.INCOMPLETE : Verdict.PASS;
		return new Result<>(verdict, incomplete, traces, new Statistics(store.size(), transitions[0], depth, store.bytes(),
				seconds, store.collisionProbability(), options.describe(), symmetry == null ? "" : symmetry.describe()));
	}

	/** The length of the longest shortest path: the depth of the last state stored. */
	private static int depth(StateStore store) {
		int d = 0;
		for (int at = store.size() - 1; at > 0 && store.parent(at) >= 0; at = store.parent(at)) {
			d++;
		}
		return d;
	}

	/** The states of one breadth-first level, with their ids (the arrays the steps made, not copies). */
	private static final class Frontier {
		final int width;
		int[][] states = new int[64][];
		int[] ids = new int[64];
		int size;

		Frontier(int width) {
			this.width = width;
		}

		void add(int id, int[] s) {
			if (size == ids.length) {
				ids = Arrays.copyOf(ids, size * 2);
				states = Arrays.copyOf(states, size * 2);
			}
			states[size] = s;
			ids[size++] = id;
		}

		int[] state(int i) {
			return states[i];
		}

		long bytes() {
			return (16L + 4L * width) * size + 8L * states.length + 4L * ids.length;
		}
	}

	/** The successors of one state, canonical when symmetry is on, and what each step violated. */
	private final class Expansion {
		int[][] next = new int[4][];
		long[] hash = new long[4];
		Object[][] violated = new Object[4][];
		int count;
		List<V> atEnd;

		void add(int[] s, List<V> v) {
			if (count == next.length) {
				next = Arrays.copyOf(next, count * 2);
				hash = Arrays.copyOf(hash, count * 2);
				violated = Arrays.copyOf(violated, count * 2);
			}
			hash[count] = StateStore.hash64(s);
			next[count] = s;
			violated[count++] = v == null ? null : v.toArray();
		}
	}

	private Expansion expand(int[] state, Symmetry symmetry) {
		Expansion e = new Expansion();
		List<V> found = new ArrayList<>(2);
		Consumer<V> sink = found::add;
		system.successors(state, (thread, statement, next) -> {
			property.onStep(state, thread, statement, next, sink);
			e.add(symmetry == null ? next : symmetry.canonical(next, null), found.isEmpty() ? null : found);
			found.clear();
		}, options.partialOrder());
		if (e.count == 0) {
			property.onEnd(state, sink);
			e.atEnd = found;
		}
		return e;
	}

	/** States per piece of work handed to a worker. */
	private static final int PIECE = 64;

	/**
	 * One chunk of a level being expanded: workers take pieces of it until none is left. The
	 * calling thread stores the successors of the chunk before, meanwhile the workers expand
	 * this one, then it helps them finish.
	 */
	private final class ChunkWork implements Runnable {
		final Frontier frontier;
		final int first;
		final int n;
		final Symmetry symmetry;
		final Expansion[] ex;
		final AtomicInteger nextPiece = new AtomicInteger();
		final CountDownLatch done;
		volatile Throwable failure;

		ChunkWork(Frontier frontier, int first, int n, Symmetry symmetry, int helpers) {
			this.frontier = frontier;
			this.first = first;
			this.n = n;
			this.symmetry = symmetry;
			@SuppressWarnings("unchecked")
			Expansion[] array = (Expansion[]) new Explorer<?>.Expansion[n];
			this.ex = array;
			this.done = new CountDownLatch(helpers);
		}

		/** Expands pieces until none is left. */
		void work() {
			int pieces = (n + PIECE - 1) / PIECE;
			for (int p; (p = nextPiece.getAndIncrement()) < pieces;) {
				for (int i = p * PIECE; i < Math.min(n, (p + 1) * PIECE); i++) {
					ex[i] = expand(frontier.state(first + i), symmetry);
				}
			}
		}

		@Override
		public void run() {
			try {
				work();
			} catch (Throwable t) {
				failure = t;
				nextPiece.set(Integer.MAX_VALUE / 2);
			} finally {
				done.countDown();
			}
		}

		Expansion[] finish() {
			work();
			try {
				done.await();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", e);
			}
			if (failure instanceof OutOfMemoryError oom) {
				throw oom;
			}
			if (failure instanceof RuntimeException re) {
				throw re;
			}
			if (failure != null) {
				throw new IllegalStateException(failure);
			}
			return ex;
		}
	}

	private ChunkWork start(Frontier f, int c, Symmetry symmetry) {
		int n = Math.min(CHUNK, f.size - c);
		int helpers = options.workers() < 2 || f.size < 4 * PIECE ? 0 : options.workers() - 1;
		ChunkWork w = new ChunkWork(f, c, n, symmetry, helpers);
		if (helpers > 0) {
			if (pool == null) {
				pool = Executors.newFixedThreadPool(options.workers() - 1, r -> {
					Thread t = new Thread(r, "pgmap-explorer");
					t.setDaemon(true);
					return t;
				});
			}
			for (int h = 0; h < helpers; h++) {
				pool.execute(w);
			}
		}
		return w;
	}

	/** The workers beside the calling thread, started when a level first has enough states to share. */
	private ExecutorService pool;

	private String explore(StateStore store, int[] root, Symmetry symmetry, Map<V, Hit> violations,
			long[] transitions, long start) {
		Frontier current = new Frontier(root.length);
		current.add(0, root);
		String incomplete = null;
		while (current.size > 0 && incomplete == null) {
			Frontier next = new Frontier(root.length);
			ChunkWork work = start(current, 0, symmetry);
			for (int c = 0; c < current.size && incomplete == null; c += CHUNK) {
				Expansion[] ex = work.finish();
				int n = work.n;
				work = c + CHUNK < current.size ? start(current, c + CHUNK, symmetry) : null;
				for (int i = 0; i < n; i++) {
					Expansion e = ex[i];
					int id = current.ids[c + i];
					if (e.count == 0) {
						for (V v : e.atEnd) {
							violations.putIfAbsent(v, new Hit(id, -1));
						}
						continue;
					}
					for (int k = 0; k < e.count; k++) {
						transitions[0]++;
						int added = store.add(e.next[k], e.hash[k], id, k);
						if (added >= 0) {
							next.add(added, e.next[k]);
						}
						if (e.violated[k] != null) {
							for (Object o : e.violated[k]) {
								@SuppressWarnings("unchecked")
								V v = (V) o;
								violations.putIfAbsent(v, new Hit(id, k));
							}
						}
					}
				}
				incomplete = limitHit(store, current.bytes() + next.bytes(), start);
			}
			if (work != null) {
				work.finish(); // stopped early: let the workers finish the chunk they are on
			}
			current = next;
		}
		return incomplete;
	}

	private String limitHit(StateStore store, long frontierBytes, long start) {
		if (cancelled.getAsBoolean()) {
			return "cancelled";
		}
		if (store.size() >= limits.maxStates()) {
			return "state limit of " + limits.maxStates() + " states reached";
		}
		if ((System.nanoTime() - start) / 1e9 >= limits.maxSeconds()) {
			return "time limit of " + limits.maxSeconds() + " s reached";
		}
		if (store.bytes() + frontierBytes >= limits.maxBytes()) {
			return "memory limit of " + (limits.maxBytes() >> 20) + " MiB reached";
		}
		return null;
	}

	/** Where a violation was first seen: the state it left from and which of its successors broke it (-1: at an end state). */
	private record Hit(int from, int via) {
	}

	/**
	 * Replays the stored path to the violation: each state's successor by the stored index,
	 * canonical states as the search saw them; with symmetry, each step is mapped back through
	 * the permutation that took the real state to its representative, so the trace names the
	 * real threads and pages and is a run of the unreduced model.
	 */
	private Trace<V> trace(StateStore store, Symmetry symmetry, V violation, int[] initial, Hit hit) {
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
