package org.pgmap.engine;

import static org.pgmap.engine.StateLayout.COUNT;
import static org.pgmap.engine.StateLayout.MAPREFS;
import static org.pgmap.engine.StateLayout.PGREF;
import static org.pgmap.engine.StateLayout.POOL;
import static org.pgmap.engine.StateLayout.ZDD;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * The checks of a state where no thread can move: R13 (a thread waits forever), R14 (a page or
 * object leaked: its refcount or kref is not what its holders account for) and R9's leaks of
 * pgmap references. Part of {@link Interpreter}.
 */
final class EndState {

	private final ExecModel model;
	private final StateLayout layout;
	private final Instr[][] programs;
	private final int threads;
	private final int pages;
	private final int[] idle;
	private final int[] finalAt;
	private final int[] pagemapOfPage;
	private final int[] initialPool;

	EndState(Interpreter in) {
		this.model = in.model;
		this.layout = in.layout;
		this.programs = in.programs;
		this.threads = in.threads;
		this.pages = in.pages;
		this.idle = in.idle;
		this.finalAt = in.finalAt;
		this.pagemapOfPage = in.pagemapOfPage;
		this.initialPool = in.initialPool;
	}

	/** What is wrong with an end state: rule bit -> what, in words (which thread waits, which page or object leaked). */
	Map<Integer, String> problems(int[] s) {
		Map<Integer, String> problems = new LinkedHashMap<>();
		List<String> waiting = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Instr in = programs[t][s[StateLayout.pc(t)]];
			if (in.op() != Op.END) {
				waiting.add(model.threadName(t) + " at " + shortLoc(in));
			}
		}
		if (!waiting.isEmpty()) {
			problems.put(Rule.R13.bit(), String.join(", ", waiting) + " can never go on");
			return problems;
		}
		List<String> leaks = new ArrayList<>();
		List<String> pgmapLeaks = new ArrayList<>();
		int[] pgrefs = new int[model.pagemaps().size()];
		for (int p = 0; p < pages; p++) {
			int held = s[layout.page(p, MAPREFS)];
			for (int t = 0; t < threads; t++) {
				held += s[layout.refs(p, t)];
			}
			boolean free = s[layout.page(p, POOL)] != 0;
			int count = s[layout.page(p, COUNT)];
			boolean fromPool = initialPool[p] >= 0 && model.pools().get(initialPool[p]).publishes();
			String page = model.pageName(p);
			// memunmap_pages() ran to its end: the device memory is gone, and so is a page the driver
			// took off its free list to give it back (dmirror_remove_free_pages); not a leak
			boolean tornDown = s[layout.pgmapDying(pagemapOfPage[p])] != 0;
			boolean gone = tornDown && !free && held == 0 && count == idle[p];
			if (gone) {
				// idle and unheld after teardown: given back with its pagemap
			} else if (!free && held == 0 && fromPool) {
				leaks.add(page + " is in no pool and nobody holds it (refcount " + count + ")");
			} else if (!free && held > 0 && count != finalAt[p] + held) {
				leaks.add(page + " has refcount " + count + " but its holders account for " + (finalAt[p] + held));
			} else if (!free && held == 0 && count != idle[p]) {
				leaks.add(page + " has refcount " + count + " and no holder (idle is " + idle[p] + ")");
			}
			if (free && s[layout.page(p, PGREF)] > 0) {
				pgmapLeaks.add(page + " is free but keeps a pgmap reference");
			}
			pgrefs[pagemapOfPage[p]] += s[layout.page(p, PGREF)];
		}
		for (int o = 0; o < model.objects().size(); o++) {
			ExecModel.DriverObject d = model.objects().get(o);
			if (s[layout.objectState(o)] != StateLayout.OBJ_LIVE) {
				continue;
			}
			int kref = s[layout.objectKref(o)];
			int pins = 0;
			for (int p = 0; p < pages; p++) {
				if (s[layout.page(p, ZDD)] == Operand.object(o) && s[layout.page(p, POOL)] == 0 && d.pinnedBy(pagemapOfPage[p])) {
					pins++;
				}
			}
			int base = d.dynamic() ? 0 : d.kref();
			if (kref > base + pins) {
				leaks.add(d.name() + " has kref " + kref + " but " + (d.dynamic() ? "" : "its own " + base + " and ") + pins
						+ (pins == 1 ? " live page pins" : " live pages pin") + " it");
			} else if (d.dynamic() && kref == 0) {
				leaks.add(d.name() + " was released (kref 0) but never freed");
			}
		}
		for (int m = 0; m < model.pagemaps().size(); m++) {
			int threadRefs = 0;
			for (int t = 0; t < threads; t++) {
				threadRefs += s[layout.threadPgrefs(m, t)];
			}
			int base = s[layout.pgmapDying(m)] != 0 ? 0 : 1;
			int have = s[layout.pgmapRefs(m)];
			if (have != base + pgrefs[m] + threadRefs) {
				pgmapLeaks.add(model.pagemaps().get(m).name() + " has " + (have - base) + " pgmap references, "
						+ (pgrefs[m] + threadRefs) + " of them held by live pages or threads");
			} else if (threadRefs > 0) {
				pgmapLeaks.add(model.pagemaps().get(m).name() + ": a thread finished holding a pgmap reference");
			}
		}
		if (!leaks.isEmpty()) {
			problems.put(Rule.R14.bit(), String.join("; ", leaks));
		}
		if (!pgmapLeaks.isEmpty()) {
			problems.put(Rule.R9.bit(), String.join("; ", pgmapLeaks));
		}
		return problems;
	}

	private static String shortLoc(Instr in) {
		return in.loc().file().replaceAll(".*/", "") + ":" + in.loc().line();
	}
}
