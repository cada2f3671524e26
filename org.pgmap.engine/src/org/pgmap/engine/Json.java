package org.pgmap.engine;

import java.util.List;
import java.util.Map;

/** A small JSON writer for the CLI's reports (maps keep their insertion order). */
public final class Json {
	private Json() {
	}

	public static String write(Object value) {
		StringBuilder sb = new StringBuilder();
		write(sb, value, 0);
		return sb.append('\n').toString();
	}

	private static void write(StringBuilder sb, Object value, int indent) {
		if (value == null) {
			sb.append("null");
		} else if (value instanceof String s) {
			quote(sb, s);
		} else if (value instanceof Number || value instanceof Boolean) {
			sb.append(value);
		} else if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				sb.append("{}");
				return;
			}
			sb.append("{\n");
			int i = 0;
			for (Map.Entry<?, ?> e : map.entrySet()) {
				pad(sb, indent + 1);
				quote(sb, String.valueOf(e.getKey()));
				sb.append(": ");
				write(sb, e.getValue(), indent + 1);
				sb.append(++i < map.size() ? ",\n" : "\n");
			}
			pad(sb, indent);
			sb.append('}');
		} else if (value instanceof List<?> list) {
			if (list.isEmpty()) {
				sb.append("[]");
				return;
			}
			sb.append("[\n");
			for (int i = 0; i < list.size(); i++) {
				pad(sb, indent + 1);
				write(sb, list.get(i), indent + 1);
				sb.append(i + 1 < list.size() ? ",\n" : "\n");
			}
			pad(sb, indent);
			sb.append(']');
		} else {
			quote(sb, value.toString());
		}
	}

	private static void pad(StringBuilder sb, int indent) {
		sb.append("  ".repeat(indent));
	}

	private static void quote(StringBuilder sb, String s) {
		sb.append('"');
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
					// controls, line separators (JavaScript before ES2019 ends a string there), bidi and
					// format characters, and a lone surrogate (no Unicode at all) as escapes
					sb.append(String.format("\\u%04x", (int) c));
				} else {
					sb.append(c);
				}
			}
			}
		}
		sb.append('"');
	}

	/** Whether the char at i is half of a surrogate pair without its other half. */
	private static boolean lone(String s, int i) {
		char c = s.charAt(i);
		if (Character.isHighSurrogate(c)) {
			return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
		}
		return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
	}
}
