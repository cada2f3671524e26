package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.CLAIM;
import static org.pgmap.engine.StateLayout.COUNT;
import static org.pgmap.engine.StateLayout.DIRTY;
import static org.pgmap.engine.StateLayout.MAPREFS;
import static org.pgmap.engine.StateLayout.OWNERS;
import static org.pgmap.engine.StateLayout.PFNMAPS;
import static org.pgmap.engine.StateLayout.POOL;
import static org.pgmap.engine.StateLayout.PUBLISHERS;
import static org.pgmap.engine.StateLayout.RUNNING;
import static org.pgmap.engine.StateLayout.bit;
import static org.pgmap.engine.StateLayout.has;
import static org.pgmap.engine.StateLayout.hasOther;
import static org.pgmap.engine.StateLayout.violate;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.ExecModel.Pool;
import org.pgmap.engine.model.Instr;

/**
 * Who holds, owns and published each page (shared/domain.md, {@link StateLayout}): the checks of
 * a thread's right to touch a page (R2, R3, R12), and the transfers that change who owns it: the
 * claim from a pool or bookkeeping, the hand-off to the first user (R4) and the put-back (R5, R8,
 * R10). Part of {@link Interpreter}.
 */
final class Ownership {

	private final ExecModel model;
	private final StateLayout layout;
	private final Pools pools;
	private final int threads;
	private final int[] finalAt;
	private final int[] handoff;
	private final boolean[] coreFrees;
	private final int[] pagemapOfPage;
	private final int[][] ownerLocks;
	private final boolean[][] driverOwns;

	Ownership(Interpreter in, Pools pools) {
		this.model = in.model;
		this.layout = in.layout;
		this.pools = pools;
		this.threads = in.threads;
		this.finalAt = in.finalAt;
		this.handoff = in.handoff;
		this.coreFrees = in.coreFrees;
		this.pagemapOfPage = in.pagemapOfPage;
		this.ownerLocks = in.ownerLocks;
		this.driverOwns = in.driverOwns;
	}

	/** Holds a reference to the page, or owns it: claimed it, runs its final put, holds its owning lock, or is its driver's code. */
	boolean mayUse(int[] s, int t, int p, Instr in) {
		if (t >= threads) {
			return true; // memremap_pages() setup
		}
		if (s[layout.refs(p, t)] > 0 || s[layout.page(p, CLAIM)] == t + 1 || has(s[layout.page(p, OWNERS)], t)
				|| (in.core() && !coreFrees[p] && has(s[layout.page(p, RUNNING)], t))) {
			return true;
		}
		for (int l : ownerLocks[p]) {
			if (s[layout.lock(l)] == t + 1) {
				return true;
			}
		}
		return in.driver() >= 0 && driverOwns[in.driver()][pagemapOfPage[p]];
	}

	/** A write of page state: not after the thread published the page (R2), and only with a right to it (R12). Returns whether R2 broke. */
	boolean writeCheck(int[] s, int t, int p, Instr in) {
		if (t < threads && has(s[layout.page(p, PUBLISHERS)], t)) {
			violate(s, Rule.R2);
			return true;
		}
		useCheck(s, t, p, in);
		return false;
	}

	/** A read of mutable per-page state: not after publication (R3), and only with a right to it (R12). */
	void readCheck(int[] s, int t, int p, Instr in) {
		if (t < threads && has(s[layout.page(p, PUBLISHERS)], t)) {
			violate(s, Rule.R3);
		} else {
			useCheck(s, t, p, in);
		}
	}

	void useCheck(int[] s, int t, int p, Instr in) {
		if (!mayUse(s, t, p, in)) {
			violate(s, Rule.R12);
		}
	}

	/** A new reference (get_page, a mapping): like a write, but a live mapping lets anyone take one (do_swap_page, GUP, fork). */
	void referenceCheck(int[] s, int t, int p, Instr in) {
		if (t < threads && has(s[layout.page(p, PUBLISHERS)], t)) {
			violate(s, Rule.R2);
		} else if (mappings(s, p) == 0) {
			useCheck(s, t, p, in);
		}
	}

	int mappings(int[] s, int p) {
		return s[layout.page(p, MAPREFS)] + s[layout.page(p, PFNMAPS)];
	}

	/** Whether a mapping or another thread holds the page ({@code withTries}: counting transient try_get references). */
	boolean othersHold(int[] s, int t, int p, boolean withTries) {
		if (s[layout.page(p, MAPREFS)] > 0) {
			return true;
		}
		for (int u = 0; u < threads; u++) {
			if (u != t && s[layout.refs(p, u)] - (withTries ? 0 : s[layout.tries(p, u)]) > 0) {
				return true;
			}
		}
		return false;
	}

	/** Another thread owns the page or holds it for longer than a try_get, or a mapping holds it: it has a new meaning. */
	boolean givenNewMeaning(int[] s, int t, int p) {
		int claim = s[layout.page(p, CLAIM)];
		if ((claim != 0 && claim != t + 1) || hasOther(s[layout.page(p, OWNERS)], t) || othersHold(s, t, p, false)) {
			return true;
		}
		for (int l : ownerLocks[p]) {
			int holder = s[layout.lock(l)];
			if (holder != 0 && holder != t + 1) {
				return true;
			}
		}
		return false;
	}

	/** A pool take or a bookkeeping claim: the thread owns the page until it hands it out or puts it back. */
	void claim(int[] s, int t, int p) {
		// not free: handed out since its last page_free, or another thread's final put has not handed it back yet
		if (s[layout.page(p, DIRTY)] != 0 || hasOther(s[layout.page(p, OWNERS)], t)) {
			violate(s, Rule.R5);
		}
		s[layout.page(p, CLAIM)] = t + 1;
		s[layout.page(p, PUBLISHERS)] &= ~bit(t);
		for (int u = 0; u < threads; u++) {
			s[layout.tries(p, u)] = 0; // only try_gets from now on are exempt at the hand-off (R4)
		}
	}

	/**
	 * The allocator hands the page it claimed to its first user (R4): at the era's allocation count
	 * plus the try_get references taken since the claim, and nobody else holds or owns it.
	 */
	void handOff(int[] s, int t, int p) {
		int tries = 0;
		int others = s[layout.page(p, MAPREFS)];
		for (int u = 0; u < threads; u++) {
			if (u != t) {
				tries += s[layout.tries(p, u)];
				others += s[layout.refs(p, u)] - s[layout.tries(p, u)];
			}
		}
		if (s[layout.page(p, COUNT)] != handoff[p] + tries || others > 0 || hasOther(s[layout.page(p, OWNERS)], t)) {
			violate(s, Rule.R4);
		}
		s[layout.page(p, CLAIM)] = 0;
		s[layout.page(p, DIRTY)] = 1;
		s[layout.refs(p, t)] = Math.max(s[layout.refs(p, t)], handoff[p] - finalAt[p]);
		s[layout.tries(p, t)] = 0;
	}

	/**
	 * Puts page p back into pool q: a double free is R8, and so is putting back a page that another
	 * holder than a transient try_get still holds. A pool publishes the page (the putter stays its
	 * publisher); bookkeeping only records it free. For types whose core calls no page_free, the
	 * put-back after the last reference is the proof of freedom (R5).
	 */
	void putBack(int[] s, int t, int q, int p, Instr in, boolean checkRights) {
		Pool pool = model.pools().get(q);
		if (s[layout.page(p, POOL)] != 0) {
			violate(s, Rule.R8); // published into a pool it is already in: a double free
			return;
		}
		if (checkRights) {
			writeCheck(s, t, p, in);
		}
		if (pool.linkedByLru()) {
			violate(s, Rule.R10);
		}
		if (t < threads) {
			// a pool takes the page with the putter's references; bookkeeping only records it free
			boolean keeps = !pool.publishes() && s[layout.refs(p, t)] - s[layout.tries(p, t)] > 0;
			if (othersHold(s, t, p, false)) {
				violate(s, Rule.R8);
			} else if (!coreFrees[p] && !keeps) {
				s[layout.page(p, DIRTY)] = 0;
			}
			if (pool.publishes()) {
				s[layout.refs(p, t)] = 0;
				s[layout.tries(p, t)] = 0;
				s[layout.page(p, PUBLISHERS)] |= bit(t);
			}
		}
		if (pool.publishes()) {
			s[layout.page(p, OWNERS)] = 0; // whoever runs its final put has handed it back now
		} else if (t < threads) {
			s[layout.page(p, OWNERS)] &= ~bit(t);
		}
		if (s[layout.page(p, CLAIM)] == t + 1) {
			s[layout.page(p, CLAIM)] = 0;
		}
		pools.add(s, q, p);
	}
}
