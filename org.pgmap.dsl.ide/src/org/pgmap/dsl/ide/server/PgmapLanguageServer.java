package org.pgmap.dsl.ide.server;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWorkspaceFoldersParams;
import org.eclipse.lsp4j.DocumentOnTypeFormattingParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.ide.server.BuildManager.Buildable;
import org.eclipse.xtext.ide.server.LanguageServerImpl;

import com.google.inject.Inject;

/**
 * Xtext's language server with answers a client can act on: an unknown request is "method not
 * found" (-32601) and an unknown notification is ignored, as LSP asks; a second initialize is an
 * invalid request; an edit the server cannot apply (a range outside the document) is logged
 * instead of vanishing; a change of configuration or of workspace folders does not lose the
 * build of an edit it interrupted; and shutting down stops the background model checks.
 */
public class PgmapLanguageServer extends LanguageServerImpl {

	@Inject
	private BackgroundModelChecks modelChecks;

	private final PrintStream log = System.err;

	@Override
	public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
		if (getLanguageServerAccess().getInitializeParams() != null) {
			return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidRequest,
					"pgmap language server: already initialized", null)));
		}
		return super.initialize(params);
	}

	@Override
	public CompletableFuture<?> request(String method, Object parameter) {
		if (getExtensionProviders().containsKey(method)) {
			return super.request(method, parameter);
		}
		return ResponseErrors.unknownMethod(method);
	}

	@Override
	public CompletableFuture<List<? extends TextEdit>> onTypeFormatting(DocumentOnTypeFormattingParams params) {
		return ResponseErrors.unknownMethod("textDocument/onTypeFormatting");
	}

	/**
	 * Xtext refreshes the workspace in a write request, which cancels the build an open or an edit
	 * just queued, and then builds only new projects: that document would get neither its static
	 * checks nor its model check until the next edit. Eglot sends this right after its didOpens.
	 */
	@Override
	public void didChangeConfiguration(DidChangeConfigurationParams params) {
		super.didChangeConfiguration(params);
		buildPendingChanges();
	}

	@Override
	public void didChangeWorkspaceFolders(DidChangeWorkspaceFoldersParams params) {
		super.didChangeWorkspaceFolders(params);
		buildPendingChanges();
	}

	/** Builds the changes queued but not built yet (none: nothing to do). */
	private void buildPendingChanges() {
		runBuildable(() -> getWorkspaceManager().didChangeFiles(List.of(), List.of()));
	}

	@Override
	protected void runBuildable(Supplier<? extends Buildable> newBuildable) {
		getRequestManager().runWrite(newBuildable::get, (cancel, buildable) -> buildable.build(cancel)).exceptionally(e -> {
			Throwable cause = ResponseErrors.unwrap(e);
			if (cause instanceof ResponseErrorException error) {
				log.println("pgmap language server: an edit was not applied: " + error.getMessage());
			} else if (!(e instanceof CancellationException || cause instanceof CancellationException)) {
				log.println("pgmap language server: internal error while building, please report it with the log:");
				cause.printStackTrace(log);
			}
			return null;
		});
	}

	@Override
	public CompletableFuture<Object> shutdown() {
		modelChecks.shutdown();
		return super.shutdown();
	}
}
