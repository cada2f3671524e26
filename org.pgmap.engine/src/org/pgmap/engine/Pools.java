package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.COUNT;
import static org.pgmap.engine.StateLayout.POOL;
import static org.pgmap.engine.StateLayout.violate;

import java.util.ArrayList;
import java.util.List;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.ExecModel.Pool;
import org.pgmap.engine.model.ExecModel.PoolKind;

/**
 * The pools of free pages in the state vector: free lists (stacks, {@link StateLayout#stack}),
 * bitmaps and gen_pools (the page's {@link StateLayout#POOL} field), and R1, which every free
 * page a pool published must meet. Part of {@link Interpreter}.
 */
final class Pools {

	private final ExecModel model;
	private final StateLayout layout;
	private final int pages;
	private final int[] idle;

	Pools(Interpreter in) {
		this.model = in.model;
		this.layout = in.layout;
		this.pages = in.pages;
		this.idle = in.idle;
	}

	/** Page p goes into pool q (on top of a free list). */
	void add(int[] s, int q, int p) {
		s[layout.page(p, POOL)] = q + 1;
		if (model.pools().get(q).kind() == PoolKind.FREELIST) {
			int n = layout.stackHeight(s, q);
			if (n < pages) {
				s[layout.stack(q, n)] = p + 1; // top of the stack: mdevice->free_pages = page
			}
		}
	}

	/** Takes a page out of pool q (a free list's top, else the lowest page): the page, or -1 when q is empty. */
	int take(int[] s, int q) {
		Pool pool = model.pools().get(q);
		if (pool.kind() == PoolKind.FREELIST) {
			int n = layout.stackHeight(s, q);
			if (n == 0) {
				return -1;
			}
			int p = s[layout.stack(q, n - 1)] - 1;
			s[layout.stack(q, n - 1)] = 0;
			s[layout.page(p, POOL)] = 0;
			return p;
		}
		for (int p = 0; p < pages; p++) {
			if (s[layout.page(p, POOL)] == q + 1) {
				s[layout.page(p, POOL)] = 0;
				return p;
			}
		}
		return -1;
	}

	/** R1: outside its pool's critical section every page a pool published has the era's idle refcount. */
	void checkFree(int[] s) {
		for (int p = 0; p < pages; p++) {
			int q = s[layout.page(p, POOL)] - 1;
			if (q < 0 || !model.pools().get(q).publishes()) {
				continue;
			}
			int guard = model.pools().get(q).guard();
			int count = s[layout.page(p, COUNT)];
			// a negative count is an underflow, which R11 reports where it happens
			if ((guard < 0 || s[layout.lock(guard)] == 0) && count != idle[p] && count >= 0) {
				violate(s, Rule.R1);
			}
		}
	}

	/** The pages in pool q, in order (a free list bottom to top). */
	List<Integer> contents(int[] s, int q) {
		List<Integer> r = new ArrayList<>();
		if (model.pools().get(q).kind() == PoolKind.FREELIST) {
			for (int n = 0, height = layout.stackHeight(s, q); n < height; n++) {
				r.add(s[layout.stack(q, n)] - 1);
			}
		} else {
			for (int p = 0; p < pages; p++) {
				if (s[layout.page(p, POOL)] == q + 1) {
					r.add(p);
				}
			}
		}
		return r;
	}
}
