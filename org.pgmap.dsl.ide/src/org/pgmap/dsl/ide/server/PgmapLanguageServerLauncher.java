package org.pgmap.dsl.ide.server;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;
import org.eclipse.lsp4j.services.LanguageClient;

import com.google.inject.Guice;

/**
 * Starts pgmap's language server on a pair of streams: {@code pgmap language-server} on stdin and
 * stdout, the tests on pipes. It is Xtext's server with pgmap's services ({@link PgmapServerModule}),
 * reading frames through a {@link FrameReader} and answering failed requests through
 * {@link ResponseErrors}.
 */
public final class PgmapLanguageServerLauncher {

	private PgmapLanguageServerLauncher() {
	}

	/** A server that reads {@code in}, writes {@code out} and logs to {@code log}; {@code startListening()} starts it. */
	public static Launcher<LanguageClient> create(InputStream in, OutputStream out, PrintStream log) {
		PgmapLanguageServer server = Guice.createInjector(PgmapServerModule.create()).getInstance(PgmapLanguageServer.class);
		ExecutorService threads = Executors.newCachedThreadPool(task -> {
			Thread thread = new Thread(task, "pgmap-lsp");
			thread.setDaemon(true);
			return thread;
		});
		Launcher<LanguageClient> launcher = new Builder(log).setLocalService(server).setRemoteInterface(LanguageClient.class)
				.setInput(in).setOutput(out).setExecutorService(threads).setExceptionHandler(ResponseErrors.handler(log))
				.validateMessages(true).create();
		server.connect(launcher.getRemoteProxy());
		return launcher;
	}

	/** Serves the client on stdin and stdout until it closes stdin. */
	public static void serveStdio() throws InterruptedException, ExecutionException {
		InputStream in = new FileInputStream(FileDescriptor.in);
		OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
		PrintStream log = System.err;
		// stdout carries the protocol: whatever else prints goes to the log
		System.setOut(log);
		System.setIn(new ByteArrayInputStream(new byte[0]));
		create(in, out, log).startListening().get();
	}

	/** lsp4j's launcher builder, reading through a {@link FrameReader} instead of its own reader. */
	private static final class Builder extends Launcher.Builder<LanguageClient> {
		private final PrintStream log;
		private MessageJsonHandler json;
		private RemoteEndpoint endpoint;

		Builder(PrintStream log) {
			this.log = log;
		}

		/** As lsp4j's, but the server's own messages go out unvalidated: the answer to an unreadable frame has id null. */
		@Override
		protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
			json = jsonHandler;
			endpoint = new RemoteEndpoint(new StreamMessageConsumer(output, jsonHandler), ServiceEndpoints.toEndpoint(localServices),
					exceptionHandler);
			jsonHandler.setMethodProvider(endpoint);
			endpoint.setJsonHandler(jsonHandler);
			return endpoint;
		}

		@Override
		protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer reader, MessageConsumer consumer,
				LanguageClient proxy) {
			return new ConcurrentMessageProcessor(new FrameReader(input, json, endpoint, log), consumer);
		}
	}
}
