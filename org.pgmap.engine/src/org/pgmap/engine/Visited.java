package org.pgmap.engine;

/**
 * The explorer's visited set, safe for several workers adding at once: the exact or
 * hash-compacted {@link StateStore}, or the {@link BitStateStore} of a bitstate search. Each
 * state added gets an id (a non-negative int) under which it keeps its parent's id and which
 * successor of the parent it was (the index in the parent's successor list), so that a trace
 * is found again by replaying the model.
 */
interface Visited {

	/**
	 * Adds the state (whose {@link StateStore#hash64(int[])} is {@code h}) unless it was seen;
	 * returns its new id, or -1 if it was there. {@code key} orders the parents of a state
	 * found more than once in the same breadth-first level (the hash of the parent): a store
	 * that can keeps the parent with the least (key, via), so the path does not depend on
	 * which worker came first. {@code worker} is the calling worker's index.
	 */
	int add(int[] state, long h, int parentId, int via, long key, int worker);

	/** The parent's id (-1 for the initial state). */
	int parent(int id);

	/** Which successor of its parent the state was. */
	int via(int id);

	/** Whether {@link #read(int, int[])} gives the state back (else the frontier must keep it). */
	boolean keepsStates();

	/** The state with the id, into {@code into}; only when {@link #keepsStates()}. */
	int[] read(int id, int[] into);

	/** Called between breadth-first levels, with no worker adding: the states added from now on are the next level. */
	void nextLevel();

	/** States stored (an estimate while workers add). */
	long size();

	/** Bytes held. */
	long bytes();
}
