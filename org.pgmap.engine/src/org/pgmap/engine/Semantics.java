package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.CLAIM;
import static org.pgmap.engine.StateLayout.COUNT;
import static org.pgmap.engine.StateLayout.DIRTY;
import static org.pgmap.engine.StateLayout.MAPREFS;
import static org.pgmap.engine.StateLayout.OWNERS;
import static org.pgmap.engine.StateLayout.PFNMAPS;
import static org.pgmap.engine.StateLayout.PGREF;
import static org.pgmap.engine.StateLayout.PLOCK;
import static org.pgmap.engine.StateLayout.POOL;
import static org.pgmap.engine.StateLayout.PUBLISHERS;
import static org.pgmap.engine.StateLayout.RUNNING;
import static org.pgmap.engine.StateLayout.ZDD;
import static org.pgmap.engine.StateLayout.bit;
import static org.pgmap.engine.StateLayout.has;
import static org.pgmap.engine.StateLayout.violate;
import static org.pgmap.engine.StateLayout.violateWarn;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Instr.Field;
import org.pgmap.engine.model.Instr.TryGet;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * What one instruction does to the state: one case per {@link Op}, with the rules each can
 * break. One switch, on purpose: it is the interpreter's inner loop, and each case reads as the
 * kernel call it models. Operands are evaluated by {@link Evaluator}, the rights and transfers
 * of pages are {@link Ownership}'s, the pools' data structures {@link Pools}'. Part of
 * {@link Interpreter}.
 */
final class Semantics {

	private final ExecModel model;
	private final StateLayout layout;
	private final Evaluator eval;
	private final Ownership own;
	private final Pools pools;
	private final int threads;
	private final int pages;
	private final int[] finalAt;
	private final boolean[] coreFrees;
	private final int[] pagemapOfPage;

	Semantics(Interpreter in, Evaluator eval, Ownership own, Pools pools) {
		this.model = in.model;
		this.layout = in.layout;
		this.eval = eval;
		this.own = own;
		this.pools = pools;
		this.threads = in.threads;
		this.pages = in.pages;
		this.finalAt = in.finalAt;
		this.coreFrees = in.coreFrees;
		this.pagemapOfPage = in.pagemapOfPage;
	}

	/** Runs instruction {@code in} of thread t at pc on s; returns the next pc, or {@link Interpreter#BLOCKED}. */
	int execute(int[] s, int t, Instr in, int pc) {
		int next = pc + 1;
		switch (in.op()) {
		case LOCK -> {
			if (s[layout.lock(in.lock())] != 0) {
				return Interpreter.BLOCKED;
			}
			s[layout.lock(in.lock())] = t + 1;
		}
		case UNLOCK -> s[layout.lock(in.lock())] = 0;
		case PAGE_LOCK -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (s[layout.page(p, PLOCK)] != 0) {
				return Interpreter.BLOCKED;
			}
			own.useCheck(s, t, p, in);
			s[layout.page(p, PLOCK)] = t + 1;
		}
		case PAGE_UNLOCK -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p >= 0) {
				s[layout.page(p, PLOCK)] = 0;
			}
		}
		case PAGE_TRYLOCK -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0 || s[layout.page(p, PLOCK)] != 0) {
				return in.target();
			}
			own.useCheck(s, t, p, in);
			s[layout.page(p, PLOCK)] = t + 1;
		}
		case GET -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (s[layout.page(p, COUNT)] == 0) {
				violate(s, Rule.R6);
			}
			own.referenceCheck(s, t, p, in);
			s[layout.page(p, COUNT)]++;
			s[layout.refs(p, t)]++;
		}
		case REF_INC -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			own.writeCheck(s, t, p, in); // the owner's get, also from 0
			s[layout.page(p, COUNT)]++;
			s[layout.refs(p, t)]++;
		}
		case MAP, MAP_PFN -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (in.op() == Op.MAP && s[layout.page(p, COUNT)] == 0) {
				violate(s, Rule.R6);
			}
			own.referenceCheck(s, t, p, in);
			if (s[layout.page(p, CLAIM)] == t + 1) {
				own.handOff(s, t, p); // an allocator that maps the page it claimed hands it to the mapping
			}
			if (in.op() == Op.MAP) {
				s[layout.page(p, COUNT)]++;
				s[layout.page(p, MAPREFS)]++;
			} else {
				s[layout.page(p, PFNMAPS)]++;
			}
		}
		case PUT -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				return in.target();
			}
			if (s[layout.page(p, COUNT)] <= finalAt[p]) {
				violate(s, Rule.R11); // the underflow says more than the use without a reference
				s[layout.page(p, COUNT)]--;
				return in.target();
			}
			if (s[layout.refs(p, t)] > 0) {
				dropReference(s, t, p);
			} else {
				own.writeCheck(s, t, p, in);
			}
			return drop(s, t, p, 1, in, next);
		}
		case UNMAP -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				return in.target();
			}
			if (s[layout.page(p, MAPREFS)] > 0) {
				if (s[layout.page(p, COUNT)] <= finalAt[p]) {
					violate(s, Rule.R11);
					s[layout.page(p, MAPREFS)]--;
					s[layout.page(p, COUNT)]--;
					return in.target();
				}
				s[layout.page(p, MAPREFS)]--;
				return drop(s, t, p, 1, in, next);
			}
			if (s[layout.page(p, PFNMAPS)] > 0) {
				s[layout.page(p, PFNMAPS)]--; // a pfn mapping: nothing to put
			}
			return in.target(); // (no mapping left: someone already zapped it, nothing to drop)
		}
		case UNMAP_ALL -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				return in.target();
			}
			s[layout.page(p, PFNMAPS)] = 0;
			int k = s[layout.page(p, MAPREFS)];
			if (k == 0) {
				return in.target();
			}
			s[layout.page(p, MAPREFS)] = 0;
			if (s[layout.page(p, COUNT)] - k < finalAt[p]) {
				violate(s, Rule.R11);
				s[layout.page(p, COUNT)] -= k;
				return in.target();
			}
			return drop(s, t, p, k, in, next);
		}
		case TRY_GET -> {
			int p = eval.page(s, t, in.arg(0), in);
			TryGet call = in.tryGet();
			if (p < 0 || s[layout.page(p, COUNT)] == 0 || (call == TryGet.PIN && own.mappings(s, p) == 0)) {
				return in.target(); // (pin_user_pages: GUP finds the page only through a mapping)
			}
			s[layout.page(p, COUNT)]++;
			s[layout.refs(p, t)]++;
			if (call == TryGet.UNLESS_ZERO) {
				s[layout.tries(p, t)]++; // a speculative reference; a GUP pin is held until its unpin
			}
			s[layout.page(p, PUBLISHERS)] &= ~bit(t); // a reference of its own: it knows the page anew
		}
		case SET_COUNT -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			int value = eval.value(s, t, in.arg(1), in);
			if (!own.writeCheck(s, t, p, in) && own.othersHold(s, t, p, true)) {
				violate(s, Rule.R7); // (after a write-after-publish the lost reference is its consequence)
			}
			s[layout.page(p, COUNT)] = value;
		}
		case POOL_PUT -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p >= 0) { // bookkeeping only records the page free: it touches no page state
				own.putBack(s, t, in.pool(), p, in, model.pools().get(in.pool()).publishes());
			}
		}
		case POOL_TAKE -> {
			int p = pools.take(s, in.pool());
			if (p < 0) {
				s[layout.slot(t, in.slot())] = Operand.NULL;
				return in.target();
			}
			own.claim(s, t, p);
			s[layout.slot(t, in.slot())] = Operand.page(p);
		}
		case CLAIM -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0 || s[layout.page(p, POOL)] != in.pool() + 1) {
				return in.target();
			}
			s[layout.page(p, POOL)] = 0;
			own.claim(s, t, p);
		}
		case RELEASE_BACKING -> {
			int v = eval.value(s, t, in.arg(0), in);
			int o = Operand.objectId(v);
			if (o < 0) {
				violate(s, Rule.R12);
				break;
			}
			int pm = model.pools().get(in.pool()).pagemap();
			for (int p = 0; p < pages; p++) {
				if ((pm < 0 || pagemapOfPage[p] == pm) && s[layout.page(p, ZDD)] == v && s[layout.page(p, POOL)] == 0) {
					own.putBack(s, t, in.pool(), p, in, false);
				}
			}
		}
		case KZALLOC -> {
			int found = -1;
			for (int o = in.firstObject(), end = o + in.objectCount(); o < end; o++) {
				if (s[layout.objectState(o)] == StateLayout.OBJ_UNALLOCATED) {
					found = o;
					break;
				}
			}
			if (found < 0) {
				s[layout.slot(t, in.slot())] = Operand.NULL;
				return in.target();
			}
			s[layout.objectState(found)] = StateLayout.OBJ_LIVE;
			s[layout.objectKref(found)] = 0;
			s[layout.slot(t, in.slot())] = Operand.object(found);
		}
		case KREF_INIT, KREF_GET, KREF_TRY_GET, KREF_PUT, KFREE -> {
			int o = eval.object(s, t, in.arg(0), in);
			if (o < 0) {
				return in.target() >= 0 ? in.target() : next;
			}
			int kref = layout.objectKref(o);
			switch (in.op()) {
			case KREF_INIT -> s[kref] = 1;
			case KREF_GET -> {
				if (s[kref] == 0) {
					violate(s, Rule.R12); // a get on a released object
				}
				s[kref]++;
			}
			case KREF_TRY_GET -> {
				if (s[kref] == 0) {
					return in.target();
				}
				s[kref]++;
			}
			case KREF_PUT -> {
				if (s[kref] == 0) {
					violate(s, Rule.R12); // a put on a released object
					return in.target() >= 0 ? in.target() : next;
				}
				if (--s[kref] > 0) {
					return in.target() >= 0 ? in.target() : next;
				}
				if (!model.objects().get(o).dynamic()) {
					s[layout.objectState(o)] = StateLayout.OBJ_FREED; // a static object's release frees it
				}
			}
			default -> s[layout.objectState(o)] = StateLayout.OBJ_FREED;
			}
		}
		case ACCESS -> {
			int v = eval.value(s, t, in.arg(0), in);
			if (Operand.objectId(v) >= 0) {
				eval.object(s, t, in.arg(0), in);
				break;
			}
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (t < threads && !own.mayUse(s, t, p, in) && own.mappings(s, p) == 0) {
				violate(s, Rule.R12);
			}
			int m = pagemapOfPage[p];
			if (t < threads && s[layout.pgmapDying(m)] != 0 && s[layout.page(p, PGREF)] == 0
					&& s[layout.threadPgrefs(m, t)] == 0) {
				violate(s, Rule.R9); // the device memory after teardown began, with no pgmap reference
			}
		}
		case PGMAP_GET, PGMAP_TRYGET -> {
			int m = eval.pagemap(s, t, in.arg(0), in);
			if (m < 0) {
				break;
			}
			if (s[layout.pgmapDying(m)] != 0) {
				violate(s, Rule.R9);
				if (in.op() == Op.PGMAP_TRYGET) {
					return in.target();
				}
			}
			s[layout.pgmapRefs(m)]++;
			int p = eval.pageBehind(s, t, in.arg(0), in);
			if (p >= 0) {
				s[layout.page(p, PGREF)]++;
			} else if (t < threads) {
				s[layout.threadPgrefs(m, t)]++;
			}
		}
		case PGMAP_PUT -> {
			int m = eval.pagemap(s, t, in.arg(0), in);
			if (m < 0) {
				break;
			}
			int base = s[layout.pgmapDying(m)] != 0 ? 0 : 1;
			int p = eval.pageBehind(s, t, in.arg(0), in);
			boolean paired = p >= 0 ? s[layout.page(p, PGREF)] > 0 : t >= threads || s[layout.threadPgrefs(m, t)] > 0;
			if (s[layout.pgmapRefs(m)] <= base || !paired) {
				violate(s, Rule.R9); // dropped twice, or one nobody took
				break;
			}
			s[layout.pgmapRefs(m)]--;
			if (p >= 0) {
				s[layout.page(p, PGREF)]--;
			} else if (t < threads) {
				s[layout.threadPgrefs(m, t)]--;
			}
		}
		case MEMUNMAP -> {
			int m = eval.pagemap(s, t, in.arg(0), in);
			if (m < 0) {
				break;
			}
			if (s[layout.pgmapDying(m)] == 0) {
				s[layout.pgmapDying(m)] = 1; // percpu_ref_kill: teardown began
				s[layout.pgmapRefs(m)]--;
				return pc; // next: wait for the references to drain
			}
			if (s[layout.pgmapRefs(m)] > 0) {
				return Interpreter.BLOCKED;
			}
		}
		case FIELD_WRITE -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			int value = eval.value(s, t, in.arg(1), in);
			Field field = in.field();
			if (in.core() && field == Field.MAPPING && t < threads && has(s[layout.page(p, RUNNING)], t) && !coreFrees[p]
					&& !has(s[layout.page(p, PUBLISHERS)], t) && own.givenNewMeaning(s, t, p)) {
				violate(s, Rule.R10); // the free path writes mapping of a page its owner already uses anew
			} else {
				own.writeCheck(s, t, p, in);
			}
			s[layout.page(p, StateLayout.field(field))] = value;
		}
		case LET -> s[layout.slot(t, in.slot())] = eval.value(s, t, in.arg(0), in);
		case GLOBAL_SET -> s[layout.global(in.global())] = eval.value(s, t, in.arg(0), in);
		case BRANCH -> {
			if (!eval.test(s, t, in)) {
				return in.target();
			}
		}
		case WAIT -> {
			if (!eval.test(s, t, in)) {
				return Interpreter.BLOCKED;
			}
		}
		case ASSERT -> {
			if (!eval.test(s, t, in)) {
				violateWarn(s);
			}
		}
		case JUMP -> {
			return in.target();
		}
		case PAGE_FREE_BEGIN -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p < 0) {
				break;
			}
			if (t < threads && (!has(s[layout.page(p, RUNNING)], t) || s[layout.refs(p, t)] > 0
					|| own.othersHold(s, t, p, true))) {
				violate(s, Rule.R8);
			}
			s[layout.page(p, DIRTY)] = 0;
		}
		case FINAL_PUT_END -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p >= 0 && t < threads) {
				s[layout.page(p, RUNNING)] &= ~bit(t);
				s[layout.page(p, OWNERS)] &= ~bit(t);
			}
		}
		case HANDOFF -> {
			int p = eval.page(s, t, in.arg(0), in);
			if (p >= 0 && s[layout.page(p, CLAIM)] == t + 1) {
				own.handOff(s, t, p);
			}
		}
		case WARN -> violateWarn(s);
		case NOP -> {
		}
		case ANY_PAGE, CHOICE, END -> throw new IllegalStateException(in.op() + " is handled by run()");
		}
		return next;
	}

	/** Drops n references of page p (they were checked); the drop that reaches the threshold starts final_put. */
	private int drop(int[] s, int t, int p, int n, Instr in, int next) {
		s[layout.page(p, COUNT)] -= n;
		if (s[layout.page(p, COUNT)] == finalAt[p]) {
			if (t < threads) {
				s[layout.page(p, RUNNING)] |= bit(t); // this thread runs final_put for the page
				if (coreFrees[p]) {
					s[layout.page(p, OWNERS)] |= bit(t); // and owns it until page_free publishes it
				}
			}
			return next;
		}
		return in.target();
	}

	private void dropReference(int[] s, int t, int p) {
		s[layout.refs(p, t)]--;
		if (s[layout.tries(p, t)] > s[layout.refs(p, t)]) {
			s[layout.tries(p, t)] = s[layout.refs(p, t)];
		}
	}
}
