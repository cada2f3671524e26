package org.pgmap.dsl.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.hyperlink.AbstractHyperlinkDetector;
import org.eclipse.jface.text.hyperlink.IHyperlink;
import org.eclipse.lsp4j.Location;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.xtext.findReferences.IReferenceFinder;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolService;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.concurrent.IUnitOfWork;

/**
 * Go to definition (Ctrl+click, F3 via hyperlinks) on a name: where the IDE's definition service
 * (the language server's textDocument/definition) says it is declared, in the document's latest
 * parse: locks, pools, variables, procedures, and cores (into a read-only copy of the library).
 */
public class PgmapHyperlinks extends AbstractHyperlinkDetector {

	/** A definition: its file, the text of that file, and where in it. */
	private record Target(URI uri, String text, int offset, int length) {
	}

	@Override
	public IHyperlink[] detectHyperlinks(ITextViewer viewer, IRegion region, boolean canShowMultiple) {
		IDocument doc = viewer.getDocument();
		DocumentModel.Parse parse = DocumentModel.current(doc);
		if (parse == null) {
			return null; // the text changed since the last parse: the links come back with the next one
		}
		// on the UI thread: no waiting for a parse in progress
		List<IHyperlink> links = DocumentModel.of(doc).read(parse, resource -> links(resource, region.getOffset()), 0);
		return links == null || links.isEmpty() ? null : links.toArray(new IHyperlink[0]);
	}

	private static List<IHyperlink> links(XtextResource resource, int offset) {
		var injector = PgmapUi.injector();
		if (injector.getInstance(EObjectAtOffsetHelper.class).resolveCrossReferencedElementAt(resource, offset) == null) {
			return List.of(); // only names link: a keyword or a declaration goes nowhere
		}
		ILeafNode leaf = NodeModelUtils.findLeafNodeAtOffset(resource.getParseResult().getRootNode(), offset);
		IReferenceFinder.IResourceAccess access = new IReferenceFinder.IResourceAccess() {
			@Override
			public <R> R readOnly(URI uri, IUnitOfWork<R, org.eclipse.emf.ecore.resource.ResourceSet> work) {
				try {
					return work.exec(resource.getResourceSet());
				} catch (Exception e) { // IUnitOfWork.exec declares Exception
					throw new IllegalStateException(e);
				}
			}
		};
		UriExtensions uris = injector.getInstance(UriExtensions.class);
		List<IHyperlink> links = new ArrayList<>();
		for (Location location : injector.getInstance(DocumentSymbolService.class).getDefinitions(resource, offset, access, () -> false)) {
			Target target = target(resource, uris, location);
			if (target != null && leaf != null) {
				links.add(link(new Region(leaf.getOffset(), leaf.getLength()), target));
			}
		}
		return links;
	}

	/** The resource of the parse's set at a location's URI, and the location as offsets in its text. */
	private static Target target(XtextResource resource, UriExtensions uris, Location location) {
		for (Resource r : resource.getResourceSet() == null ? List.of(resource) : resource.getResourceSet().getResources()) {
			if (r instanceof XtextResource x && x.getParseResult() != null && uris.toUriString(r.getURI()).equals(location.getUri())) {
				Document text = new Document(1, x.getParseResult().getRootNode().getText());
				int start = text.getOffSet(location.getRange().getStart());
				return new Target(r.getURI(), text.getContents(), start, text.getOffSet(location.getRange().getEnd()) - start);
			}
		}
		return null;
	}

	private static IHyperlink link(IRegion region, Target target) {
		return new IHyperlink() {
			@Override
			public IRegion getHyperlinkRegion() {
				return region;
			}

			@Override
			public String getTypeLabel() {
				return "pgmap definition";
			}

			@Override
			public String getHyperlinkText() {
				return "Open the definition in " + target.uri().lastSegment();
			}

			@Override
			public void open() {
				openAt(target);
			}
		};
	}

	/** Opens a workspace file, or a read-only copy of a library file, and selects the definition. */
	private static void openAt(Target target) {
		var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
		try {
			IEditorPart editor;
			IFile file = target.uri().isFile() ? ResourcesPlugin.getWorkspace().getRoot()
					.getFileForLocation(org.eclipse.core.runtime.Path.fromOSString(target.uri().toFileString())) : null;
			if (file != null && file.exists()) {
				editor = IDE.openEditor(page, file);
			} else {
				Path copy = Files.createTempDirectory("pgmap-library").resolve(target.uri().lastSegment());
				Files.writeString(copy, target.text(), StandardCharsets.UTF_8);
				if (!copy.toFile().setReadOnly()) {
					PgmapUi.warn("pgmap: the copy " + copy + " of the library file could not be made read-only", null);
				}
				editor = IDE.openEditorOnFileStore(page, EFS.getLocalFileSystem().getStore(copy.toUri()));
			}
			if (editor instanceof ITextEditor t) {
				select(t, target);
			}
		} catch (CoreException | IOException e) {
			PgmapUi.log("pgmap: cannot open the definition in " + target.uri().lastSegment(), e);
		}
	}

	/** Selects the definition; in a workspace file that changed since the parse, the same line and column. */
	private static void select(ITextEditor editor, Target target) {
		IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
		if (doc == null || doc.get().equals(target.text())) {
			editor.selectAndReveal(target.offset(), target.length());
			return;
		}
		try {
			var position = new Document(1, target.text()).getPosition(target.offset());
			int line = Math.min(position.getLine(), doc.getNumberOfLines() - 1);
			int offset = doc.getLineOffset(line) + Math.min(position.getCharacter(), doc.getLineLength(line));
			editor.selectAndReveal(offset, 0);
		} catch (BadLocationException e) {
			editor.selectAndReveal(0, 0); // the file is shorter than the definition's place: its start
		}
	}
}
