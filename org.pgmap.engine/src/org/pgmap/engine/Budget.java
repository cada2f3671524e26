package org.pgmap.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a search may hold (--max-memory): the visited set and the breadth-first frontier
 * reserve their arrays here before they allocate them, from any worker, and the search ends as
 * incomplete ({@link StateStore.Full}) instead of growing past it.
 */
final class Budget {
	private final long max;
	private final AtomicLong used = new AtomicLong();

	Budget(long max) {
		this.max = max;
	}

	/** Reserves the bytes or throws {@link StateStore.Full}, reserving nothing. */
	void reserve(long bytes) {
		if (used.addAndGet(bytes) > max) {
			used.addAndGet(-bytes);
			throw new StateStore.Full();
		}
	}

	void release(long bytes) {
		used.addAndGet(-bytes);
	}

	long used() {
		return used.get();
	}

	long max() {
		return max;
	}
}
