package org.pgmap.dsl.ide.server;

/**
 * Follows a JSON text byte by byte and says where its top-level object or array ends, so that a
 * frame whose Content-Length is too large still ends with its message. UTF-8 needs no decoding
 * here: no byte of a multi-byte character is an ASCII one.
 */
final class JsonValueEnd {
	private int depth;
	private boolean started;
	private boolean string;
	private boolean escaped;

	/** Whether b ends the value (only an object or an array has an end to see). */
	boolean accept(int b) {
		if (string) {
			if (escaped) {
				escaped = false;
			} else if (b == '\\') {
				escaped = true;
			} else if (b == '"') {
				string = false;
			}
			return false;
		}
		if (!started) {
			if (b == '{' || b == '[') {
				started = true;
				depth = 1;
			} else if (!FrameReader.isSpace(b)) {
				started = true;
				depth = -1; // not an object or an array: the length alone decides
			}
			return false;
		}
		if (depth < 0) {
			return false;
		}
		if (b == '"') {
			string = true;
		} else if (b == '{' || b == '[') {
			depth++;
		} else if (b == '}' || b == ']') {
			depth--;
		}
		return depth == 0;
	}

	/** Whether the last byte was inside a JSON string. */
	boolean inString() {
		return string;
	}
}
