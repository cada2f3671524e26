package org.pgmap.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Statistics;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Loc;
import org.pgmap.engine.model.Operand;

/**
 * Model-checks one scenario: explores every interleaving of its threads with the
 * {@link Interpreter}, and reports each rule that some interleaving breaks with its shortest
 * trace, marked as the root cause (the first rule broken on that interleaving) or a consequence.
 */
public final class Checker {

	/**
	 * One step of a trace as the user reads it: its thread, statement and what it changed; the
	 * inlined calls the statement runs inside, outermost first (a race diagram indents by them);
	 * and each page whose refcount the step changed, as {@code page before -> after}.
	 */
	public record TraceStep(int number, String thread, Loc loc, String changes, List<org.pgmap.engine.model.Call> calls,
			List<String> refcounts) {
		public TraceStep {
			calls = calls == null ? List.of() : List.copyOf(calls);
			refcounts = refcounts == null ? List.of() : List.copyOf(refcounts);
		}

		public TraceStep(int number, String thread, Loc loc, String changes) {
			this(number, thread, loc, changes, List.of(), List.of());
		}
	}

	/**
	 * A rule that some interleaving breaks, with its shortest trace: the root cause when it is the
	 * first rule broken on that interleaving, else a consequence of an earlier one. {@code loc}
	 * is the statement of the step that broke it (for a leak or deadlock, the last step's).
	 */
	public record Violation(Rule rule, boolean rootCause, String message, Loc loc, List<TraceStep> trace) {
	}

	/** What the property tells the explorer: which rule a step or end state broke, and whether it was the first on its interleaving. */
	public record Breach(Rule rule, boolean rootCause) {
	}

	public record Report(String spec, String scenario, Verdict verdict, String incompleteReason,
			List<Violation> violations, Statistics statistics) {
	}

	private Checker() {
	}

	/** Checks with the default options: partial-order and symmetry reduction, exact visited set, both cores. */
	public static Report check(ExecModel model, Limits limits, BooleanSupplier cancelled) {
		return check(model, limits, Explorer.Options.DEFAULT, cancelled);
	}

	public static Report check(ExecModel model, Limits limits, Explorer.Options options, BooleanSupplier cancelled) {
		Interpreter interpreter = new Interpreter(model);
		Explorer.Property<Breach> property = property(interpreter);
		Explorer.Result<Breach> result = new Explorer<>(interpreter, property, limits, options, cancelled).run();
		Map<Rule, Violation> byRule = new LinkedHashMap<>();
		for (Map.Entry<Breach, Explorer.Trace<Breach>> e : result.violations().entrySet()) {
			boolean root = e.getKey().rootCause();
			Rule rule = e.getKey().rule();
			Violation v = describe(model, interpreter, rule, root, e.getValue());
			Violation old = byRule.get(rule);
			if (old == null || (root && !old.rootCause())
					|| (root == old.rootCause() && v.trace().size() < old.trace().size())) {
				byRule.put(rule, v);
			}
		}
		List<Violation> violations = new ArrayList<>(byRule.values());
		violations.sort(Comparator.comparing((Violation v) -> !v.rootCause()).thenComparing(v -> v.trace().size())
				.thenComparing(Violation::rule));
		return new Report(model.spec(), model.scenario(), result.verdict(), result.incompleteReason(), violations,
				result.statistics());
	}

	/**
	 * The rules as a property of the explorer: a step that sets a rule's bit in the violation word
	 * breaks that rule (a consequence when an earlier rule broke on the same interleaving), and an
	 * end state is checked for deadlock and leaks.
	 */
	public static Explorer.Property<Breach> property(Interpreter interpreter) {
		return new Explorer.Property<>() {
			@Override
			public void onStep(int[] before, int thread, int statement, int[] after, Consumer<Breach> violated) {
				int was = StateLayout.violations(before);
				int fresh = StateLayout.violations(after) & ~was;
				for (int bit = 0; fresh != 0; bit++, fresh >>>= 1) {
					if ((fresh & 1) != 0) {
						violated.accept(new Breach(Rule.ofBit(bit), was == 0));
					}
				}
			}

			@Override
			public void onEnd(int[] state, Consumer<Breach> violated) {
				interpreter.checkEnd(state, bit -> {
					int was = StateLayout.violations(state);
					if ((was & (1 << bit)) == 0) {
						violated.accept(new Breach(Rule.ofBit(bit), was == 0));
					}
				});
			}
		};
	}

	private static Violation describe(ExecModel model, Interpreter in, Rule rule, boolean root, Explorer.Trace<Breach> trace) {
		List<TraceStep> steps = new ArrayList<>();
		int[] before = trace.initial();
		int n = 1;
		Loc last = Loc.NONE;
		for (Explorer.Step step : trace.steps()) {
			Instr instr = in.instruction(step.thread(), step.statement());
			last = instr.loc();
			String changes = changes(model, in, before, step.state());
			if (instr.op() == org.pgmap.engine.model.Op.NOP && instr.nop() == Instr.Nop.FAILS) {
				changes = changes.isEmpty() ? "fails" : "fails; " + changes;
			}
			String ran = ran(in, before, step.thread(), step.state());
			steps.add(new TraceStep(n++, model.threads().get(step.thread()).name(), instr.loc(),
					ran.isEmpty() ? changes : changes.isEmpty() ? ran : ran + "; " + changes,
					model.threads().get(step.thread()).calls().get(step.statement()), refcounts(model, in, before, step.state())));
			before = step.state();
		}
		String detail = "";
		if (rule != Rule.WARN) {
			String what = in.endProblems(before).get(rule.bit());
			int fresh = StateLayout.violations(before) & ~StateLayout.violations(trace.initial());
			if (what != null && (fresh & (1 << rule.bit())) == 0) {
				detail = " [at the end: " + what + "]";
			}
		}
		String message = rule.title() + ": " + rule.text() + detail
				+ (root ? "" : " (a consequence of an earlier violation on the same interleaving)");
		return new Violation(rule, root, message, last, steps);
	}

	/** For a step that ran more than one statement (atomic { }, a call's body): "ran: line 12, line 13, ...". */
	private static String ran(Interpreter in, int[] before, int t, int[] after) {
		List<Integer> path = in.stepPath(before, t, after);
		List<String> lines = new ArrayList<>();
		Loc prev = null;
		for (int pc : path) {
			Instr i = in.instruction(t, pc);
			if (i.silent() || i.loc().line() <= 0 || i.loc().equals(prev)) {
				continue;
			}
			prev = i.loc();
			lines.add(i.loc().file().replaceAll(".*/", "") + ":" + i.loc().line() + " " + oneLine(i.loc().text(), 30));
		}
		return lines.size() <= 1 ? "" : "ran " + String.join(", ", lines);
	}

	private static String oneLine(String text, int max) {
		String t = text.replaceAll("\\s+", " ").trim();
		int brace = t.indexOf(" {");
		if (brace > 0) {
			t = t.substring(0, brace);
		}
		return t.length() > max ? t.substring(0, max - 1) + "…" : t;
	}

	/** The rules set in a violation word, for messages: "R2, R7". */
	static String rulesIn(int word) {
		List<String> ids = new ArrayList<>();
		for (int bit = 0; word != 0; bit++, word >>>= 1) {
			if ((word & 1) != 0) {
				ids.add(Rule.ofBit(bit).name());
			}
		}
		return String.join(", ", ids);
	}

	/**
	 * Only what changed: refcounts, page locks, fields, pools, who holds, owns and published
	 * each page, locks, driver variables, objects and pgmap references.
	 */
	/** Each page whose refcount differs between a and b, as {@code page before -> after}. */
	static List<String> refcounts(ExecModel model, Interpreter in, int[] a, int[] b) {
		List<String> out = new ArrayList<>();
		for (int p = 0; p < in.pages(); p++) {
			int ca = a[in.layout.page(p, StateLayout.COUNT)];
			int cb = b[in.layout.page(p, StateLayout.COUNT)];
			if (ca != cb) {
				out.add(model.pageName(p) + " " + ca + " -> " + cb);
			}
		}
		return out;
	}

	static String changes(ExecModel model, Interpreter in, int[] a, int[] b) {
		StateLayout l = in.layout;
		List<String> out = new ArrayList<>();
		for (int p = 0; p < in.pages(); p++) {
			String page = model.pageName(p);
			int ca = a[l.page(p, StateLayout.COUNT)];
			int cb = b[l.page(p, StateLayout.COUNT)];
			if (ca != cb) {
				out.add(page + " refcount " + ca + " -> " + cb);
			}
			if (a[l.page(p, StateLayout.PLOCK)] != b[l.page(p, StateLayout.PLOCK)]) {
				int h = b[l.page(p, StateLayout.PLOCK)];
				out.add(page + (h == 0 ? " unlocked" : " locked by " + model.threadName(h - 1)));
			}
			for (int f : new int[] { StateLayout.ZDD, StateLayout.MAPPING }) {
				if (a[l.page(p, f)] != b[l.page(p, f)]) {
					out.add(page + (f == StateLayout.ZDD ? " zone_device_data = " : " mapping = ") + value(model, b[l.page(p, f)]));
				}
			}
			int fa = a[l.page(p, StateLayout.PFNMAPS)];
			int fb = b[l.page(p, StateLayout.PFNMAPS)];
			if (fa != fb) {
				out.add(page + (fb == 0 ? " no pfn mapping" : fb == 1 ? " mapped by pfn" : " mapped by pfn " + fb + " times"));
			}
			String holders = holders(model, l, b, p);
			if (!holders.equals(holders(model, l, a, p))) {
				out.add(page + " held by " + (holders.isEmpty() ? "nobody" : holders));
			}
			if (a[l.page(p, StateLayout.CLAIM)] != b[l.page(p, StateLayout.CLAIM)]) {
				int c = b[l.page(p, StateLayout.CLAIM)];
				out.add(page + (c == 0 ? " no longer claimed" : " claimed by " + model.threadName(c - 1)));
			}
			set(out, model, page, "owned by", a[l.page(p, StateLayout.OWNERS)] | a[l.page(p, StateLayout.RUNNING)],
					b[l.page(p, StateLayout.OWNERS)] | b[l.page(p, StateLayout.RUNNING)]);
			set(out, model, page, "published by", a[l.page(p, StateLayout.PUBLISHERS)], b[l.page(p, StateLayout.PUBLISHERS)]);
		}
		for (int q = 0; q < model.pools().size(); q++) {
			List<Integer> x = in.freeList(a, q);
			List<Integer> y = in.freeList(b, q);
			if (!x.equals(y)) {
				out.add(model.pools().get(q).name() + " " + pages(model, x) + " -> " + pages(model, y));
			}
		}
		for (int k = 0; k < model.locks().size(); k++) {
			if (a[l.lock(k)] != b[l.lock(k)]) {
				int h = b[l.lock(k)];
				out.add(model.locks().get(k).name() + (h == 0 ? " released" : " held by " + model.threadName(h - 1)));
			}
		}
		for (int g = 0; g < model.globals().size(); g++) {
			if (a[l.global(g)] != b[l.global(g)]) {
				out.add(model.globals().get(g).name() + " = " + value(model, b[l.global(g)]));
			}
		}
		for (int o = 0; o < model.objects().size(); o++) {
			String name = model.objects().get(o).name();
			if (a[l.objectState(o)] != b[l.objectState(o)]) {
				int st = b[l.objectState(o)];
				out.add(name + (st == StateLayout.OBJ_LIVE ? " allocated" : st == StateLayout.OBJ_FREED ? " freed" : " unallocated"));
			}
			if (a[l.objectKref(o)] != b[l.objectKref(o)]) {
				out.add(name + " kref " + a[l.objectKref(o)] + " -> " + b[l.objectKref(o)]);
			}
		}
		for (int m = 0; m < model.pagemaps().size(); m++) {
			if (a[l.pgmapRefs(m)] != b[l.pgmapRefs(m)]) {
				out.add(model.pagemaps().get(m).name() + " pgmap refs " + a[l.pgmapRefs(m)] + " -> " + b[l.pgmapRefs(m)]);
			}
			if (a[l.pgmapDying(m)] != b[l.pgmapDying(m)]) {
				out.add(model.pagemaps().get(m).name() + " teardown began");
			}
		}
		int fresh = StateLayout.violations(b) & ~StateLayout.violations(a);
		for (int bit = 0; fresh != 0; bit++, fresh >>>= 1) {
			if ((fresh & 1) != 0) {
				out.add("breaks " + Rule.ofBit(bit).name());
			}
		}
		return String.join("; ", out);
	}

	/** "user[0] (2), a mapping": who holds references to page p. */
	private static String holders(ExecModel model, StateLayout l, int[] s, int p) {
		List<String> who = new ArrayList<>();
		for (int t = 0; t < l.threads(); t++) {
			int r = s[l.refs(p, t)];
			if (r > 0) {
				who.add(model.threadName(t) + (r > 1 ? " (" + r + ")" : ""));
			}
		}
		int maps = s[l.page(p, StateLayout.MAPREFS)];
		if (maps > 0) {
			who.add(maps == 1 ? "a mapping" : maps + " mappings");
		}
		return String.join(", ", who);
	}

	private static void set(List<String> out, ExecModel model, String page, String what, int before, int after) {
		if (before == after) {
			return;
		}
		List<String> names = new ArrayList<>();
		for (int t = 0; t < model.threads().size(); t++) {
			if (StateLayout.has(after, t)) {
				names.add(model.threadName(t));
			}
		}
		out.add(page + " " + what + " " + (names.isEmpty() ? "nobody" : String.join(", ", names)));
	}

	/** A value as the trace shows it: null, private, a page, an object by name, a number. */
	private static String value(ExecModel model, int v) {
		int o = Operand.objectId(v);
		if (o >= 0 && o < model.objects().size()) {
			return model.objects().get(o).name();
		}
		return Operand.constant(v).toString();
	}

	private static String pages(ExecModel model, List<Integer> pages) {
		List<String> names = new ArrayList<>();
		for (int p : pages) {
			names.add(model.pageName(p));
		}
		return "[" + String.join(", ", names) + "]";
	}
}
