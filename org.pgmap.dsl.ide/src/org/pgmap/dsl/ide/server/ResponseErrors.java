package org.pgmap.dsl.ide.server;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import org.eclipse.emf.common.util.WrappedException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * What a failed request answers: the error it gave itself (an unknown method, a position outside
 * the document), or else a one-line internal error. Never a stack trace or a document's text: those
 * go to the server's log, for a bug report.
 */
public final class ResponseErrors {

	private ResponseErrors() {
	}

	/** The exception handler of the server's JSON-RPC endpoint. */
	public static Function<Throwable, ResponseError> handler(PrintStream log) {
		return thrown -> {
			Throwable cause = unwrap(thrown);
			if (cause instanceof ResponseErrorException e) {
				return e.getResponseError();
			}
			log.println("pgmap language server: internal error, please report it with the log: " + cause.getClass().getName());
			cause.printStackTrace(log);
			return new ResponseError(ResponseErrorCode.InternalError, "pgmap language server: internal error ("
					+ cause.getClass().getSimpleName() + "); the server's log has the details", null);
		};
	}

	/** A request the server does not know: "method not found" (-32601). */
	public static <T> CompletableFuture<T> unknownMethod(String method) {
		return CompletableFuture.failedFuture(new ResponseErrorException(
				new ResponseError(ResponseErrorCode.MethodNotFound, "pgmap language server: unknown method '"
						+ (method.length() > 100 ? method.substring(0, 100) + "..." : method) + "'", null)));
	}

	/** The exception under the wrappers of futures, reflection and EMF. */
	public static Throwable unwrap(Throwable thrown) {
		Throwable t = thrown;
		while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof InvocationTargetException
				|| t instanceof WrappedException) && t.getCause() != null) {
			t = t.getCause();
		}
		return t;
	}
}
