package org.pgmap.engine;

/**
 * What the explorer needs of a model: an initial state and the steps out of a state. States are
 * flat int vectors (program counters, refcounts, lock holders, pool contents, ghost state), so
 * the visited set stores them packed, without per-state object graphs.
 */
public interface TransitionSystem {

	/** The state every run starts in. */
	int[] initial();

	/** Offers every enabled step out of {@code state} to {@code out}; must not modify {@code state}. */
	void successors(int[] state, StepSink out);

	/**
	 * With {@code partialOrder}, may offer only a subset of the enabled steps that is enough to
	 * find every reachable violation and end state (an ample set: one thread-local, invisible
	 * step that moves its thread forward). The default offers every step.
	 */
	default void successors(int[] state, StepSink out, boolean partialOrder) {
		successors(state, out);
	}

	/** The symmetries of the model, or null if it has none worth using. */
	default Symmetry symmetry() {
		return null;
	}

	/**
	 * Receives one step: which thread took it, which statement it ran, and the state after it.
	 * The receiver may keep {@code next}: a system passes a fresh array for every step.
	 */
	@FunctionalInterface
	interface StepSink {
		void step(int thread, int statement, int[] next);
	}
}
