package org.pgmap.dsl.ui;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextHover;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.PlatformUI;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.engine.Rule;

/**
 * Hover: on a kernel function, what it does to the refcount; on a marked statement, the
 * finding with the rule's text.
 */
public class PgmapHover implements ITextHover {

	@Override
	public String getHoverInfo(ITextViewer viewer, IRegion region) {
		StringBuilder sb = new StringBuilder();
		IDocument doc = viewer.getDocument();
		try {
			String word = doc.get(region.getOffset(), region.getLength());
			Builtin b = Builtin.get(word);
			if (b != null) {
				sb.append(word).append(": ").append(Builtins.of(b).doc());
			}
			int line = doc.getLineOfOffset(region.getOffset()) + 1;
			for (IMarker m : markers()) {
				if (m.getAttribute(IMarker.LINE_NUMBER, -1) == line) {
					if (sb.length() > 0) {
						sb.append("\n\n");
					}
					sb.append(m.getAttribute(IMarker.MESSAGE, ""));
					String id = m.getAttribute(PgmapUi.ATTR_ID, "");
					if (id.matches("R\\d+")) {
						sb.append("\n").append(Rule.valueOf(id).title()).append(": ").append(Rule.valueOf(id).text());
					}
				}
			}
		} catch (BadLocationException e) {
			return null;
		}
		return sb.length() == 0 ? null : sb.toString();
	}

	private static IMarker[] markers() {
		try {
			IEditorPart editor = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().getActiveEditor();
			IEditorInput input = editor == null ? null : editor.getEditorInput();
			if (input instanceof IFileEditorInput f) {
				return f.getFile().findMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO);
			}
		} catch (CoreException | RuntimeException e) {
			// no workbench or no markers: no hover from markers
		}
		return new IMarker[0];
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
			return new Region(offset, 0);
		}
		return new Region(start, end - start);
	}

	private static boolean isWord(char c) {
		return Character.isLetterOrDigit(c) || c == '_';
	}
}
