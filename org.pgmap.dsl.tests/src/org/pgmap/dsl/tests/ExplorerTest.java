package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pgmap.engine.Explorer;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Result;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.TransitionSystem;

/** The explorer on tiny hand-built models whose reachable states and shortest traces are known. */
public class ExplorerTest {

	/** n threads, each counting its own variable from 0 to k. */
	static TransitionSystem counters(int n, int k) {
		return new TransitionSystem() {
			@Override
			public int[] initial() {
				return new int[n];
			}

			@Override
			public void successors(int[] s, StepSink out) {
				for (int t = 0; t < n; t++) {
					if (s[t] < k) {
						int[] next = s.clone();
						next[t]++;
						out.step(t, s[t], next);
					}
				}
			}
		};
	}

	/** Two threads doing x++ as a load and a store: state = pc0, pc1, r0, r1, x. */
	static TransitionSystem lostUpdate() {
		return new TransitionSystem() {
			@Override
			public int[] initial() {
				return new int[5];
			}

			@Override
			public void successors(int[] s, StepSink out) {
				for (int t = 0; t < 2; t++) {
					int[] next = s.clone();
					if (s[t] == 0) {
						next[2 + t] = s[4];
					} else if (s[t] == 1) {
						next[4] = s[2 + t] + 1;
					} else {
						continue;
					}
					next[t]++;
					out.step(t, s[t], next);
				}
			}
		};
	}

	static final Explorer.Property<String> NOTHING = (before, thread, statement, after, violated) -> {
	};

	static final Explorer.Property<String> LOST_UPDATE = new Explorer.Property<>() {
		@Override
		public void onStep(int[] before, int thread, int statement, int[] after, java.util.function.Consumer<String> violated) {
		}

		@Override
		public void onEnd(int[] state, java.util.function.Consumer<String> violated) {
			if (state[4] != 2) {
				violated.accept("lost-update");
			}
		}
	};

	/** Brute force: every state reachable, and the length of a shortest path to each. */
	static Map<List<Integer>, Integer> bruteForce(TransitionSystem system) {
		Map<List<Integer>, Integer> dist = new HashMap<>();
		ArrayDeque<int[]> queue = new ArrayDeque<>();
		int[] init = system.initial();
		dist.put(key(init), 0);
		queue.add(init);
		while (!queue.isEmpty()) {
			int[] s = queue.poll();
			int d = dist.get(key(s));
			system.successors(s, (t, st, next) -> {
				if (dist.putIfAbsent(key(next), d + 1) == null) {
					queue.add(next);
				}
			});
		}
		return dist;
	}

	static List<Integer> key(int[] s) {
		return java.util.Arrays.stream(s).boxed().toList();
	}

	@Test
	public void countsEveryReachableStateExactly() {
		Result<String> r = new Explorer<>(counters(3, 4), NOTHING, Limits.DEFAULT, () -> false).run();
		assertEquals(Verdict.PASS, r.verdict());
		assertEquals(125, r.statistics().states()); // 5^3
		assertEquals(3 * 4 * 25, r.statistics().transitions()); // n * k * (k+1)^(n-1)
		assertEquals(12, r.statistics().depth());
	}

	@Test
	public void lostUpdateIsFoundWithAShortestTrace() {
		TransitionSystem system = lostUpdate();
		Result<String> r = new Explorer<>(system, LOST_UPDATE, Limits.DEFAULT, () -> false).run();
		assertEquals(Verdict.FAIL, r.verdict());
		Explorer.Trace<String> trace = r.violations().get("lost-update");
		assertEquals(4, trace.steps().size(), "load, load, store, store");
		assertEquals(1, trace.steps().get(trace.steps().size() - 1).state()[4]);
		Map<List<Integer>, Integer> brute = bruteForce(system);
		assertEquals(brute.size(), r.statistics().states());
		int shortest = brute.entrySet().stream().filter(e -> e.getKey().get(0) == 2 && e.getKey().get(1) == 2 && e.getKey().get(4) != 2)
				.mapToInt(Map.Entry::getValue).min().orElseThrow();
		assertEquals(shortest, trace.steps().size());
	}

	@Test
	public void aStateLimitEndsIncompleteWithTheReason() {
		Result<String> r = new Explorer<>(counters(4, 9), NOTHING, new Limits(1000, 60, 1L << 30), () -> false).run();
		assertEquals(Verdict.INCOMPLETE, r.verdict());
		assertTrue(r.incompleteReason().contains("state limit of 1000"), r.incompleteReason());
		assertTrue(r.statistics().states() < 10_000);
	}

	@Test
	public void aCancellationDuringTheSearchStopsItWithinAFewThousandStates() {
		int[] asked = { 0 };
		// the IDE's cancel button: pressed once the search has been asked 3 times
		Result<String> r = new Explorer<>(counters(6, 9), NOTHING, Limits.DEFAULT, () -> ++asked[0] > 3).run();
		assertEquals(Verdict.INCOMPLETE, r.verdict());
		assertEquals("cancelled", r.incompleteReason());
		assertTrue(r.statistics().states() < 20_000, "stopped early: " + r.statistics().states() + " of 1,000,000 states");
	}

	@Test
	public void cancellationStopsTheSearch() {
		Result<String> r = new Explorer<>(counters(6, 9), NOTHING, Limits.DEFAULT, () -> true).run();
		assertEquals(Verdict.INCOMPLETE, r.verdict());
		assertEquals("cancelled", r.incompleteReason());
	}

	@Test
	public void theStoreNeverGrowsPastTheMemoryLimitAndTheSearchEndsIncomplete() {
		for (Explorer.Options o : List.of(Explorer.Options.NONE, Explorer.Options.DEFAULT, Explorer.Options.NONE.withWorkers(2),
				Explorer.Options.NONE.withHashCompaction(true), Explorer.Options.NONE.withHashCompaction(true).withWorkers(2))) {
			// 10^6 states of 6 ints: far more than 4 MiB
			Result<String> r = new Explorer<>(counters(6, 9), NOTHING, new Limits(10_000_000, 600, 4L << 20), o, () -> false).run();
			assertEquals(Verdict.INCOMPLETE, r.verdict(), o.describe());
			assertTrue(r.incompleteReason().startsWith("memory limit of 4 MiB"), r.incompleteReason());
			assertTrue(r.statistics().bytes() <= 4L << 20, o.describe() + ": " + r.statistics().bytes() + " bytes");
			assertTrue(r.statistics().states() > 10_000, o.describe() + ": " + r.statistics().states());
		}
	}

	@Test
	public void twoWorkersFindTheSameStatesTransitionsAndTracesAsOne() {
		Explorer.Options one = Explorer.Options.NONE;
		Explorer.Options two = Explorer.Options.NONE.withWorkers(2);
		Result<String> a = new Explorer<>(lostUpdateMany(), LOST_UPDATE, Limits.DEFAULT, one, () -> false).run();
		Result<String> b = new Explorer<>(lostUpdateMany(), LOST_UPDATE, Limits.DEFAULT, two, () -> false).run();
		assertEquals(a.statistics().states(), b.statistics().states());
		assertEquals(a.statistics().transitions(), b.statistics().transitions());
		assertEquals(a.statistics().depth(), b.statistics().depth());
		assertEquals(a.violations().keySet(), b.violations().keySet());
		for (String v : a.violations().keySet()) {
			List<Explorer.Step> x = a.violations().get(v).steps();
			List<Explorer.Step> y = b.violations().get(v).steps();
			assertEquals(x.size(), y.size());
			for (int i = 0; i < x.size(); i++) {
				assertEquals(x.get(i).thread(), y.get(i).thread());
				assertTrue(java.util.Arrays.equals(x.get(i).state(), y.get(i).state()));
			}
		}
	}

	/** Every visited set, with 1 and 2 workers: the same states, transitions, depth and trace lengths, and each trace replays. */
	@Test
	public void theShardedStoreGivesTheSameResultWithEveryVisitedSetAndWorkers() {
		TransitionSystem system = lostUpdateMany();
		Result<String> base = new Explorer<>(system, LOST_UPDATE, Limits.DEFAULT, Explorer.Options.NONE, () -> false).run();
		for (Explorer.Options o : List.of(Explorer.Options.NONE.withWorkers(2), Explorer.Options.NONE.withWorkers(3),
				Explorer.Options.NONE.withHashCompaction(true), Explorer.Options.NONE.withHashCompaction(true).withWorkers(2))) {
			Result<String> r = new Explorer<>(system, LOST_UPDATE, Limits.DEFAULT, o, () -> false).run();
			assertEquals(Verdict.FAIL, r.verdict(), o.describe());
			assertEquals(base.statistics().states(), r.statistics().states(), o.describe());
			assertEquals(base.statistics().transitions(), r.statistics().transitions(), o.describe());
			assertEquals(base.statistics().depth(), r.statistics().depth(), o.describe());
			Explorer.Trace<String> t = r.violations().get("lost-update");
			assertEquals(base.violations().get("lost-update").steps().size(), t.steps().size(), o.describe());
			assertTrue(replays(system, t), o.describe());
		}
	}

	/**
	 * Values of every size (negative, past a byte, the int extremes) are stored and read back
	 * exactly: the explorer expands each state as the store gives it back, so a wrong value would
	 * give other successors and other states than the brute force's.
	 */
	@Test
	public void statesOfAnyValuesAreStoredAndReadBackExactly() {
		int[] values = { 0, -1, 63, -64, 64, -65, 127, 128, 255, 8191, 8192, -10, 1 << 20, -(1 << 27), Integer.MAX_VALUE,
				Integer.MIN_VALUE };
		java.util.Set<List<Integer>> made = java.util.concurrent.ConcurrentHashMap.newKeySet();
		made.add(key(new int[200]));
		TransitionSystem system = new TransitionSystem() {
			@Override
			public int[] initial() {
				return new int[200]; // long runs of zeros, values after them
			}

			@Override
			public void successors(int[] s, StepSink out) {
				if (!made.contains(key(s))) {
					throw new IllegalStateException("asked for the successors of a state never made: " + key(s));
				}
				int i = s[2];
				if (i >= 60) {
					return;
				}
				for (int k = 0; k < 2; k++) {
					int[] next = new int[200];
					next[0] = s[1];
					next[1] = values[(i * 7 + k * 3 + (s[0] & 3)) % values.length];
					next[2] = i + 1;
					next[130] = s[0];
					next[199] = k;
					made.add(key(next));
					out.step(k, i, next);
				}
			}
		};
		Map<List<Integer>, Integer> brute = bruteForce(system);
		for (Explorer.Options o : List.of(Explorer.Options.NONE, Explorer.Options.NONE.withWorkers(2),
				Explorer.Options.NONE.withHashCompaction(true).withWorkers(2))) {
			Result<String> r = new Explorer<>(system, NOTHING, Limits.DEFAULT, o, () -> false).run();
			assertEquals(Verdict.PASS, r.verdict(), o.describe());
			assertEquals(brute.size(), r.statistics().states(), o.describe());
			assertEquals(60, r.statistics().depth(), o.describe());
		}
	}

	/** A trace is a run of the system: each step is one of the successors of the state before it. */
	static boolean replays(TransitionSystem system, Explorer.Trace<?> trace) {
		int[] s = trace.initial();
		for (Explorer.Step step : trace.steps()) {
			boolean[] found = { false };
			system.successors(s, (t, st, next) -> found[0] |= t == step.thread() && st == step.statement()
					&& java.util.Arrays.equals(next, step.state()));
			if (!found[0]) {
				return false;
			}
			s = step.state();
		}
		return true;
	}

	/** Bitstate: the violation is found with a shortest trace that replays; with 1 and 2 workers. */
	@Test
	public void aBitstateSearchFindsTheViolationWithAReplayableShortestTrace() {
		TransitionSystem system = lostUpdateMany();
		int shortest = new Explorer<>(system, LOST_UPDATE, Limits.DEFAULT, () -> false).run().violations().get("lost-update").steps().size();
		for (int workers = 1; workers <= 2; workers++) {
			Explorer.Options o = Explorer.Options.NONE.withWorkers(workers).withBitstate(4);
			Result<String> r = new Explorer<>(system, LOST_UPDATE, Limits.DEFAULT, o, () -> false).run();
			assertEquals(Verdict.FAIL, r.verdict(), o.describe());
			Explorer.Trace<String> t = r.violations().get("lost-update");
			assertEquals(shortest, t.steps().size(), o.describe());
			assertTrue(replays(system, t), o.describe());
			assertEquals(4L << 23, r.statistics().bitstate().bits());
			assertEquals(3, r.statistics().bitstate().hashFunctions());
		}
	}

	/** Bitstate without a violation: never PASS; the reason says how many states and that it is not exhaustive. */
	@Test
	public void aBitstateSearchWithoutViolationIsIncomplete() {
		for (int workers = 1; workers <= 2; workers++) {
			Explorer.Options o = Explorer.Options.NONE.withWorkers(workers).withBitstate(1);
			Result<String> r = new Explorer<>(counters(6, 9), NOTHING, Limits.DEFAULT, o, () -> false).run();
			assertEquals(Verdict.INCOMPLETE, r.verdict(), o.describe());
			assertTrue(r.incompleteReason().startsWith("no violation found in " + r.statistics().states() + " states (bitstate search, not exhaustive)"),
					r.incompleteReason());
			// 10^6 states in 2^23 bits: a hash factor of 8, so some states are missed, and the estimate says so
			Explorer.Bitstate b = r.statistics().bitstate();
			assertTrue(r.statistics().states() < 1_000_000 + 1000 && r.statistics().states() > 900_000, "" + r.statistics().states());
			assertEquals((double) b.bits() / r.statistics().states(), b.hashFactor(), 1e-9);
			assertTrue(b.expectedOmitted() > 0.001 && b.expectedOmitted() < 0.05, "" + b.expectedOmitted());
			assertTrue(b.omittedAtEnd() > b.expectedOmitted(), "" + b.omittedAtEnd());
		}
		// a limit still stops it, and it still does not pass
		Result<String> cut = new Explorer<>(counters(6, 9), NOTHING, new Limits(1000, 60, 1L << 30),
				Explorer.Options.NONE.withBitstate(1), () -> false).run();
		assertEquals(Verdict.INCOMPLETE, cut.verdict());
		assertTrue(cut.incompleteReason().startsWith("state limit of 1000 states reached; no violation found in"), cut.incompleteReason());
		// and the memory limit counts the bit array
		Result<String> small = new Explorer<>(counters(6, 9), NOTHING, new Limits(10_000_000, 60, 2L << 20),
				Explorer.Options.NONE.withBitstate(1), () -> false).run();
		assertEquals(Verdict.INCOMPLETE, small.verdict());
		assertTrue(small.incompleteReason().startsWith("memory limit of 2 MiB reached"), small.incompleteReason());
		assertTrue(small.statistics().bytes() <= 2L << 20, "" + small.statistics().bytes());
	}

	/** The lost update beside four counters: enough states (10,000 x 9) for both workers to share levels. */
	static TransitionSystem lostUpdateMany() {
		TransitionSystem lost = lostUpdate();
		TransitionSystem count = counters(4, 9);
		return new TransitionSystem() {
			@Override
			public int[] initial() {
				return new int[9];
			}

			@Override
			public void successors(int[] s, StepSink out) {
				int[] a = java.util.Arrays.copyOfRange(s, 0, 5);
				int[] c = java.util.Arrays.copyOfRange(s, 5, 9);
				lost.successors(a, (t, st, next) -> {
					int[] n = s.clone();
					System.arraycopy(next, 0, n, 0, 5);
					out.step(t, st, n);
				});
				count.successors(c, (t, st, next) -> {
					int[] n = s.clone();
					System.arraycopy(next, 0, n, 5, 4);
					out.step(2 + t, st, n);
				});
			}
		};
	}
}
