package org.pgmap.dsl.ui;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.pgmap.dsl.ide.editor.PgmapHoverService;
import org.pgmap.engine.Rule;

/**
 * Hover: what the IDE's hover service says at the caret (the language server's hover: a kernel
 * function's effect on the refcount, the declaration a name refers to, a rule id's text), read
 * from the document's latest parse; and on a line with pgmap problem markers, each finding with
 * its rule's text.
 */
public class PgmapHover implements ITextHover {

	/** How long the hover (off the UI thread) waits for a parse in progress. */
	private static final long WAIT_MILLIS = 1000;

	@Override
	public String getHoverInfo(ITextViewer viewer, IRegion region) {
		IDocument doc = viewer.getDocument();
		StringBuilder sb = new StringBuilder();
		String service = fromService(doc, region.getOffset());
		if (service != null) {
			sb.append(service);
		}
		try {
			int line = doc.getLineOfOffset(region.getOffset()) + 1;
			for (IMarker m : markers(doc)) {
				if (m.getAttribute(IMarker.LINE_NUMBER, -1) == line) {
					sb.append(sb.length() > 0 ? "\n\n" : "").append(m.getAttribute(IMarker.MESSAGE, ""));
					String id = m.getAttribute(PgmapUi.ATTR_ID, "");
					for (Rule r : Rule.values()) {
						if (r.name().equals(id)) {
							sb.append("\n").append(plain(PgmapHoverService.rule(r)));
						}
					}
				}
			}
		} catch (BadLocationException e) {
			return null; // the document changed under the hover: nothing to say about a place that is gone
		}
		return sb.length() == 0 ? null : sb.toString();
	}

	/** The hover service's text at offset, on the latest parse if it is of the current text. */
	private static String fromService(IDocument doc, int offset) {
		DocumentModel.Parse parse = DocumentModel.current(doc);
		if (parse == null) {
			return null;
		}
		Document text = new Document(1, parse.text());
		IHoverService service = PgmapUi.injector().getInstance(IHoverService.class);
		Hover hover = DocumentModel.of(doc).read(parse, resource -> service.hover(text, resource,
				new HoverParams(new TextDocumentIdentifier(resource.getURI().toString()), text.getPosition(offset)), () -> false), WAIT_MILLIS);
		if (hover == null || hover.getContents() == null || !hover.getContents().isRight()) {
			return null;
		}
		String value = hover.getContents().getRight().getValue();
		return value == null || value.isEmpty() ? null : plain(value);
	}

	/** The hover service's markdown as plain text: it uses `code` spans only. */
	private static String plain(String markdown) {
		return markdown.replace("`", "");
	}

	private static IMarker[] markers(IDocument doc) {
		IFile file = DocumentModel.fileOf(doc);
		if (file == null) {
			return new IMarker[0];
		}
		try {
			return file.findMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO);
		} catch (CoreException e) {
			PgmapUi.log("pgmap: cannot read the problem markers of " + file.getFullPath(), e);
			return new IMarker[0];
		}
	}

	@Override
	public IRegion getHoverRegion(ITextViewer viewer, int offset) {
		IDocument doc = viewer.getDocument();
		int start = offset;
		int end = offset;
		try {
			while (start > 0 && isWord(doc.getChar(start - 1))) {
				start--;
			}
			while (end < doc.getLength() && isWord(doc.getChar(end))) {
				end++;
			}
		} catch (BadLocationException e) {
			return new Region(offset, 0); // the offset is past the document's end: a hover on nothing
		}
		return new Region(start, end - start);
	}

	private static boolean isWord(char c) {
		return Character.isLetterOrDigit(c) || c == '_';
	}
}
