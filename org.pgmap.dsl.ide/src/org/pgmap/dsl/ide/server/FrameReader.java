package org.pgmap.dsl.ide.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.MessageIssueHandler;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

import com.google.gson.JsonParser;

/**
 * Reads the client's LSP frames ({@code Content-Length: N}, more header lines, a blank line, then
 * N bytes of JSON) and hands each message on. Only the end of the input ends the session:
 * <ul>
 * <li>anything before a {@code Content-Length} header is skipped, so a frame whose length is
 * missing, negative or not a number is skipped up to the next frame's header;</li>
 * <li>a body ends at its length or where its JSON value ends, whichever comes first, so a length
 * larger than the message cannot swallow the frames after it;</li>
 * <li>a body that is not JSON is answered with a parse error (-32700), JSON that is not a JSON-RPC
 * message with an invalid request (-32600), both with id null.</li>
 * </ul>
 * Each problem is one line on the log.
 */
public class FrameReader implements MessageProducer, Closeable {

	/** No client sends a larger frame: a larger length is a broken header, not a document. */
	public static final int MAX_FRAME_BYTES = 64 << 20;

	private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
	private static final int MAX_HEADER_LINE = 8 << 10;

	private final PushbackInputStream in;
	private final MessageJsonHandler json;
	private final MessageIssueHandler issues;
	private final PrintStream log;
	private volatile boolean open = true;

	/** A frame's header: its body length (at most Long.MAX_VALUE), or why it has none. */
	private record Header(long length, Charset charset, String problem) {
	}

	public FrameReader(InputStream in, MessageJsonHandler json, MessageIssueHandler issues, PrintStream log) {
		this.in = new PushbackInputStream(new BufferedInputStream(in), CONTENT_LENGTH.length);
		this.json = json;
		this.issues = issues;
		this.log = log;
	}

	@Override
	public void listen(MessageConsumer consumer) {
		try {
			boolean skippingBody = false;
			while (open) {
				Header header = readHeader(skippingBody);
				if (header == null) {
					return;
				}
				skippingBody = header.problem() != null;
				if (skippingBody) {
					log("skipped a frame: " + header.problem());
					continue; // its body is skipped as what comes before the next header
				}
				long limit = Math.min(header.length(), MAX_FRAME_BYTES);
				byte[] body = readBody(limit);
				if (body == null) {
					return;
				}
				if (body.length == MAX_FRAME_BYTES && header.length() > MAX_FRAME_BYTES) {
					log("skipped a frame: its Content-Length " + header.length() + " is more than the " + (MAX_FRAME_BYTES >> 20)
							+ " MiB a frame may have");
					continue;
				}
				try {
					dispatch(new String(body, header.charset()), consumer);
				} catch (RuntimeException e) {
					log("internal error while handling a frame, please report it with the log: " + e);
					e.printStackTrace(log);
				}
			}
		} catch (IOException e) {
			if (open) {
				log("the input ended: " + e.getMessage());
			}
		}
	}

	@Override
	public void close() {
		open = false;
	}

	/**
	 * Skips to the next Content-Length header and reads the header lines after it; null at the end
	 * of input. Skipped bytes are logged unless they are the body of a frame already reported.
	 */
	private Header readHeader(boolean skippingBody) throws IOException {
		long skipped = skipToContentLength();
		if (skipped < 0) {
			return null;
		}
		if (skipped > 0 && !skippingBody) {
			log("skipped " + skipped + " bytes that were not part of a frame");
		}
		String value = readLine();
		if (value == null) {
			return null;
		}
		Charset charset = StandardCharsets.UTF_8;
		String problem = null;
		String line;
		while ((line = readLine()) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-type")) {
				int at = line.indexOf("charset=");
				if (at >= 0) {
					try {
						charset = Charset.forName(line.substring(at + 8).trim().replace("\"", ""));
					} catch (IllegalArgumentException e) {
						problem = "its Content-Type names an unknown charset: " + abbreviate(line);
					}
				}
			}
		}
		if (line == null) {
			return null;
		}
		value = value.trim();
		if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return new Header(-1, charset, "its Content-Length '" + abbreviate(value) + "' is not a byte count");
		}
		// a length past 19 digits is past any frame: keep it as the largest long
		long length = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
		return new Header(length, charset, problem);
	}

	/** Reads up to and including "Content-Length:" (any case); returns how many other bytes came first, -1 at the end of input. */
	private long skipToContentLength() throws IOException {
		long skipped = 0;
		int matched = 0;
		while (matched < CONTENT_LENGTH.length) {
			int b = in.read();
			if (b < 0) {
				return -1;
			}
			int c = Character.toLowerCase(b);
			if (c == CONTENT_LENGTH[matched]) {
				matched++;
				continue;
			}
			// "content-length:" repeats no prefix of itself: a mismatch restarts the match
			skipped += matched;
			matched = c == CONTENT_LENGTH[0] ? 1 : 0;
			if (matched == 0 && !isSpace(b)) {
				skipped++;
			}
		}
		return skipped;
	}

	/** A header line without its line end; a longer line than any header is cut; null at the end of input. */
	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0 && b != '\n') {
			if (b != '\r' && line.length() < MAX_HEADER_LINE) {
				line.append((char) b);
			}
		}
		return b < 0 && line.length() == 0 ? null : line.toString();
	}

	/**
	 * Reads a body of at most {@code limit} bytes; it ends early where its JSON value ends, or
	 * before a "Content-Length:" outside a JSON string (the next frame). Null at the end of input.
	 */
	private byte[] readBody(long limit) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(limit, 1 << 16));
		JsonValueEnd end = new JsonValueEnd();
		int headerMatched = 0;
		while (body.size() < limit) {
			int b = in.read();
			if (b < 0) {
				return null;
			}
			body.write(b);
			if (end.accept(b)) {
				break;
			}
			headerMatched = end.inString() ? 0
					: Character.toLowerCase(b) == CONTENT_LENGTH[headerMatched] ? headerMatched + 1
							: Character.toLowerCase(b) == CONTENT_LENGTH[0] ? 1 : 0;
			if (headerMatched == CONTENT_LENGTH.length) {
				byte[] all = body.toByteArray();
				in.unread(all, all.length - CONTENT_LENGTH.length, CONTENT_LENGTH.length);
				log("a frame's Content-Length is larger than its message; the message ends before the next header");
				return Arrays.copyOf(all, all.length - CONTENT_LENGTH.length);
			}
		}
		return body.toByteArray();
	}

	private void dispatch(String text, MessageConsumer consumer) {
		Message message;
		try {
			message = json.parseMessage(text);
		} catch (MessageIssueException e) {
			report(e);
			return;
		} catch (RuntimeException e) {
			message = null;
		}
		if (message == null) {
			boolean isJson = isJson(text);
			log("answered a frame that is not " + (isJson ? "a JSON-RPC message" : "JSON") + ": " + abbreviate(text));
			RequestMessage unknown = new RequestMessage();
			unknown.setJsonrpc("2.0");
			issues.handle(unknown, List.of(isJson
					? new MessageIssue("Invalid request: not a JSON-RPC message", ResponseErrorCode.InvalidRequest.getValue())
					: new MessageIssue("Parse error: the frame is not JSON", ResponseErrorCode.ParseError.getValue())));
			return;
		}
		try {
			consumer.consume(message);
		} catch (MessageIssueException e) {
			report(e);
		}
	}

	/** Answers a message lsp4j could not take (a request gets an error response), without the exception as data. */
	private void report(MessageIssueException e) {
		List<MessageIssue> plain = e.getIssues().stream().map(i -> new MessageIssue(i.getText(), i.getIssueCode())).toList();
		log("rejected a malformed message: " + plain.get(0).getText());
		issues.handle(e.getRpcMessage(), plain);
	}

	private static boolean isJson(String text) {
		try {
			JsonParser.parseString(text);
			return !text.isBlank();
		} catch (RuntimeException e) {
			return false;
		}
	}

	static boolean isSpace(int b) {
		return b == ' ' || b == '\t' || b == '\r' || b == '\n';
	}

	private static String abbreviate(String s) {
		String one = s.replaceAll("\\p{Cntrl}", " ");
		return one.length() > 60 ? one.substring(0, 60) + "..." : one;
	}

	private void log(String message) {
		log.println("pgmap language server: " + message);
	}
}
