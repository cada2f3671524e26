package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentListener;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.IFileEditorInput;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Scenario;

/** The Outline of a .pgmap editor: spec, cores, pagemaps, drivers with their members, scenarios with their threads. */
public class PgmapOutline implements IAdapterFactory {

	/** One outline entry: its label, where it is in the text, and its children. */
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

	/** The outline entries of a spec's text. */
	public static List<Node> outline(String text) {
		List<Node> result = new ArrayList<>();
		try {
			XtextResourceSet set = PgmapUi.injector().getInstance(XtextResourceSet.class);
			XtextResource resource = (XtextResource) set.createResource(URI.createURI("synthetic:/outline.pgmap"));
			resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
			if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model model)) {
				return result;
			}
			if (model.getHeader() != null) {
				result.add(node("spec " + model.getHeader().getName(), model.getHeader(), List.of()));
			}
			for (EObject e : model.getElements()) {
				List<Node> children = new ArrayList<>();
				List<? extends EObject> members = e instanceof Driver d ? d.getMembers()
						: e instanceof Scenario s ? s.getThreads() : e instanceof Core c ? c.eContents() : List.of();
				for (EObject m : members) {
					children.add(node(label(m), m, List.of()));
				}
				result.add(node(label(e), e, children));
			}
		} catch (Exception e) {
			// an unreadable text has no outline
		}
		return result;
	}

	private static String label(EObject o) {
		String kind = o.eClass().getName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
		var name = o.eClass().getEStructuralFeature("name");
		Object value = name == null ? null : o.eGet(name);
		if (o instanceof org.pgmap.dsl.pgmap.Hook h) {
			return "on " + h.getKind().getLiteral();
		}
		if (o instanceof org.pgmap.dsl.pgmap.IdleRule r) {
			return "idle refcount " + r.getValue();
		}
		return value == null ? kind : kind + " " + value;
	}

	private static Node node(String label, EObject o, List<Node> children) {
		ICompositeNode n = NodeModelUtils.findActualNodeFor(o);
		return new Node(label, n == null ? 0 : n.getOffset(), n == null ? 0 : n.getLength(), children);
	}

	/** The outline page of one editor; it follows the document as it changes. */
	static final class Page extends ContentOutlinePage {
		private final ITextEditor editor;
		private IDocumentListener listener;

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
			viewer.setInput(outline(doc.get()));
			viewer.expandAll();
			listener = new IDocumentListener() {
				@Override
				public void documentAboutToBeChanged(DocumentEvent event) {
				}

				@Override
				public void documentChanged(DocumentEvent event) {
					viewer.getControl().getDisplay().asyncExec(() -> {
						if (!viewer.getControl().isDisposed()) {
							viewer.setInput(outline(doc.get()));
							viewer.expandAll();
						}
					});
				}
			};
			doc.addDocumentListener(listener);
			viewer.addSelectionChangedListener(e -> {
				if (e.getStructuredSelection().getFirstElement() instanceof Node n) {
					editor.selectAndReveal(n.offset(), 0);
				}
			});
		}

		@Override
		public void dispose() {
			IDocument doc = editor.getDocumentProvider() == null ? null : editor.getDocumentProvider().getDocument(editor.getEditorInput());
			if (doc != null && listener != null) {
				doc.removeDocumentListener(listener);
			}
			super.dispose();
		}
	}
}
