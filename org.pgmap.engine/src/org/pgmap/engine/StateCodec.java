package org.pgmap.engine;

/**
 * How the visited set and the frontier pack a state: about a byte per non-zero field. Each value
 * v is zigzagged (0, -1, 1, -2, ... as z = 0, 1, 2, 3, ...); a run of 1 to 64 zeros is one byte
 * 01rrrrrr (r + 1 zeros: most fields are 0, such as the references each thread holds of each
 * page), another z below 64 one byte 00zzzzzz (v from -32 to 31), a larger one 1mzzzzzz (its low
 * 6 bits; m: more follow) and then 7-bit groups, low first, the high bit set on all but the
 * last. The encoder is deterministic (zero runs as long as they go) and the code is prefix-free,
 * so two states of one width are equal exactly when their encodings are.
 */
final class StateCodec {

	private StateCodec() {
	}

	/** The most bytes a state of {@code width} fields takes (six per field: a 32-bit value). */
	static int maxLength(int width) {
		return 6 * Math.max(1, width);
	}

	/** Encodes the state's first {@code width} fields into {@code out} from 0; returns the length. */
	static int encode(int[] state, int width, byte[] out) {
		int n = 0;
		for (int i = 0; i < width;) {
			int v = state[i];
			if (v == 0) {
				int run = 1;
				while (run < 64 && i + run < width && state[i + run] == 0) {
					run++;
				}
				out[n++] = (byte) (0x40 | (run - 1));
				i += run;
				continue;
			}
			int z = (v << 1) ^ (v >> 31);
			i++;
			if ((z & ~0x3F) == 0) {
				out[n++] = (byte) z;
				continue;
			}
			int rest = z >>> 6;
			out[n++] = (byte) (0x80 | (rest != 0 ? 0x40 : 0) | (z & 0x3F));
			while (rest != 0) {
				out[n++] = (byte) ((rest & ~0x7F) != 0 ? (rest & 0x7F) | 0x80 : rest);
				rest >>>= 7;
			}
		}
		return n;
	}

	/** Decodes {@code width} fields from {@code b} at {@code o} into {@code into}; returns the offset after them. */
	static int decode(byte[] b, int o, int width, int[] into) {
		for (int k = 0; k < width;) {
			int t = b[o++];
			if ((t & 0x80) == 0) {
				if ((t & 0x40) != 0) {
					for (int run = (t & 0x3F) + 1; run > 0; run--) {
						into[k++] = 0;
					}
					continue;
				}
				into[k++] = (t >>> 1) ^ -(t & 1);
				continue;
			}
			int z = t & 0x3F;
			if ((t & 0x40) != 0) {
				for (int shift = 6;; shift += 7) {
					int n = b[o++];
					z |= (n & 0x7F) << shift;
					if (n >= 0) {
						break;
					}
				}
			}
			into[k++] = (z >>> 1) ^ -(z & 1);
		}
		return o;
	}
}
