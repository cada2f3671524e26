package org.pgmap.dsl.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.pgmap.dsl.ide.server.PgmapLanguageServerLauncher;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A client that talks to pgmap's real language server in raw frames over OS pipes, as a careless
 * or hostile editor might: it can send any bytes, and it records every response and every
 * publication of diagnostics with the time it arrived.
 */
final class RawLspClient implements AutoCloseable {

	/** One textDocument/publishDiagnostics, and when it arrived (System.nanoTime). */
	record Publication(long nanos, JsonArray diagnostics) {
	}

	private final OutputStream toServer;
	private final InputStream fromServer;
	private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
	private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
	private final Map<String, CompletableFuture<JsonObject>> responses = new ConcurrentHashMap<>();
	private final List<JsonObject> responsesWithoutId = new ArrayList<>();
	private final Map<String, List<Publication>> publications = new ConcurrentHashMap<>();
	private final AtomicInteger ids = new AtomicInteger();
	/** The server's answer to initialize. */
	private final JsonObject initialized;

	private RawLspClient(Path workspace, String capabilities) throws IOException {
		Pipe up = Pipe.open();
		Pipe down = Pipe.open();
		toServer = Channels.newOutputStream(up.sink());
		fromServer = Channels.newInputStream(down.source());
		PgmapLanguageServerLauncher.create(Channels.newInputStream(up.source()), Channels.newOutputStream(down.sink()), log)
				.startListening();
		Thread reader = new Thread(this::readAll, "raw-lsp-client");
		reader.setDaemon(true);
		reader.start();
		String root = workspace.toUri().toString();
		initialized = call("initialize", "{\"processId\":null,\"rootUri\":" + quote(root) + ",\"capabilities\":" + capabilities + "}");
		notify("initialized", "{}");
	}

	/** A server with the workspace folder {@code workspace}, initialized. */
	static RawLspClient start(Path workspace) throws IOException {
		return new RawLspClient(workspace, "{}");
	}

	/** A server with the workspace folder {@code workspace}, initialized by a client with these capabilities (JSON). */
	static RawLspClient start(Path workspace, String capabilities) throws IOException {
		return new RawLspClient(workspace, capabilities);
	}

	/** The server's capabilities, as its answer to initialize gave them. */
	JsonObject capabilities() {
		return initialized.getAsJsonObject("result").getAsJsonObject("capabilities");
	}

	/** A frame as the protocol wants it: the byte count of the UTF-8 body, then the body. */
	static String frame(String body) {
		return "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
	}

	static String quote(String s) {
		return new com.google.gson.JsonPrimitive(s).toString();
	}

	/** Sends bytes exactly as given. */
	void raw(String bytes) {
		try {
			toServer.write(bytes.getBytes(StandardCharsets.UTF_8));
			toServer.flush();
		} catch (IOException e) {
			throw new IllegalStateException("the server no longer reads: " + e.getMessage(), e);
		}
	}

	int nextId() {
		return ids.incrementAndGet();
	}

	static String requestJson(int id, String method, String params) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + quote(method) + ",\"params\":" + params + "}";
	}

	/** The response to request {@code id}, when it comes. */
	CompletableFuture<JsonObject> response(int id) {
		return responses.computeIfAbsent(String.valueOf(id), k -> new CompletableFuture<>());
	}

	CompletableFuture<JsonObject> request(String method, String params) {
		int id = nextId();
		raw(frame(requestJson(id, method, params)));
		return response(id);
	}

	/** Sends a request and waits for its response (20 s at most). */
	JsonObject call(String method, String params) {
		try {
			return request(method, params).get(20, TimeUnit.SECONDS);
		} catch (Exception e) {
			throw new AssertionError("no response to " + method + " within 20 s; server log:\n" + log(), e);
		}
	}

	void notify(String method, String params) {
		raw(frame("{\"jsonrpc\":\"2.0\",\"method\":" + quote(method) + ",\"params\":" + params + "}"));
	}

	void open(String uri, String text) {
		notify("textDocument/didOpen", "{\"textDocument\":{\"uri\":" + quote(uri) + ",\"languageId\":\"pgmap\",\"version\":1,\"text\":"
				+ quote(text) + "}}");
	}

	void close(String uri) {
		notify("textDocument/didClose", "{\"textDocument\":{\"uri\":" + quote(uri) + "}}");
	}

	/** Responses the server sent with id null (to frames it could not read a request from). */
	List<JsonObject> responsesWithoutId() {
		synchronized (responsesWithoutId) {
			return List.copyOf(responsesWithoutId);
		}
	}

	List<Publication> publications(String uri) {
		List<Publication> list = publications.computeIfAbsent(key(uri), k -> new ArrayList<>());
		synchronized (list) {
			return List.copyOf(list);
		}
	}

	/** Waits for a publication of diagnostics for uri that satisfies the condition; fails after the timeout. */
	Publication awaitPublication(String uri, Predicate<JsonArray> condition, long timeoutMillis, String what) {
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (true) {
			for (Publication p : publications(uri)) {
				if (condition.test(p.diagnostics())) {
					return p;
				}
			}
			if (System.nanoTime() > end) {
				throw new AssertionError("no publication for " + uri + " with " + what + " within " + timeoutMillis + " ms; got "
						+ publications(uri).stream().map(p -> p.diagnostics().toString()).toList() + "\nserver log:\n" + log());
			}
			sleep(5);
		}
	}

	String log() {
		return logBytes.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		toServer.close(); // the server's input ends: it stops reading
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Reads the server's frames (well formed: the server is not under test as a writer of garbage). */
	private void readAll() {
		try {
			while (true) {
				int length = -1;
				String line;
				while (!(line = readLine()).isEmpty()) {
					if (line.toLowerCase().startsWith("content-length:")) {
						length = Integer.parseInt(line.substring(15).trim());
					}
				}
				byte[] body = fromServer.readNBytes(length);
				if (body.length < length) {
					return;
				}
				accept(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
			}
		} catch (IOException | RuntimeException e) {
			// the pipe closed: the test is over
		}
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = fromServer.read()) != '\n') {
			if (b < 0) {
				throw new IOException("end of output");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	private void accept(JsonObject message) {
		JsonElement id = message.get("id");
		if (message.has("method")) {
			if ("textDocument/publishDiagnostics".equals(message.get("method").getAsString())) {
				JsonObject params = message.getAsJsonObject("params");
				List<Publication> list = publications.computeIfAbsent(key(params.get("uri").getAsString()), k -> new ArrayList<>());
				synchronized (list) {
					list.add(new Publication(System.nanoTime(), params.getAsJsonArray("diagnostics")));
				}
			} else if (id != null) {
				raw(frame("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":null}")); // the server asks the client something
			}
		} else if (id == null || id.isJsonNull()) {
			synchronized (responsesWithoutId) {
				responsesWithoutId.add(message);
			}
		} else {
			response(id.getAsInt()).complete(message);
		}
	}

	/** File URIs compare by path: the server may spell them file:/ or file:///. */
	private static String key(String uri) {
		return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)).toString() : uri;
	}
}
