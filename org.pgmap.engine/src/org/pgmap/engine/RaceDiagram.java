package org.pgmap.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.model.Call;
import org.pgmap.engine.model.Loc;

/**
 * A trace as kernel commit messages and review mail draw a race: one column per thread that
 * takes a step (CPU0, CPU1, ... with the thread's name), time going down, each statement under
 * the calls it runs inside, indented ({@code put_page()} / {@code   free_zone_device_page()} /
 * {@code     dmirror_devmem_free()}), the refcounts a step changes in the right margin. Plain
 * ASCII (anything else from the spec becomes {@code ?}), no line longer than {@link #WIDTH}; a
 * statement too long for its column is cut with {@code ...}.
 */
public final class RaceDiagram {

	/** The longest line of a diagram. */
	public static final int WIDTH = 80;
	private static final int MARGIN = 18;
	private static final int GAP = 1;

	private RaceDiagram() {
	}

	/** The diagram of the trace's steps, one string per line (no line breaks inside). */
	public static List<String> lines(List<TraceStep> steps) {
		Map<String, Integer> columns = new LinkedHashMap<>();
		for (TraceStep s : steps) {
			columns.putIfAbsent(s.thread(), columns.size());
		}
		int n = Math.max(1, columns.size());
		int width = Math.max(8, (WIDTH - MARGIN - GAP * n) / n);
		List<String> out = new ArrayList<>();
		StringBuilder head = new StringBuilder();
		StringBuilder rule = new StringBuilder();
		boolean legend = false;
		for (Map.Entry<String, Integer> c : columns.entrySet()) {
			legend |= ("CPU" + c.getValue() + " (" + ascii(c.getKey()) + ")").length() > width;
		}
		for (Map.Entry<String, Integer> c : columns.entrySet()) {
			String name = "CPU" + c.getValue();
			if (legend) {
				out.add(cut(name + " = " + ascii(c.getKey()), WIDTH)); // the names do not fit the columns
			} else {
				name += " (" + ascii(c.getKey()) + ")";
			}
			head.append(cell(name, width)).append(" ".repeat(GAP));
			rule.append("-".repeat(width)).append(" ".repeat(GAP));
		}
		out.add(trim(head + "refcount"));
		out.add(trim(rule + "-".repeat(MARGIN - 1)));
		Map<String, List<Call>> open = new LinkedHashMap<>();
		Map<String, Loc> lastAt = new LinkedHashMap<>();
		Map<String, Integer> lastIndent = new LinkedHashMap<>();
		for (TraceStep s : steps) {
			int column = columns.get(s.thread());
			List<Call> was = open.getOrDefault(s.thread(), List.of());
			List<Call> now = s.calls();
			int k = 0;
			while (k < was.size() && k < now.size() && was.get(k).equals(now.get(k))) {
				k++;
			}
			for (int i = k; i < now.size(); i++) {
				Loc site = now.get(i).site();
				Loc last = lastAt.get(s.thread());
				// the statement just drawn is the call itself, by that name (put_page(p), whose final put runs next): no header again
				boolean drawn = i == k && last != null && lastIndent.get(s.thread()) == i && last.line() == site.line()
						&& last.file().equals(site.file()) && oneLine(last.text()).startsWith(now.get(i).function() + "(");
				if (!drawn) {
					out.add(row(column, n, width, indent(i, width) + ascii(now.get(i).function()) + "()", ""));
				}
			}
			List<String> margin = s.refcounts();
			out.add(row(column, n, width, indent(now.size(), width) + ascii(oneLine(s.loc().text())),
					margin.isEmpty() ? "" : compact(margin.get(0))));
			for (int m = 1; m < margin.size(); m++) {
				out.add(row(column, n, width, "", compact(margin.get(m))));
			}
			open.put(s.thread(), now);
			lastAt.put(s.thread(), s.loc());
			lastIndent.put(s.thread(), now.size());
		}
		return out;
	}

	private static String row(int column, int n, int width, String text, String margin) {
		StringBuilder b = new StringBuilder();
		for (int c = 0; c < n; c++) {
			b.append(cell(c == column ? text : "", width)).append(" ".repeat(GAP));
		}
		return trim(b + cut(margin, MARGIN - 1));
	}

	/** Two spaces per call level, at most a third of the column. */
	private static String indent(int level, int width) {
		return " ".repeat(Math.min(2 * level, width / 3));
	}

	private static String cell(String text, int width) {
		String t = cut(text, width);
		return t + " ".repeat(width - t.length());
	}

	private static String cut(String text, int width) {
		return text.length() <= width ? text : text.substring(0, Math.max(0, width - 3)) + "...".substring(0, Math.min(3, width));
	}

	private static String trim(String s) {
		int end = s.length();
		while (end > 0 && s.charAt(end - 1) == ' ') {
			end--;
		}
		return s.substring(0, end);
	}

	/** "dmirror[1] 1 -> 0" as "dmirror[1] 1->0". */
	private static String compact(String refcount) {
		return ascii(refcount.replace(" -> ", "->"));
	}

	private static String oneLine(String s) {
		return s == null ? "" : s.strip().replaceAll("\\s+", " ");
	}

	/** Printable ASCII only: anything else (line breaks, tabs, non-ASCII letters, controls) becomes '?'. */
	static String ascii(String s) {
		StringBuilder b = new StringBuilder(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			b.append(c >= 0x20 && c < 0x7f ? c : '?');
		}
		return b.toString();
	}
}
