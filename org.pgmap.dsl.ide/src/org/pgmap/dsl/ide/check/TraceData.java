package org.pgmap.dsl.ide.check;

import java.util.ArrayList;
import java.util.List;

import org.pgmap.engine.Checker.TraceStep;
import org.pgmap.engine.model.Loc;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

/**
 * How a model-check finding's trace travels with an editor's issue and an Eclipse marker: the
 * issue data holds the lane diagram (SVG, one line) and the steps as one line of JSON; the trace
 * view reads them back as {@link TraceStep}s. Written and read only here.
 */
public final class TraceData {
	private static final Gson GSON = new Gson();

	/** What a marker or an issue carries: the SVG diagram, then the steps. */
	public record Decoded(String svg, List<TraceStep> steps) {
	}

	private TraceData() {
	}

	/** The issue data of a violation: item 0 the SVG diagram (one line), item 1 the steps as JSON. */
	public static String[] encode(String svg, List<TraceStep> steps) {
		return new String[] { svg.replace('\n', ' '), GSON.toJson(steps) };
	}

	/** Reads back data written by {@link #encode} (joined by newlines on a marker); anything else gives no steps. */
	public static Decoded decode(String[] data) {
		String svg = null;
		List<TraceStep> steps = new ArrayList<>();
		for (String item : data == null ? new String[0] : data) {
			if (item.startsWith("<svg")) {
				svg = item;
			} else if (item.startsWith("[")) {
				try {
					List<TraceStep> read = GSON.fromJson(item, new TypeToken<List<TraceStep>>() {
					}.getType());
					for (TraceStep s : read == null ? List.<TraceStep>of() : read) {
						if (s != null) {
							steps.add(new TraceStep(s.number(), s.thread(), s.loc() == null ? Loc.NONE : s.loc(),
									s.changes() == null ? "" : s.changes()));
						}
					}
				} catch (JsonParseException e) {
					// not a trace (a marker of an older pgmap): no steps
				}
			}
		}
		return new Decoded(svg, steps);
	}

	/** As {@link #decode(String[])}, for a marker's attribute (items joined by newlines). */
	public static Decoded decode(String joined) {
		return decode(joined == null || joined.isEmpty() ? new String[0] : joined.split("\n"));
	}
}
