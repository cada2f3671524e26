package org.pgmap.dsl.ide.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.common.util.URI;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.ide.server.BuildManager;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.util.Pair;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.xbase.lib.Functions.Function2;
import org.eclipse.xtext.xbase.lib.Procedures.Procedure2;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;

/**
 * The workspace as pgmap's language server keeps it: documents check the positions clients send
 * ({@link CheckedDocument}); a request on a document that is neither open nor in the workspace is
 * an "invalid params" error; and every validated document goes to {@link BackgroundModelChecks},
 * which publishes its diagnostics and model-checks it if it is open.
 */
public class PgmapWorkspaceManager extends WorkspaceManager {

	@Inject
	private BackgroundModelChecks modelChecks;

	@Override
	public void initialize(List<WorkspaceFolder> workspaceFolders, Procedure2<? super URI, ? super Iterable<Issue>> publish,
			CancelIndicator cancelIndicator) {
		super.initialize(workspaceFolders,
				(uri, issues) -> modelChecks.validated(uri, ImmutableList.copyOf(issues), snapshot(uri), publish), cancelIndicator);
	}

	@Override
	public BuildManager.Buildable didOpen(URI uri, Integer version, String contents) {
		getOpenDocuments().put(uri, new CheckedDocument(version, contents));
		return didChangeFiles(ImmutableList.of(uri), ImmutableList.of());
	}

	@Override
	protected Document getDocument(XtextResource resource) {
		Document open = getOpenDocuments().get(resource.getURI());
		return open != null ? open : new CheckedDocument(1, resource.getParseResult().getRootNode().getText());
	}

	/** As Xtext's, but an unknown document is an error: the services would fail on none, and reading would load it. */
	@Override
	public <T> T doRead(URI uri, Function2<? super Document, ? super XtextResource, ? extends T> work) {
		if (!isDocumentOpen(uri) && !exists(uri)) {
			throw invalidParams("no document " + uri + ": it is not open (textDocument/didOpen) and not a file of the workspace");
		}
		Pair<? super Document, ? super XtextResource> doc = read(uri);
		if (doc == null) {
			throw invalidParams("document " + uri + " is outside the workspace folders");
		}
		return work.apply((Document) doc.getFirst(), (XtextResource) doc.getSecond());
	}

	private static ResponseErrorException invalidParams(String message) {
		return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
	}

	/** What a background check of uri needs, taken now, on the build thread; null if uri is not open. */
	private DocumentSnapshot snapshot(URI uri) {
		Document doc = getOpenDocuments().get(uri);
		if (doc == null) {
			return null;
		}
		Map<URI, String> siblings = new LinkedHashMap<>();
		URI folder = uri.trimSegments(1);
		getOpenDocuments().forEach((other, document) -> {
			if (!other.equals(uri) && other.trimSegments(1).equals(folder)) {
				siblings.put(other, document.getContents());
			}
		});
		return new DocumentSnapshot(uri, doc.getContents(), siblings);
	}
}
