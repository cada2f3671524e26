package org.pgmap.cli.extract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Atomic;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.Either;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FieldWrite;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.NoneLiteral;
import org.pgmap.dsl.pgmap.NullLiteral;
import org.pgmap.dsl.pgmap.Op;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.SymbolRef;

/**
 * {@code pgmap conform}: holds a driver's C to a spec that states the intended protocol. Both
 * sides are compared as pgmap procedures: the spec's, and the ones {@link SpecWriter} wrote from
 * the C (each of whose lines cites its C line). A procedure of the spec is paired with the C
 * function of the same name, an {@code op} also with the C's ops member of the same role. Steps
 * are compared by what they do to a page ({@code zone_device_page_init(page)},
 * {@code push(_, page)}, {@code page.zone_device_data = _}, {@code spin_lock(_)}): the names of
 * pages, locks and pools may differ between the two. Findings, each on a C line:
 * <ul>
 * <li>order: two steps the spec orders one way come the other way in the C (a field written after
 * the publishing store);</li>
 * <li>missing: a path of the C (every way through its ifs and error exits) that ends without a
 * step every path of the spec has (an init helper missing on a path);</li>
 * <li>extra: a step on a page the C does that the spec's procedure has nowhere (a get on a page
 * from the pool);</li>
 * <li>absent: a procedure of the spec with no C function.</li>
 * </ul>
 */
public final class Conform {

	/** A finding on a C line (or on the spec's line when the C has no function for it). */
	public record Finding(String file, int line, String id, String message) {
	}

	/** One step of a procedure: what it does (normalized), where it is (the DSL's line, the C's file and line). */
	record Step(String what, int dslLine, String cFile, int cLine) {
	}

	/** At most this many paths per procedure (each branch doubles them). */
	static final int MAX_PATHS = 4096;

	private final Map<Integer, String[]> cites;
	private final List<Finding> findings = new ArrayList<>();

	private Conform(Map<Integer, String[]> cites) {
		this.cites = cites;
	}

	/**
	 * Compares {@code spec} (the intended protocol, from {@code specFile}) with {@code extracted},
	 * the spec SpecWriter wrote from the C, whose text is {@code extractedText}; {@code cFiles}
	 * maps the C files' base names to the names to report.
	 */
	public static List<Finding> compare(Model spec, String specFile, Model extracted, String extractedText, Map<String, String> cFiles) {
		Conform c = new Conform(cites(extractedText, cFiles));
		Map<String, Procedure> cProcs = procedures(extracted);
		Map<String, Procedure> cOps = ops(extracted);
		for (Map.Entry<String, Procedure> e : procedures(spec).entrySet()) {
			Procedure mine = e.getValue();
			Procedure theirs = cProcs.get(e.getKey());
			if (theirs == null && mine instanceof Op op) {
				theirs = cOps.get(op.getRole().getLiteral());
			}
			if (theirs == null) {
				c.findings.add(new Finding(specFile, line(mine), "conform-absent", kind(mine) + " " + mine.getName()
						+ ": the C files have no function of that name" + (mine instanceof Op op ? " and no " + op.getRole().getLiteral() + " op" : "")));
				continue;
			}
			c.compare(mine, theirs, specFile);
		}
		return c.findings;
	}

	private void compare(Procedure spec, Procedure c, String specFile) {
		List<List<Step>> specPaths = paths(body(spec));
		List<List<Step>> cPaths = paths(body(c));
		List<Step> specFlat = flat(body(spec));
		List<Step> cFlat = flat(body(c));
		String where = c.getName();
		// order: the first occurrence of each step on both sides
		Map<String, Step> specFirst = first(specFlat);
		Map<String, Step> cFirst = first(cFlat);
		List<String> common = new ArrayList<>();
		for (String w : specFirst.keySet()) {
			if (cFirst.containsKey(w) && !w.startsWith("return")) {
				common.add(w);
			}
		}
		Set<String> reported = new LinkedHashSet<>();
		for (int i = 0; i < common.size(); i++) {
			for (int j = i + 1; j < common.size(); j++) {
				String a = common.get(i); // the spec: a before b
				String b = common.get(j);
				if (isLock(a) || isLock(b)) {
					continue; // lock order against steps is judged by the model check, not by text order
				}
				Step ca = cFirst.get(a);
				Step cb = cFirst.get(b);
				if (ca.dslLine() > cb.dslLine() && reported.add(a)) {
					findings.add(new Finding(ca.cFile(), ca.cLine(), "conform-order", where + ": " + a + " comes after " + b + " (line " + cb.cLine()
							+ ") in the C; the spec (" + specFile + " line " + specFirst.get(a).dslLine() + ") has it before"));
				}
			}
		}
		// missing on a path: steps every spec path has, absent from a C path
		Set<String> required = null;
		for (List<Step> p : specPaths) {
			if (p.isEmpty() || !returnsPage(p, spec)) {
				continue;
			}
			Set<String> on = new LinkedHashSet<>();
			p.forEach(s -> on.add(s.what()));
			if (required == null) {
				required = on;
			} else {
				required.retainAll(on);
			}
		}
		if (required != null) {
			required.removeIf(Conform::isLock);
			Set<String> missingReported = new LinkedHashSet<>();
			for (List<Step> p : cPaths) {
				if (p.isEmpty() || !returnsPage(p, spec)) {
					continue;
				}
				Set<String> on = new LinkedHashSet<>();
				p.forEach(s -> on.add(s.what()));
				for (String r : required) {
					Step end = p.get(p.size() - 1);
					if (!on.contains(r) && cFirst.containsKey(r) && missingReported.add(r + "@" + end.cLine())) {
						findings.add(new Finding(end.cFile(), end.cLine(), "conform-missing", where + ": this path " + describeEnd(end)
								+ " without " + r + ", which every path of the spec has (" + specFile + " line " + specFirst.get(r).dslLine() + ")"));
					} else if (!on.contains(r) && !cFirst.containsKey(r) && missingReported.add(r)) {
						findings.add(new Finding(fileOf(c), lineOf(c), "conform-missing", where + ": the C never does " + r
								+ ", which every path of the spec has (" + specFile + " line " + specFirst.get(r).dslLine() + ")"));
					}
				}
			}
		}
		// extra: page steps of the C the spec's procedure has nowhere
		Set<String> specAll = new LinkedHashSet<>();
		specFlat.forEach(s -> specAll.add(s.what()));
		Set<String> extraReported = new LinkedHashSet<>();
		for (Step s : cFlat) {
			if (!specAll.contains(s.what()) && !isLock(s.what()) && !s.what().startsWith("return") && extraReported.add(s.what())) {
				findings.add(new Finding(s.cFile(), s.cLine(), "conform-extra", where + ": the C does " + s.what()
						+ " here; the spec's " + kind(spec) + " " + spec.getName() + " has no such step"));
			}
		}
	}

	private static String describeEnd(Step end) {
		return end.what().startsWith("return") ? "returns (" + end.what() + ")" : "ends";
	}

	/** An allocation's path counts when it hands a page out; a path of any other procedure always. */
	private static boolean returnsPage(List<Step> path, Procedure spec) {
		if (!(spec instanceof Alloc)) {
			return true;
		}
		Step end = path.get(path.size() - 1);
		return end.what().equals("return page");
	}

	private static boolean isLock(String what) {
		return what.startsWith("spin_") || what.startsWith("mutex_");
	}

	private static Map<String, Step> first(List<Step> steps) {
		Map<String, Step> result = new LinkedHashMap<>();
		for (Step s : steps) {
			result.putIfAbsent(s.what(), s);
		}
		return result;
	}

	// ------------------------------------------------------------------------------------ paths

	private List<Step> flat(Block block) {
		List<Step> out = new ArrayList<>();
		flat(block, out);
		return out;
	}

	private void flat(EObject o, List<Step> out) {
		if (o == null) {
			return;
		}
		if (o instanceof Block b) {
			for (Statement s : b.getStatements()) {
				flat(s, out);
			}
			return;
		}
		Step s = step(o);
		if (s != null) {
			out.add(s);
		}
		for (EObject child : children(o)) {
			flat(child, out);
		}
	}

	/** The paths through a block: each a list of steps, ending at a return or at the block's end. */
	private List<List<Step>> paths(Block block) {
		List<List<Step>> done = new ArrayList<>();
		List<List<Step>> open = new ArrayList<>();
		open.add(new ArrayList<>());
		walk(block, open, done);
		done.addAll(open);
		return done;
	}

	/** Extends every open path through the statement; paths that return move to done. */
	private void walk(EObject o, List<List<Step>> open, List<List<Step>> done) {
		if (o == null || open.isEmpty()) {
			return;
		}
		if (o instanceof Block b) {
			for (Statement s : b.getStatements()) {
				walk(s, open, done);
			}
			return;
		}
		if (o instanceof Return r) {
			Step s = step(r);
			for (List<Step> p : open) {
				p.add(s);
			}
			done.addAll(open);
			open.clear();
			return;
		}
		if (o instanceof If i) {
			Boolean constant = constant(i);
			if (constant != null) { // a driver var no code writes: one way only
				EObject taken = constant ? i.getThen() : i.getElseIf() != null ? i.getElseIf() : i.getElse();
				walk(taken, open, done);
				return;
			}
			List<List<Step>> other = copy(open);
			walk(i.getThen(), open, done);
			if (i.getElseIf() != null) {
				walk(i.getElseIf(), other, done);
			} else if (i.getElse() != null) {
				walk(i.getElse(), other, done);
			}
			merge(open, other);
			return;
		}
		if (o instanceof Either e) {
			List<List<Step>> result = new ArrayList<>();
			for (Block b : e.getBranches()) {
				List<List<Step>> branch = copy(open);
				walk(b, branch, done);
				merge(result, branch);
			}
			open.clear();
			open.addAll(result);
			return;
		}
		Statement orElse = o instanceof Let l ? l.getOrElse() : o instanceof CallStatement c ? c.getOrElse() : null;
		Step s = step(o);
		if (orElse != null) {
			List<List<Step>> failing = copy(open);
			walk(orElse, failing, done); // the failure path, then on after the statement
			if (s != null) {
				for (List<Step> p : open) {
					p.add(s);
				}
			}
			merge(open, failing);
			return;
		}
		if (s != null) {
			for (List<Step> p : open) {
				p.add(s);
			}
		}
		if (o instanceof Atomic a) {
			walk(a.getBody(), open, done);
		} else if (o instanceof Repeat r) {
			walk(r.getBody(), open, done);
		}
	}

	/**
	 * The value of a condition on a driver var compared with a number ({@code if remove == 0}), or
	 * null: in a spec written from the C, no code writes such a var (SpecWriter declares it for a
	 * teardown flag), so it keeps its initial value.
	 */
	private static Boolean constant(If i) {
		org.pgmap.dsl.pgmap.Condition c = i.getCond();
		if (c == null || !(c.getLeft() instanceof SymbolRef r) || !(r.getSymbol() instanceof org.pgmap.dsl.pgmap.Var v)
				|| !(c.getRight() instanceof org.pgmap.dsl.pgmap.IntLiteral n) || c.isNegated()) {
			return null;
		}
		int value = v.getValue();
		return switch (c.getOp()) {
		case EQ -> value == n.getValue();
		case NE -> value != n.getValue();
		case LT -> value < n.getValue();
		case LE -> value <= n.getValue();
		case GT -> value > n.getValue();
		case GE -> value >= n.getValue();
		};
	}

	private static void merge(List<List<Step>> into, List<List<Step>> more) {
		for (List<Step> p : more) {
			if (into.size() < MAX_PATHS) {
				into.add(p);
			}
		}
	}

	private static List<List<Step>> copy(List<List<Step>> paths) {
		List<List<Step>> result = new ArrayList<>();
		for (List<Step> p : paths) {
			result.add(new ArrayList<>(p));
		}
		return result;
	}

	private static List<EObject> children(EObject o) {
		List<EObject> result = new ArrayList<>();
		if (o instanceof If i) {
			result.add(i.getThen());
			result.add(i.getElseIf());
			result.add(i.getElse());
		} else if (o instanceof Either e) {
			result.addAll(e.getBranches());
		} else if (o instanceof Let l) {
			result.add(l.getOrElse());
		} else if (o instanceof CallStatement c) {
			result.add(c.getOrElse());
		} else if (o instanceof Atomic a) {
			result.add(a.getBody());
		} else if (o instanceof Repeat r) {
			result.add(r.getBody());
		}
		return result;
	}

	// ------------------------------------------------------------------------------------ steps

	/** The step of a statement, normalized, or null when it does nothing to a page, lock or pool. */
	private Step step(EObject o) {
		String what = null;
		if (o instanceof Return r) {
			Expression v = r.getValue();
			what = v == null ? "return" : v instanceof NoneLiteral ? "return none" : "return page";
		} else if (o instanceof FieldWrite w) {
			what = "page." + w.getField().getLiteral() + " = " + (w.getValue() instanceof NullLiteral ? "null" : "_");
		} else if (o instanceof Let l) {
			what = expression(l.getValue());
		} else if (o instanceof CallStatement c) {
			what = c.getCall() instanceof BuiltinCall b ? builtin(b) : c.getCall() instanceof ProcCall p ? procCall(p) : null;
		}
		if (what == null) {
			return null;
		}
		int dsl = line(o);
		String[] cite = cites.get(dsl);
		return new Step(what, dsl, cite != null ? cite[0] : null, cite != null ? Integer.parseInt(cite[1]) : dsl);
	}

	private static String expression(Expression e) {
		if (e instanceof BuiltinCall b) {
			return builtin(b);
		}
		if (e instanceof ProcCall p) {
			return procCall(p);
		}
		if (e instanceof SymbolRef r && r.isDot()) {
			return "read page." + r.getField().getLiteral();
		}
		return null;
	}

	/** A call of a procedure or core helper: {@code zone_device_page_init(page)}, its variables as page. */
	private static String procCall(ProcCall p) {
		if (p.getProc() == null || p.getProc().eIsProxy()) {
			return null;
		}
		List<String> args = new ArrayList<>();
		for (Expression a : p.getArgs()) {
			args.add(a instanceof SymbolRef ? "page" : "_");
		}
		return p.getProc().getName() + "(" + String.join(", ", args) + ")";
	}

	/** {@code push(_, page)}: pools and locks as _, pages as page, numbers as they are. */
	private static String builtin(BuiltinCall b) {
		String fn = b.getFn().getLiteral();
		List<String> args = new ArrayList<>();
		for (Expression a : b.getArgs()) {
			args.add(a instanceof SymbolRef ? "_" : a instanceof org.pgmap.dsl.pgmap.IntLiteral i ? Integer.toString(i.getValue()) : "_");
		}
		// the page argument of page operations reads "page"
		if (!args.isEmpty() && Set.of("lock_page", "unlock_page", "trylock_page", "get_page", "put_page", "get_page_unless_zero", "set_page_count",
				"vm_insert_page", "vmf_insert_mixed", "unmap_page").contains(fn)) {
			args.set(0, "page");
		}
		if (args.size() > 1 && Set.of("push", "clear_bit", "gen_pool_free").contains(fn)) {
			args.set(1, "page");
		}
		return fn + "(" + String.join(", ", args) + ")";
	}

	private static Block body(Procedure p) {
		if (p instanceof Alloc a) {
			return a.getBody();
		}
		if (p instanceof Op o) {
			return o.getBody();
		}
		if (p instanceof org.pgmap.dsl.pgmap.Proc pr) {
			return pr.getBody();
		}
		return null;
	}

	private static String kind(Procedure p) {
		return p instanceof Alloc ? "alloc" : p instanceof Op ? "op" : "proc";
	}

	private static Map<String, Procedure> procedures(Model m) {
		Map<String, Procedure> result = new LinkedHashMap<>();
		for (EObject e : m.getElements()) {
			if (e instanceof Driver d) {
				for (EObject member : d.getMembers()) {
					if (member instanceof Procedure p && !(member instanceof org.pgmap.dsl.pgmap.Helper)) {
						result.putIfAbsent(p.getName(), p);
					}
				}
			}
		}
		return result;
	}

	private static Map<String, Procedure> ops(Model m) {
		Map<String, Procedure> result = new HashMap<>();
		for (Procedure p : procedures(m).values()) {
			if (p instanceof Op o) {
				result.putIfAbsent(o.getRole().getLiteral(), o);
			}
		}
		return result;
	}

	private static int line(EObject o) {
		ICompositeNode n = NodeModelUtils.getNode(o);
		return n == null ? 0 : n.getStartLine();
	}

	private String fileOf(Procedure c) {
		String[] cite = cites.get(line(c) - 1); // the signature comment above the procedure
		return cite != null ? cite[0] : null;
	}

	private int lineOf(Procedure c) {
		String[] cite = cites.get(line(c) - 1);
		return cite != null ? Integer.parseInt(cite[1]) : line(c);
	}

	/** DSL line -> {C file as reported, C line}, from the citations SpecWriter writes on each line. */
	static Map<Integer, String[]> cites(String text, Map<String, String> cFiles) {
		Map<Integer, String[]> result = new HashMap<>();
		Pattern cite = Pattern.compile("([A-Za-z0-9_.+\\-]+\\.[ch]):(\\d+)");
		String[] lines = text.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			int comment = lines[i].indexOf("//");
			if (comment < 0) {
				continue;
			}
			Matcher m = cite.matcher(lines[i].substring(comment));
			if (m.find()) {
				result.put(i + 1, new String[] { cFiles.getOrDefault(m.group(1), m.group(1)), m.group(2) });
			}
		}
		return result;
	}
}
