package org.pgmap.engine;

import java.util.ArrayList;
import java.util.List;

import org.pgmap.engine.model.ExecModel;

/**
 * A violation's trace as an SVG sequence diagram: one lane per thread, the steps in order from
 * top to bottom, each box the statement as written, the refcount and pool changes beside it, and
 * the violating step marked in red.
 */
public final class TraceSvg {
	private TraceSvg() {
	}

	static final int LANE = 260;
	static final int ROW = 34;
	static final int TOP = 70;
	static final int NOTES = 700;

	public static String render(ExecModel model, Checker.Violation v) {
		List<String> lanes = new ArrayList<>();
		for (ExecModel.Thread t : model.threads()) {
			lanes.add(t.name());
		}
		int width = 20 + lanes.size() * LANE + NOTES;
		int height = TOP + v.trace().size() * ROW + 40;
		StringBuilder sb = new StringBuilder();
		sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
				.append("\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"12\">\n");
		sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		text(sb, 10, 22, 15, "bold", "#000", v.rule() + (v.rootCause() ? "" : " (consequence)") + " in " + model.spec() + " / "
				+ model.scenario() + ": " + v.trace().size() + " steps");
		text(sb, 10, 42, 11, "normal", "#444", v.message());
		for (int i = 0; i < lanes.size(); i++) {
			int x = 20 + i * LANE + LANE / 2;
			text(sb, x - 40, TOP - 8, 13, "bold", "#000", lanes.get(i));
			sb.append("<line x1=\"").append(x).append("\" y1=\"").append(TOP).append("\" x2=\"").append(x).append("\" y2=\"")
					.append(height - 20).append("\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n");
		}
		int row = 0;
		for (Checker.TraceStep step : v.trace()) {
			int lane = Math.max(0, lanes.indexOf(step.thread()));
			int y = TOP + 8 + row * ROW;
			boolean last = row == v.trace().size() - 1;
			int x = 20 + lane * LANE + 6;
			sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(LANE - 12)
					.append("\" height=\"").append(ROW - 8).append("\" rx=\"4\" fill=\"").append(last ? "#fde2e2" : "#eef3fb")
					.append("\" stroke=\"").append(last ? "#c0392b" : "#6d8fc7").append("\" stroke-width=\"").append(last ? 2 : 1)
					.append("\"/>\n");
			String label = step.number() + ". " + step.loc().text().replaceAll("\\s+", " ");
			text(sb, x + 6, y + 17, 12, "normal", "#000", label.length() > 34 ? label.substring(0, 33) + "…" : label);
			String changes = step.changes();
			if (!changes.isEmpty()) {
				text(sb, 20 + lanes.size() * LANE + 4, y + 17, 11, last ? "bold" : "normal", last ? "#c0392b" : "#225",
						(step.loc().file().replaceAll(".*/", "") + ":" + step.loc().line() + "  " + changes));
			}
			row++;
		}
		sb.append("</svg>\n");
		return sb.toString();
	}

	private static void text(StringBuilder sb, int x, int y, int size, String weight, String color, String s) {
		sb.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" font-size=\"").append(size)
				.append("\" font-weight=\"").append(weight).append("\" fill=\"").append(color).append("\">")
				.append(escape(s)).append("</text>\n");
	}

	static String escape(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}
}
