package org.pgmap.engine;

/**
 * A group of permutations of a model's threads and pages under which its steps and its rules
 * are invariant: permuting a state and then stepping is stepping and then permuting, and a
 * permuted state breaks the same rules. The explorer then stores one representative per orbit.
 * A permutation is one permutation of 0 .. threads + pages - 1: {@code perm[t]} is thread t's new
 * index, {@code perm[threads + p] - threads} page p's new index.
 * The representative need not be unique per orbit (that only costs reduction, never soundness),
 * but it must be a function of the state.
 */
public interface Symmetry {

	/**
	 * The representative of the state's orbit; writes the permutation that maps the state to it into
	 * {@code perm} when not null. May be the state itself (when it is its own representative): callers
	 * write to neither.
	 */
	int[] canonical(int[] state, int[] perm);

	/** The length of a permutation array: threads + pages. */
	int permLength();

	/** The state with its threads and pages renamed by {@code perm}. */
	int[] apply(int[] state, int[] perm);

	/** A description for reports: which threads and pages are interchangeable. */
	String describe();

	static int[] identity(int n) {
		int[] p = new int[n];
		for (int i = 0; i < n; i++) {
			p[i] = i;
		}
		return p;
	}

	static int[] inverse(int[] perm) {
		int[] inv = new int[perm.length];
		for (int i = 0; i < perm.length; i++) {
			inv[perm[i]] = i;
		}
		return inv;
	}

	/** {@code first} then {@code second}: second[first[i]]. */
	static int[] then(int[] first, int[] second) {
		int[] c = new int[first.length];
		for (int i = 0; i < first.length; i++) {
			c[i] = second[first[i]];
		}
		return c;
	}
}
