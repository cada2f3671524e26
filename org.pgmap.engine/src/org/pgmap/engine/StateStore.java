package org.pgmap.engine;

import java.util.Arrays;

/**
 * The visited set: every state stored once, packed end to end in one int array, found again by
 * an open-addressing hash table of state ids. For each state it keeps the parent and the step
 * that first reached it; breadth-first order makes that path a shortest one.
 */
final class StateStore {
	private final int width;
	private int[] data;
	private int[] parent;
	private int[] viaThread;
	private int[] viaStatement;
	private int[] table; // state id + 1, 0 = empty
	private int size;

	StateStore(int width) {
		this.width = width;
		this.data = new int[Math.max(1, width) * 1024];
		this.parent = new int[1024];
		this.viaThread = new int[1024];
		this.viaStatement = new int[1024];
		this.table = new int[4096];
	}

	int size() {
		return size;
	}

	/** Bytes held by the store, for the memory limit and the statistics. */
	long bytes() {
		return 4L * (data.length + parent.length + viaThread.length + viaStatement.length + table.length);
	}

	/** Adds the state unless present; returns its id, or -(id + 1) of the stored copy. */
	int add(int[] state, int parentId, int thread, int statement) {
		int mask = table.length - 1;
		int h = hash(state) & mask;
		while (table[h] != 0) {
			int id = table[h] - 1;
			if (equalsAt(id, state)) {
				return -(id + 1);
			}
			h = (h + 1) & mask;
		}
		int id = size++;
		ensureCapacity(size);
		System.arraycopy(state, 0, data, id * width, width);
		parent[id] = parentId;
		viaThread[id] = thread;
		viaStatement[id] = statement;
		table[h] = id + 1;
		if (size * 2 > table.length) {
			rehash();
		}
		return id;
	}

	int[] get(int id) {
		return Arrays.copyOfRange(data, id * width, id * width + width);
	}

	int parent(int id) {
		return parent[id];
	}

	int thread(int id) {
		return viaThread[id];
	}

	int statement(int id) {
		return viaStatement[id];
	}

	private boolean equalsAt(int id, int[] state) {
		return Arrays.equals(data, id * width, id * width + width, state, 0, width);
	}

	private static int hash(int[] state) {
		int h = 0x9E3779B9;
		for (int v : state) {
			h = (h ^ v) * 0x01000193;
			h ^= h >>> 15;
		}
		return h;
	}

	private void ensureCapacity(int states) {
		if (states * width > data.length) {
			data = Arrays.copyOf(data, Math.max(data.length * 2, states * width));
		}
		if (states > parent.length) {
			int n = parent.length * 2;
			parent = Arrays.copyOf(parent, n);
			viaThread = Arrays.copyOf(viaThread, n);
			viaStatement = Arrays.copyOf(viaStatement, n);
		}
	}

	private void rehash() {
		int[] next = new int[table.length * 2];
		int mask = next.length - 1;
		for (int id = 0; id < size; id++) {
			int h = hash(get(id)) & mask;
			while (next[h] != 0) {
				h = (h + 1) & mask;
			}
			next[h] = id + 1;
		}
		table = next;
	}
}
