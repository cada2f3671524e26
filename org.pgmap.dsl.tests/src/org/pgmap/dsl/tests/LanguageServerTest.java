package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;
import org.junit.jupiter.api.Test;
import org.pgmap.dsl.ide.server.PgmapLanguageServerLauncher;

/** pgmap's language server as `pgmap language-server` starts it, driven by an lsp4j client over a JSON-RPC pipe. */
public class LanguageServerTest {

	/** A client that keeps the diagnostics the server publishes. */
	static final class Client implements LanguageClient {
		final Map<String, CompletableFuture<List<Diagnostic>>> modelChecked = new ConcurrentHashMap<>();

		/** The first diagnostics of uri with a model check result (the static ones come first). */
		CompletableFuture<List<Diagnostic>> of(String uri) {
			return modelChecked.computeIfAbsent(uri, u -> new CompletableFuture<>());
		}

		@Override
		public void publishDiagnostics(PublishDiagnosticsParams params) {
			if (params.getDiagnostics().stream().anyMatch(d -> d.getCode() != null && "R1".equals(d.getCode().getLeft()))) {
				of(params.getUri()).complete(params.getDiagnostics());
			}
		}

		@Override
		public void telemetryEvent(Object object) {
		}

		@Override
		public void showMessage(MessageParams messageParams) {
		}

		@Override
		public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void logMessage(MessageParams message) {
		}
	}

	@Test
	public void aRacySpecGetsItsRuleViolationsAsDiagnostics() throws Exception {
		// OS pipes: a piped stream breaks once the thread that last wrote to it ends
		Pipe up = Pipe.open();
		Pipe down = Pipe.open();
		var executor = Executors.newCachedThreadPool();
		PgmapLanguageServerLauncher.create(Channels.newInputStream(up.source()), Channels.newOutputStream(down.sink()), System.err)
				.startListening();
		Client client = new Client();
		Launcher<LanguageServer> clientLauncher = LSPLauncher.createClientLauncher(client, Channels.newInputStream(down.source()),
				Channels.newOutputStream(up.sink()), executor, null);
		clientLauncher.startListening();
		LanguageServer remote = clientLauncher.getRemoteProxy();

		Path dir = Specs.examples().resolve("test_hmm");
		InitializeParams init = new InitializeParams();
		init.setCapabilities(new ClientCapabilities());
		init.setWorkspaceFolders(List.of(new WorkspaceFolder(dir.toUri().toString(), "test_hmm")));
		init.setRootUri(dir.toUri().toString());
		remote.initialize(init).get(60, TimeUnit.SECONDS);
		remote.initialized(new InitializedParams());

		Path racy = dir.resolve("v6_0.pgmap");
		String uri = racy.toUri().toString();
		remote.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(
				new TextDocumentItem(uri, "pgmap", 1, Specs.read(racy))));
		List<Diagnostic> diagnostics = client.of(uri).get(60, TimeUnit.SECONDS);
		String all = diagnostics.toString();
		assertFalse(diagnostics.isEmpty(), all);
		Diagnostic r1 = diagnostics.stream().filter(d -> d.getCode() != null && "R1".equals(d.getCode().getLeft())).findFirst()
				.orElseThrow(() -> new AssertionError("no R1 diagnostic: " + all));
		assertEquals(32, r1.getRange().getStart().getLine(), "R1 on spin_unlock in page_free, line 33: " + all);
		assertTrue(r1.getMessage().getLeft().contains("R1 free-refcount"), r1.getMessage().getLeft());
		assertTrue(diagnostics.stream().anyMatch(d -> d.getCode() != null && "R4".equals(d.getCode().getLeft())
				&& d.getRange().getStart().getLine() == 26), all);
		// the core's reset after page_free: a static R2 warning and the model's R2, both on the uses line
		assertTrue(diagnostics.stream().anyMatch(d -> d.getCode() != null && "R2".equals(d.getCode().getLeft())
				&& d.getRange().getStart().getLine() == 9), all);
		remote.shutdown().get(10, TimeUnit.SECONDS);
		executor.shutdownNow();
	}
}
