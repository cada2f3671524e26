package org.pgmap.dsl.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.eclipse.xtext.ide.server.Document;

/**
 * The Outline of a .pgmap editor: the document symbols of the IDE services (the ones the language
 * server answers documentSymbol with): spec, cores, pagemaps, drivers with their members,
 * scenarios with their threads. It follows the document's {@link DocumentModel}: computed with
 * each parse on the reconciler's thread, shown on the UI thread.
 */
public class PgmapOutline implements IAdapterFactory {

	/** One outline entry: its label ("driver dmirror_driver"), where its name is in the text, and its children. */
	public record Node(String label, int offset, int length, List<Node> children) {
	}

	@Override
	public <T> T getAdapter(Object adaptable, Class<T> adapterType) {
		if (adapterType == IContentOutlinePage.class && adaptable instanceof ITextEditor editor
				&& editor.getEditorInput() instanceof IFileEditorInput in && "pgmap".equals(in.getFile().getFileExtension())) {
			return adapterType.cast(new Page(editor));
		}
		return null;
	}

	@Override
	public Class<?>[] getAdapterList() {
		return new Class<?>[] { IContentOutlinePage.class };
	}

	/** The outline entries of document symbols on {@code text}, each at its name (the symbol's selection range). */
	static List<Node> nodes(List<DocumentSymbol> symbols, String text) {
		return nodes(symbols, new Document(1, text));
	}

	private static List<Node> nodes(List<DocumentSymbol> symbols, Document text) {
		List<Node> result = new ArrayList<>();
		for (DocumentSymbol s : symbols) {
			int start = text.getOffSet(s.getSelectionRange().getStart());
			int end = text.getOffSet(s.getSelectionRange().getEnd());
			String detail = s.getDetail() == null ? "" : s.getDetail();
			result.add(new Node(detail.isEmpty() ? s.getName() : detail + " " + s.getName(), start, end - start,
					s.getChildren() == null ? List.of() : nodes(s.getChildren(), text)));
		}
		return List.copyOf(result);
	}

	/** The outline page of one editor; it follows the document's parses. */
	static final class Page extends ContentOutlinePage {
		private final ITextEditor editor;
		private DocumentModel model;
		private Consumer<DocumentModel.Parse> listener;

		Page(ITextEditor editor) {
			this.editor = editor;
		}

		@Override
		public void createControl(Composite parent) {
			super.createControl(parent);
			TreeViewer viewer = getTreeViewer();
			viewer.setContentProvider(new ITreeContentProvider() {
				@Override
				public Object[] getElements(Object input) {
					return ((List<?>) input).toArray();
				}

				@Override
				public Object[] getChildren(Object parentElement) {
					return ((Node) parentElement).children().toArray();
				}

				@Override
				public Object getParent(Object element) {
					return null;
				}

				@Override
				public boolean hasChildren(Object element) {
					return !((Node) element).children().isEmpty();
				}
			});
			viewer.setLabelProvider(new LabelProvider() {
				@Override
				public String getText(Object element) {
					return ((Node) element).label();
				}
			});
			IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
			model = DocumentModel.of(doc);
			DocumentModel.Parse latest = model.latest();
			show(latest == null ? List.of() : latest.outline());
			Display display = viewer.getControl().getDisplay();
			listener = parse -> {
				if (!display.isDisposed()) {
					display.asyncExec(() -> show(parse.outline()));
				}
			};
			model.addListener(listener);
			viewer.addSelectionChangedListener(e -> {
				if (e.getStructuredSelection().getFirstElement() instanceof Node n) {
					editor.selectAndReveal(n.offset(), 0);
				}
			});
		}

		private void show(List<Node> outline) {
			TreeViewer viewer = getTreeViewer();
			if (viewer != null && !viewer.getControl().isDisposed()) {
				viewer.setInput(outline);
				viewer.expandAll();
			}
		}

		@Override
		public void dispose() {
			if (model != null && listener != null) {
				model.removeListener(listener);
			}
			super.dispose();
		}
	}
}
