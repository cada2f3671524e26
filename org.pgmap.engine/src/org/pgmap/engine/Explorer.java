package org.pgmap.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Explicit-state, breadth-first exploration of every interleaving of a transition system, with a
 * visited set, so every trace it reports is a shortest one. It checks the properties after every
 * step and at end states (no step enabled), goes on past the first violation so that every
 * violated property is reported with its own shortest trace, and stops at a limit or on
 * cancellation with an "incomplete" result that says why and how far it got.
 */
public final class Explorer {

	/** A property checked on each step and on each end state; names each violation it sees. */
	public interface Property {
		void onStep(int[] before, int thread, int statement, int[] after, Consumer<String> violated);

		default void onEnd(int[] state, Consumer<String> violated) {
		}
	}

	public record Limits(long maxStates, double maxSeconds, long maxBytes) {
		public static final Limits DEFAULT = new Limits(5_000_000, 60, 2L << 30);
	}

	public enum Verdict {
		PASS, FAIL, INCOMPLETE
	}

	/** One step of a trace: the thread and statement that ran, and the state after it. */
	public record Step(int thread, int statement, int[] state) {
	}

	public record Trace(String violation, int[] initial, List<Step> steps) {
	}

	public record Statistics(long states, long transitions, int depth, long bytes, double seconds) {
		public double statesPerSecond() {
			return seconds <= 0 ? states : states / seconds;
		}
	}

	public record Result(Verdict verdict, String incompleteReason, Map<String, Trace> violations, Statistics statistics) {
	}

	private final TransitionSystem system;
	private final Property property;
	private final Limits limits;
	private final BooleanSupplier cancelled;

	public Explorer(TransitionSystem system, Property property, Limits limits, BooleanSupplier cancelled) {
		this.system = system;
		this.property = property;
		this.limits = limits;
		this.cancelled = cancelled;
	}

	public Result run() {
		long start = System.nanoTime();
		int[] initial = system.initial();
		StateStore store = new StateStore(initial.length);
		store.add(initial, -1, -1, -1);
		Map<String, Hit> violations = new LinkedHashMap<>();
		long[] transitions = { 0 };
		String incomplete = null;
		try {
			incomplete = explore(store, violations, transitions, start);
		} catch (OutOfMemoryError e) {
			incomplete = "out of memory after " + store.size() + " states (raise the JVM heap or lower --max-memory)";
		}
		int depth = depth(store);
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Trace> traces = new LinkedHashMap<>();
		for (Map.Entry<String, Hit> e : violations.entrySet()) {
			traces.put(e.getKey(), trace(store, e.getKey(), initial, e.getValue()));
		}
		Verdict verdict = !traces.isEmpty() ? Verdict.FAIL : incomplete != null ? Verdict.INCOMPLETE : Verdict.PASS;
		return new Result(verdict, incomplete, traces,
				new Statistics(store.size(), transitions[0], depth, store.bytes(), seconds));
	}

	/** The length of the longest shortest path: the depth of the last state stored. */
	private static int depth(StateStore store) {
		int d = 0;
		for (int at = store.size() - 1; at > 0 && store.parent(at) >= 0; at = store.parent(at)) {
			d++;
		}
		return d;
	}

	private String explore(StateStore store, Map<String, Hit> violations, long[] transitions, long start) {
		int levelStart = 0;
		int levelEnd = 1;
		String incomplete = null;
		while (levelStart < levelEnd && incomplete == null) {
			for (int id = levelStart; id < levelEnd && incomplete == null; id++) {
				int[] state = store.get(id);
				int parentId = id;
				boolean[] any = { false };
				system.successors(state, (thread, statement, next) -> {
					any[0] = true;
					transitions[0]++;
					store.add(next, parentId, thread, statement);
					property.onStep(state, thread, statement, next, v -> {
						if (!violations.containsKey(v)) {
							violations.put(v, new Hit(parentId, new Step(thread, statement, next.clone())));
						}
					});
				});
				if (!any[0]) {
					int endId = id;
					property.onEnd(state, v -> {
						if (!violations.containsKey(v)) {
							violations.put(v, new Hit(endId, null));
						}
					});
				}
				if ((id & 0x3ff) == 0) {
					incomplete = limitHit(store, start);
				}
			}
			if (incomplete == null) {
				incomplete = limitHit(store, start);
			}
			levelStart = levelEnd;
			levelEnd = store.size();
		}
		return incomplete;
	}

	private String limitHit(StateStore store, long start) {
		if (cancelled.getAsBoolean()) {
			return "cancelled";
		}
		if (store.size() >= limits.maxStates()) {
			return "state limit of " + limits.maxStates() + " states reached";
		}
		if ((System.nanoTime() - start) / 1e9 >= limits.maxSeconds()) {
			return "time limit of " + limits.maxSeconds() + " s reached";
		}
		if (store.bytes() >= limits.maxBytes()) {
			return "memory limit of " + (limits.maxBytes() >> 20) + " MiB reached";
		}
		return null;
	}

	/** Where a violation was first seen: the state it left from and the violating step (none at an end state). */
	private record Hit(int from, Step last) {
	}

	private static Trace trace(StateStore store, String violation, int[] initial, Hit hit) {
		List<Step> steps = new ArrayList<>();
		for (int at = hit.from(); store.parent(at) >= 0; at = store.parent(at)) {
			steps.add(new Step(store.thread(at), store.statement(at), store.get(at)));
		}
		Collections.reverse(steps);
		if (hit.last() != null) {
			steps.add(hit.last());
		}
		return new Trace(violation, initial, steps);
	}
}
