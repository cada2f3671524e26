package org.pgmap.engine;

import java.nio.charset.StandardCharsets;

/**
 * Text from a spec (titles, file names, messages) made safe for the languages pgmap generates.
 * Spec names are identifiers already; titles and file names may hold anything.
 */
public final class Escape {
	private Escape() {
	}

	/**
	 * One line of text that stays inside a comment: a C or Promela {@code /* *}{@code /} block
	 * comment, a Kbuild {@code #} line. Line breaks and other invisible characters (controls,
	 * format and bidi characters, line separators, lone surrogates) are shown as {@code \}{@code uXXXX};
	 * a comment's end or start is split ({@code * /}, {@code / *}); nothing splices the next line
	 * (a backslash or {@code ??/} before the end).
	 */
	public static String comment(String text) {
		String s = visible(text == null ? "" : text);
		s = s.replace("*/", "* /").replace("/*", "/ *").replace("??/", "?\\u003f/");
		int end = s.length();
		while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
			end--;
		}
		s = s.substring(0, end);
		return s.endsWith("\\") ? s.substring(0, s.length() - 1) + "\\u005c" : s;
	}

	/** The body of a C string literal: ASCII only, quotes, backslashes and '?' escaped, the rest as octal UTF-8 bytes. */
	public static String cString(String text) {
		StringBuilder sb = new StringBuilder();
		for (byte b : (text == null ? "" : text).getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			case '?' -> sb.append("\\?"); // no trigraphs
			default -> {
				if (c >= 0x20 && c < 0x7f) {
					sb.append((char) c);
				} else {
					sb.append(String.format("\\%03o", c)); // octal: at most three digits, so what follows stays text
				}
			}
			}
		}
		return sb.toString();
	}

	/** Text for a message on a terminal: one line, invisible characters shown as {@code \}{@code uXXXX}. */
	public static String printable(String text) {
		return visible(text == null ? "" : text);
	}

	/** Whether a code point must not appear as itself in generated text or on a terminal. */
	public static boolean invisible(int codePoint) {
		return switch (Character.getType(codePoint)) {
		case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
				Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
		default -> false;
		};
	}

	private static String visible(String s) {
		StringBuilder sb = new StringBuilder(s.length());
		s.codePoints().forEach(cp -> {
			if (!invisible(cp)) {
				sb.appendCodePoint(cp);
			} else if (cp <= 0xffff) {
				sb.append(String.format("\\u%04x", cp));
			} else {
				sb.append(String.format("\\U%08x", cp));
			}
		});
		return sb.toString();
	}
}
