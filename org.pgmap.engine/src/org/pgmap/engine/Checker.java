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

	/** One step of a trace as the user reads it. */
	public record TraceStep(int number, String thread, Loc loc, String changes) {
	}

	public record Violation(String rule, boolean rootCause, String message, Loc loc, List<TraceStep> trace) {
	}

	public record Report(String spec, String scenario, Verdict verdict, String incompleteReason,
			List<Violation> violations, Statistics statistics) {
	}

	/** "WARN": a kernel WARN_ON reached (warn, or an assert that fails). */
	public static final String WARN = "WARN";

	private Checker() {
	}

	/** Checks with the default options: partial-order and symmetry reduction, exact visited set, both cores. */
	public static Report check(ExecModel model, Limits limits, BooleanSupplier cancelled) {
		return check(model, limits, Explorer.Options.DEFAULT, cancelled);
	}

	public static Report check(ExecModel model, Limits limits, Explorer.Options options, BooleanSupplier cancelled) {
		Interpreter interpreter = new Interpreter(model);
		Explorer.Property property = property(interpreter);
		Explorer.Result result = new Explorer(interpreter, property, limits, options, cancelled).run();
		Map<String, Violation> byRule = new LinkedHashMap<>();
		for (Map.Entry<String, Explorer.Trace> e : result.violations().entrySet()) {
			boolean root = !e.getKey().endsWith("~");
			String rule = root ? e.getKey() : e.getKey().substring(0, e.getKey().length() - 1);
			Violation v = describe(model, interpreter, rule, root, e.getValue());
			Violation old = byRule.get(rule);
			if (old == null || (root && !old.rootCause())
					|| (root == old.rootCause() && v.trace().size() < old.trace().size())) {
				byRule.put(rule, v);
			}
		}
		List<Violation> violations = new ArrayList<>(byRule.values());
		violations.sort(Comparator.comparing((Violation v) -> !v.rootCause()).thenComparing(v -> v.trace().size())
				.thenComparing(v -> order(v.rule())));
		return new Report(model.spec(), model.scenario(), result.verdict(), result.incompleteReason(), violations,
				result.statistics());
	}

	/**
	 * The rules as a property of the explorer: a step that sets a rule's bit in the violation word
	 * breaks that rule ("R2~" when an earlier rule broke on the same interleaving: a consequence),
	 * and an end state is checked for deadlock and leaks.
	 */
	public static Explorer.Property property(Interpreter interpreter) {
		return new Explorer.Property() {
			@Override
			public void onStep(int[] before, int thread, int statement, int[] after, Consumer<String> violated) {
				int fresh = after[0] & ~before[0];
				for (int bit = 0; fresh != 0; bit++, fresh >>>= 1) {
					if ((fresh & 1) != 0) {
						violated.accept(id(bit) + (before[0] == 0 ? "" : "~"));
					}
				}
			}

			@Override
			public void onEnd(int[] state, Consumer<String> violated) {
				interpreter.checkEnd(state, bit -> {
					if ((state[0] & (1 << bit)) == 0) {
						violated.accept(id(bit) + (state[0] == 0 ? "" : "~"));
					}
				});
			}
		};
	}

	private static int order(String rule) {
		return rule.equals(WARN) ? 99 : Rule.valueOf(rule).ordinal();
	}

	static String id(int bit) {
		return bit == Interpreter.WARN_BIT ? WARN : Rule.values()[bit].name();
	}

	private static Violation describe(ExecModel model, Interpreter in, String rule, boolean root, Explorer.Trace trace) {
		List<TraceStep> steps = new ArrayList<>();
		int[] before = trace.initial();
		int n = 1;
		Loc last = Loc.NONE;
		for (Explorer.Step step : trace.steps()) {
			Instr instr = in.instruction(step.thread(), step.statement());
			last = instr.loc();
			steps.add(new TraceStep(n++, model.threads().get(step.thread()).name(), instr.loc(),
					changes(model, in, before, step.state())));
			before = step.state();
		}
		String text = rule.equals(WARN) ? "a kernel WARN_ON is reached (warn, or an assert that fails)"
				: Rule.valueOf(rule).text();
		String message = (rule.equals(WARN) ? WARN : Rule.valueOf(rule).title()) + ": " + text
				+ (root ? "" : " (a consequence of an earlier violation on the same interleaving)");
		return new Violation(rule, root, message, last, steps);
	}

	/** Only what changed: refcounts, page locks, fields, pools, locks, pgmap references. */
	static String changes(ExecModel model, Interpreter in, int[] a, int[] b) {
		List<String> out = new ArrayList<>();
		for (int p = 0; p < in.pages(); p++) {
			String page = model.pageName(p);
			if (in.count(a, p) != in.count(b, p)) {
				out.add(page + " refcount " + in.count(a, p) + " -> " + in.count(b, p));
			}
			if (in.pageField(a, p, Interpreter.PLOCK) != in.pageField(b, p, Interpreter.PLOCK)) {
				int h = in.pageField(b, p, Interpreter.PLOCK);
				out.add(page + (h == 0 ? " unlocked" : " locked by " + threadName(model, h - 1)));
			}
			if (in.pageField(a, p, Interpreter.ZDD) != in.pageField(b, p, Interpreter.ZDD)) {
				out.add(page + " zone_device_data = " + Operand.constant(in.pageField(b, p, Interpreter.ZDD)));
			}
			if (in.pageField(a, p, Interpreter.MAPPING) != in.pageField(b, p, Interpreter.MAPPING)) {
				out.add(page + " mapping = " + Operand.constant(in.pageField(b, p, Interpreter.MAPPING)));
			}
		}
		for (int q = 0; q < model.pools().size(); q++) {
			List<Integer> x = in.freeList(a, q);
			List<Integer> y = in.freeList(b, q);
			if (!x.equals(y)) {
				out.add(model.pools().get(q).name() + " " + pages(model, x) + " -> " + pages(model, y));
			}
		}
		for (int l = 0; l < model.locks().size(); l++) {
			if (in.lockHolder(a, l) != in.lockHolder(b, l)) {
				int h = in.lockHolder(b, l);
				out.add(model.locks().get(l).name() + (h == 0 ? " released" : " held by " + threadName(model, h - 1)));
			}
		}
		for (int m = 0; m < model.pagemaps().size(); m++) {
			if (in.pgmapRefs(a, m) != in.pgmapRefs(b, m)) {
				out.add(model.pagemaps().get(m).name() + " pgmap refs " + in.pgmapRefs(a, m) + " -> " + in.pgmapRefs(b, m));
			}
		}
		int fresh = b[0] & ~a[0];
		for (int bit = 0; fresh != 0; bit++, fresh >>>= 1) {
			if ((fresh & 1) != 0) {
				out.add("breaks " + id(bit));
			}
		}
		return String.join("; ", out);
	}

	private static String threadName(ExecModel model, int t) {
		return t < model.threads().size() ? model.threads().get(t).name() : "memremap_pages";
	}

	private static String pages(ExecModel model, List<Integer> pages) {
		List<String> names = new ArrayList<>();
		for (int p : pages) {
			names.add(model.pageName(p));
		}
		return "[" + String.join(", ", names) + "]";
	}
}
