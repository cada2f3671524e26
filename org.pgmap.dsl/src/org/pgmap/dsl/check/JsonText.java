package org.pgmap.dsl.check;

import java.io.IOException;

import org.pgmap.engine.Escape;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * pgmap's JSON documents (the check report, {@code pgmap model --format json}, the model JSON
 * generate writes), through Gson: maps keep their order, records their components' order, two
 * spaces of indentation, nulls written, a final newline. Every string is safe to show: besides
 * quotes, backslashes and controls, line separators (JavaScript before ES2019 ends a string
 * there), bidi and format characters ({@link Escape#invisible}) and a lone surrogate (no Unicode
 * at all) are written as {@code \}{@code uXXXX}. Keys are pgmap's own identifiers, never spec text.
 */
public final class JsonText {
	private JsonText() {
	}

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
			.serializeSpecialFloatingPointValues().registerTypeAdapter(String.class, new SafeString()).create();

	/** The document as pgmap writes it: indented by two spaces, ending in a newline. */
	public static String write(Object document) {
		return GSON.toJson(document) + "\n";
	}

	/** A string as a JSON literal, quoted and escaped as described above. */
	public static String quote(String s) {
		StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			case '\n' -> sb.append("\\n");
			case '\r' -> sb.append("\\r");
			case '\t' -> sb.append("\\t");
			default -> {
				if (Character.isSurrogate(c) ? lone(s, i) : Escape.invisible(c)) {
					sb.append(String.format("\\u%04x", (int) c));
				} else {
					sb.append(c);
				}
			}
			}
		}
		return sb.append('"').toString();
	}

	/** Whether the char at i is half of a surrogate pair without its other half. */
	private static boolean lone(String s, int i) {
		char c = s.charAt(i);
		if (Character.isHighSurrogate(c)) {
			return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
		}
		return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
	}

	/** Writes strings through {@link #quote}; reads them as Gson does. */
	private static final class SafeString extends TypeAdapter<String> {
		@Override
		public void write(JsonWriter out, String value) throws IOException {
			if (value == null) {
				out.nullValue();
			} else {
				out.jsonValue(quote(value));
			}
		}

		@Override
		public String read(JsonReader in) throws IOException {
			if (in.peek() == JsonToken.NULL) {
				in.nextNull();
				return null;
			}
			return in.nextString();
		}
	}
}
