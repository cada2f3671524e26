package org.pgmap.dsl.ide.server;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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
 * instead of vanishing; and shutting down stops the background model checks.
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
