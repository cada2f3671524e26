package org.pgmap.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.pgmap.engine.model.ExecModel.PoolKind;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * The symmetries of an executable model. Threads are interchangeable when they run the same
 * program (the members of a thread group, or threads calling the same procedures). Pages are
 * interchangeable when they belong to the same pagemap, started in the same place (pooled or
 * not) and no program names one of them by a constant; this needs to know which thread slots
 * hold pages, which a typing pass over the programs finds (a slot that holds a page in one
 * place and a number in another, or a page compared by order, turns page symmetry off).
 * <p>
 * The representative of a state: pages sorted within their class by what can be seen of them
 * without thread names (refcount, fields, pool and position in it, how many threads hold
 * references), then threads sorted within their class by program counter, slots and what they
 * hold of each page and lock. Ties keep the original order, so two states of one orbit may get
 * different representatives: less reduction, never a missed state.
 * <p>
 * One file: the orbit computation and the permutation of every state field belong together
 * (a field it forgets to permute is an unsound reduction, which ReductionsTest catches).
 */
final class ModelSymmetry implements Symmetry {

	private final Interpreter in;
	private final StateLayout layout;
	private final int threads;
	private final int pages;
	private final int[][] threadClasses; // members of each class of size > 1, ascending
	private final int[][] pageClasses;
	private final boolean[][] pageSlot; // [thread (threads = setup)][slot]: holds a page
	private final String description;

	private ModelSymmetry(Interpreter in, int[][] threadClasses, int[][] pageClasses, boolean[][] pageSlot, String description) {
		this.in = in;
		this.layout = in.layout;
		this.threads = in.threads;
		this.pages = in.pages;
		this.threadClasses = threadClasses;
		this.pageClasses = pageClasses;
		this.pageSlot = pageSlot;
		this.description = description;
	}

	/** The model's symmetries, or null if there is no pair of interchangeable threads or pages. */
	static ModelSymmetry of(Interpreter in) {
		var model = in.model;
		int threads = in.threads;
		// threads: same program and slots
		List<int[]> tc = new ArrayList<>();
		boolean[] seen = new boolean[threads];
		for (int t = 0; t < threads; t++) {
			if (seen[t]) {
				continue;
			}
			List<Integer> members = new ArrayList<>(List.of(t));
			for (int u = t + 1; u < threads; u++) {
				if (!seen[u] && model.threads().get(u).program().equals(model.threads().get(t).program())
						&& model.threads().get(u).slots().size() == model.threads().get(t).slots().size()
						&& model.threads().get(u).startLength() == model.threads().get(t).startLength()) {
					members.add(u);
					seen[u] = true;
				}
			}
			if (members.size() > 1) {
				tc.add(members.stream().mapToInt(Integer::intValue).toArray());
			}
		}
		// pages: typing of the slots
		Typing typing = new Typing(in);
		List<int[]> pc = new ArrayList<>();
		String pageNote = "";
		if (typing.conflict != null) {
			pageNote = "pages not interchangeable: " + typing.conflict;
		} else {
			boolean[] done = new boolean[in.pages];
			for (int p = 0; p < in.pages; p++) {
				if (done[p] || typing.pinned[p]) {
					continue;
				}
				List<Integer> members = new ArrayList<>(List.of(p));
				for (int q = p + 1; q < in.pages; q++) {
					if (!done[q] && !typing.pinned[q] && in.pagemapOfPage[q] == in.pagemapOfPage[p]
							&& in.initialPool[q] == in.initialPool[p]) {
						members.add(q);
						done[q] = true;
					}
				}
				if (members.size() > 1) {
					pc.add(members.stream().mapToInt(Integer::intValue).toArray());
				}
			}
		}
		if (tc.isEmpty() && pc.isEmpty()) {
			return null;
		}
		StringBuilder d = new StringBuilder();
		for (int[] c : tc) {
			d.append(d.length() == 0 ? "" : "; ").append("threads");
			for (int t : c) {
				d.append(' ').append(model.threads().get(t).name());
			}
		}
		for (int[] c : pc) {
			d.append(d.length() == 0 ? "" : "; ").append("pages");
			for (int p : c) {
				d.append(' ').append(model.pageName(p));
			}
		}
		if (!pageNote.isEmpty()) {
			d.append(d.length() == 0 ? "" : "; ").append(pageNote);
		}
		return new ModelSymmetry(in, tc.toArray(int[][]::new), pc.toArray(int[][]::new), typing.pageSlot, d.toString());
	}

	@Override
	public String describe() {
		return description;
	}

	@Override
	public int permLength() {
		return threads + pages;
	}

	@Override
	public int[] canonical(int[] s, int[] permOut) {
		int[] perm = Symmetry.identity(threads + pages);
		if (pageClasses.length > 0) {
			int[][] keys = new int[pages][];
			for (int[] cls : pageClasses) {
				for (int p : cls) {
					keys[p] = pageKey(s, p);
				}
				sortInto(cls, keys, perm, threads);
			}
		}
		if (threadClasses.length > 0) {
			int[] pageAt = new int[pages]; // new page index -> old page
			for (int p = 0; p < pages; p++) {
				pageAt[perm[threads + p] - threads] = p;
			}
			int[][] keys = new int[threads][];
			for (int[] cls : threadClasses) {
				for (int t : cls) {
					keys[t] = threadKey(s, t, perm, pageAt);
				}
				sortInto(cls, keys, perm, 0);
			}
		}
		if (permOut != null) {
			System.arraycopy(perm, 0, permOut, 0, perm.length);
		}
		for (int i = 0; i < perm.length; i++) {
			if (perm[i] != i) {
				return apply(s, perm);
			}
		}
		return s; // already its class's representative (callers never write to the state they get)
	}

	/** Sorts the class members by key (stable) and gives the k-th smallest the k-th member's index. */
	private static void sortInto(int[] cls, int[][] keys, int[] perm, int offset) {
		int n = cls.length;
		int[] order = cls.clone();
		for (int i = 1; i < n; i++) { // insertion sort: classes are small
			int x = order[i];
			int j = i - 1;
			while (j >= 0 && Arrays.compare(keys[order[j]], keys[x]) > 0) {
				order[j + 1] = order[j];
				j--;
			}
			order[j + 1] = x;
		}
		for (int k = 0; k < n; k++) {
			perm[offset + order[k]] = offset + cls[k];
		}
	}

	/** What can be seen of a page without thread or page names. */
	private int[] pageKey(int[] s, int p) {
		int stacks = in.model.pools().size();
		int[] k = new int[13 + 2 * threads + stacks];
		int i = 0;
		for (int f : new int[] { StateLayout.COUNT, StateLayout.POOL, StateLayout.ZDD, StateLayout.MAPPING, StateLayout.DIRTY,
				StateLayout.PGREF, StateLayout.MAPREFS, StateLayout.PFNMAPS }) {
			k[i++] = s[layout.page(p, f)];
		}
		k[i++] = thread(s[layout.page(p, StateLayout.PLOCK)]);
		k[i++] = thread(s[layout.page(p, StateLayout.CLAIM)]);
		k[i++] = Integer.bitCount(s[layout.page(p, StateLayout.OWNERS)]);
		k[i++] = Integer.bitCount(s[layout.page(p, StateLayout.PUBLISHERS)]);
		k[i++] = Integer.bitCount(s[layout.page(p, StateLayout.RUNNING)]);
		int[] refs = new int[threads];
		for (int t = 0; t < threads; t++) {
			refs[t] = s[layout.refs(p, t)] * 64 + s[layout.tries(p, t)];
		}
		Arrays.sort(refs);
		System.arraycopy(refs, 0, k, i, threads);
		i += 2 * threads;
		for (int q = 0; q < stacks; q++) {
			int pos = -1;
			if (in.model.pools().get(q).kind() == PoolKind.FREELIST) {
				for (int n = 0, height = layout.stackHeight(s, q); n < height; n++) {
					if (s[layout.stack(q, n)] == p + 1) {
						pos = n;
					}
				}
			}
			k[i++] = pos;
		}
		return k;
	}

	/** A thread id in a field, without its name: 0 none, 1 a thread, 2 the setup. */
	private int thread(int v) {
		return v == 0 ? 0 : v == threads + 1 ? 2 : 1;
	}

	private int[] threadKey(int[] s, int t, int[] perm, int[] pageAt) {
		int slots = layout.slots(t);
		int locks = in.model.locks().size();
		int pagemaps = in.model.pagemaps().size();
		int[] k = new int[1 + slots + 7 * pages + locks + pagemaps];
		int i = 0;
		k[i++] = s[StateLayout.pc(t)];
		for (int j = 0; j < slots; j++) {
			int v = s[layout.slot(t, j)];
			k[i++] = pageSlot[t][j] ? layout.mapPage(v, perm) : v;
		}
		for (int q = 0; q < pages; q++) {
			int p = pageAt[q];
			k[i++] = s[layout.refs(p, t)];
			k[i++] = s[layout.tries(p, t)];
			k[i++] = s[layout.page(p, StateLayout.PLOCK)] == t + 1 ? 1 : 0;
			k[i++] = s[layout.page(p, StateLayout.CLAIM)] == t + 1 ? 1 : 0;
			k[i++] = StateLayout.has(s[layout.page(p, StateLayout.OWNERS)], t) ? 1 : 0;
			k[i++] = StateLayout.has(s[layout.page(p, StateLayout.PUBLISHERS)], t) ? 1 : 0;
			k[i++] = StateLayout.has(s[layout.page(p, StateLayout.RUNNING)], t) ? 1 : 0;
		}
		for (int l = 0; l < locks; l++) {
			k[i++] = s[layout.lock(l)] == t + 1 ? 1 : 0;
		}
		for (int m = 0; m < pagemaps; m++) {
			k[i++] = s[layout.threadPgrefs(m, t)];
		}
		return k;
	}

	@Override
	public int[] apply(int[] s, int[] perm) {
		return layout.permute(s, perm, pageSlot);
	}

	/**
	 * Which slots hold pages, found by unifying slots that values flow between; a conflict (a
	 * slot that holds a page and a number, a page compared by order or stored in a field) turns
	 * page symmetry off, and a page named by a constant is pinned.
	 */
	static final class Typing {
		final boolean[][] pageSlot;
		final boolean[] pinned;
		String conflict;
		private final Interpreter in;
		private final int[] base; // slot id of (thread, 0)
		private final int[] parent;
		private final boolean[] isPage;
		private final boolean[] isNumber;
		private final List<int[]> constants = new ArrayList<>(); // slot id, constant

		Typing(Interpreter in) {
			this.in = in;
			int n = in.threads + 1;
			base = new int[n + 1];
			int total = 0;
			for (int t = 0; t < n; t++) {
				base[t] = total;
				total += slots(t);
			}
			base[n] = total;
			parent = Symmetry.identity(total);
			isPage = new boolean[total];
			isNumber = new boolean[total];
			pinned = new boolean[in.pages];
			for (int t = 0; t < in.threads; t++) { // not the setup: it ran before the initial state
				for (Instr i : in.programs[t]) {
					visit(t, i);
				}
			}
			for (int s = 0; s < total; s++) {
				int r = find(s);
				isPage[r] |= isPage[s];
				isNumber[r] |= isNumber[s];
			}
			for (int s = 0; s < total; s++) {
				if (isPage[find(s)] && isNumber[find(s)] && conflict == null) {
					conflict = "a variable holds both a page and a number";
				}
			}
			for (int[] c : constants) {
				if (isPage[find(c[0])]) {
					pin(c[1]);
				}
			}
			for (var q : in.model.pools()) {
				// alloc_bit and gen_pool_alloc take the lowest free page: which page is taken depends on page numbers
				if (q.kind() == PoolKind.BITMAP || q.kind() == PoolKind.GENPOOL) {
					q.initial().forEach(p -> pinned[p] = true);
					if (q.pagemap() >= 0) {
						var m = in.model.pagemaps().get(q.pagemap());
						for (int p = 0; p < m.pages(); p++) {
							pinned[m.firstPage() + p] = true;
						}
					}
				}
			}
			for (var o : in.model.lockOwners()) {
				if (o.count() > 1) { // lock i owns page i: renaming the pages would break that
					var m = in.model.pagemaps().get(o.pagemap());
					for (int p = 0; p < m.pages(); p++) {
						pinned[m.firstPage() + p] = true;
					}
				}
			}
			pageSlot = new boolean[n][];
			for (int t = 0; t < n; t++) {
				pageSlot[t] = new boolean[slots(t)];
				for (int j = 0; j < slots(t); j++) {
					pageSlot[t][j] = isPage[find(base[t] + j)];
				}
			}
		}

		private int slots(int t) {
			return in.layout.slots(t);
		}

		private int find(int x) {
			while (parent[x] != x) {
				parent[x] = parent[parent[x]];
				x = parent[x];
			}
			return x;
		}

		private void union(int a, int b) {
			parent[find(a)] = find(b);
		}

		private void pin(int v) {
			if (v > 0 && v <= in.pages) {
				pinned[v - 1] = true;
			}
		}

		/** An operand used as a page. */
		private void page(int t, Operand o) {
			switch (o.kind()) {
			case SLOT -> isPage[base[t] + o.value()] = true;
			case CONST -> pin(o.value());
			case GLOBAL -> conflict = conflict != null ? conflict : "a driver variable holds a page";
			default -> number(t, o); // a page read off a field: fields never hold pages
			}
		}

		/** An operand used as a number (or object, pagemap): reads of pages inside it are pages. */
		private void number(int t, Operand o) {
			switch (o.kind()) {
			case SLOT -> isNumber[base[t] + o.value()] = true;
			case CONST, GLOBAL -> {
			}
			default -> page(t, o.inner());
			}
		}

		/** A value stored into a slot. */
		private void flow(int t, Operand o, int slot) {
			int dst = base[t] + slot;
			switch (o.kind()) {
			case SLOT -> union(base[t] + o.value(), dst);
			case CONST -> constants.add(new int[] { dst, o.value() });
			case GLOBAL -> isNumber[dst] = true;
			default -> {
				isNumber[dst] = true;
				page(t, o.inner());
			}
			}
		}

		private void visit(int t, Instr i) {
			Op op = i.op();
			switch (op) {
			case PAGE_LOCK, PAGE_UNLOCK, PAGE_TRYLOCK, GET, MAP, MAP_PFN, REF_INC, PUT, UNMAP, UNMAP_ALL, TRY_GET, POOL_PUT,
					CLAIM, PAGE_FREE_BEGIN, FINAL_PUT_END, HANDOFF -> page(t, i.arg(0));
			case ACCESS -> {
				if (i.accessed() == Instr.Accessed.OBJECT) {
					number(t, i.arg(0));
				} else {
					page(t, i.arg(0));
				}
			}
			case KZALLOC -> isNumber[base[t] + i.slot()] = true;
			case SET_COUNT -> {
				page(t, i.arg(0));
				number(t, i.arg(1));
			}
			case FIELD_WRITE -> {
				page(t, i.arg(0));
				if (i.arg(1).kind() == Operand.Kind.SLOT) {
					isNumber[base[t] + i.arg(1).value()] = true; // fields never hold pages
				} else {
					number(t, i.arg(1));
				}
			}
			case POOL_TAKE, ANY_PAGE -> isPage[base[t] + i.slot()] = true;
			case LET -> flow(t, i.arg(0), i.slot());
			case RELEASE_BACKING -> {
				number(t, i.arg(0));
				if (in.model.pools().get(i.pool()).kind() == PoolKind.FREELIST && conflict == null) {
					conflict = "release_backing pushes pages in the order of their numbers";
				}
			}
			case KREF_INIT, KREF_GET, KREF_TRY_GET, KREF_PUT, KFREE, GLOBAL_SET, PGMAP_GET, PGMAP_TRYGET,
					PGMAP_PUT, MEMUNMAP -> {
				for (Operand o : i.args()) {
					number(t, o);
				}
			}
			case BRANCH, WAIT, ASSERT -> compare(t, i);
			default -> {
				for (Operand o : i.args()) {
					number(t, o);
				}
			}
			}
		}

		private void compare(int t, Instr i) {
			Operand a = i.arg(0);
			if (i.compare() == Instr.Compare.TRUTH || i.args().size() < 2) {
				if (a.kind() != Operand.Kind.SLOT && a.kind() != Operand.Kind.CONST) {
					number(t, a);
				}
				return;
			}
			Operand b = i.arg(1);
			boolean order = i.compare().ordered();
			if (a.kind() == Operand.Kind.SLOT && b.kind() == Operand.Kind.SLOT) {
				union(base[t] + a.value(), base[t] + b.value());
				if (order) {
					isNumber[base[t] + a.value()] = true;
				}
				return;
			}
			for (Operand[] pair : new Operand[][] { { a, b }, { b, a } }) {
				Operand x = pair[0];
				Operand y = pair[1];
				if (x.kind() == Operand.Kind.SLOT) {
					if (order) {
						isNumber[base[t] + x.value()] = true;
					} else if (y.kind() == Operand.Kind.CONST) {
						constants.add(new int[] { base[t] + x.value(), y.value() });
					} else {
						isNumber[base[t] + x.value()] = true; // compared with a number read off the state
					}
				} else if (x.kind() != Operand.Kind.CONST) {
					number(t, x);
				}
			}
		}
	}
}
