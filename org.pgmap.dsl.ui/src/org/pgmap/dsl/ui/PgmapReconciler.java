package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Position;
import org.eclipse.jface.text.reconciler.DirtyRegion;
import org.eclipse.jface.text.reconciler.IReconcilingStrategy;
import org.eclipse.jface.text.reconciler.IReconcilingStrategyExtension;
import org.eclipse.jface.text.reconciler.Reconciler;
import org.eclipse.jface.text.source.Annotation;
import org.eclipse.jface.text.source.IAnnotationModel;
import org.eclipse.jface.text.source.IAnnotationModelExtension;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.validation.ResourceValidatorImpl;

/**
 * Static validation as you type: after each pause in typing the document is parsed and the
 * static checks (not the model check, which runs on save) show as error and warning
 * annotations in the editor.
 */
public class PgmapReconciler extends Reconciler {

	static final String ERROR = "org.eclipse.ui.workbench.texteditor.error";
	static final String WARNING = "org.eclipse.ui.workbench.texteditor.warning";

	public PgmapReconciler() {
		setDelay(400);
		setReconcilingStrategy(new Strategy(), IDocument.DEFAULT_CONTENT_TYPE);
	}

	private ITextViewer viewer;

	/** Semantic colors: what a name refers to (lock, pool, object, pagemap), merged into the syntax coloring. */
	private volatile List<org.eclipse.swt.custom.StyleRange> semantic = List.of();

	@Override
	public void install(ITextViewer textViewer) {
		super.install(textViewer);
		this.viewer = textViewer;
		if (textViewer instanceof org.eclipse.jface.text.ITextViewerExtension4 ext) {
			ext.addTextPresentationListener(presentation -> {
				List<org.eclipse.swt.custom.StyleRange> ranges = new ArrayList<>();
				var extent = presentation.getExtent();
				for (var r : semantic) {
					if (r.start >= extent.getOffset() && r.start + r.length <= extent.getOffset() + extent.getLength()) {
						ranges.add((org.eclipse.swt.custom.StyleRange) r.clone());
					}
				}
				presentation.mergeStyleRanges(ranges.toArray(new org.eclipse.swt.custom.StyleRange[0]));
			});
		}
	}

	/** The semantic style ranges of the last reconciled text (for tests). */
	public List<org.eclipse.swt.custom.StyleRange> semanticRanges() {
		return semantic;
	}

	static final org.eclipse.swt.graphics.Color LOCK = new org.eclipse.swt.graphics.Color(0, 128, 128);
	static final org.eclipse.swt.graphics.Color POOL = new org.eclipse.swt.graphics.Color(180, 90, 0);
	static final org.eclipse.swt.graphics.Color OBJECT = new org.eclipse.swt.graphics.Color(128, 64, 64);
	static final org.eclipse.swt.graphics.Color PAGEMAP = new org.eclipse.swt.graphics.Color(128, 64, 0);

	/** Style ranges for every reference to a lock, pool, object or pagemap. */
	static List<org.eclipse.swt.custom.StyleRange> semanticRanges(XtextResource resource) {
		List<org.eclipse.swt.custom.StyleRange> ranges = new ArrayList<>();
		if (resource.getContents().isEmpty()) {
			return ranges;
		}
		for (var it = resource.getContents().get(0).eAllContents(); it.hasNext();) {
			if (!(it.next() instanceof org.pgmap.dsl.pgmap.SymbolRef ref)) {
				continue;
			}
			var symbol = ref.getSymbol();
			org.eclipse.swt.graphics.Color color = symbol instanceof org.pgmap.dsl.pgmap.Lock ? LOCK
					: symbol instanceof org.pgmap.dsl.pgmap.Pool ? POOL
							: symbol instanceof org.pgmap.dsl.pgmap.DriverObject ? OBJECT
									: symbol instanceof org.pgmap.dsl.pgmap.Pagemap ? PAGEMAP : null;
			if (color == null || symbol.eIsProxy()) {
				continue;
			}
			for (var node : org.eclipse.xtext.nodemodel.util.NodeModelUtils.findNodesForFeature(ref,
					org.pgmap.dsl.pgmap.PgmapPackage.Literals.SYMBOL_REF__SYMBOL)) {
				ranges.add(new org.eclipse.swt.custom.StyleRange(node.getOffset(), node.getLength(), color, null, org.eclipse.swt.SWT.ITALIC));
			}
		}
		return ranges;
	}

	private final class Strategy implements IReconcilingStrategy, IReconcilingStrategyExtension {
		private IDocument document;
		private final List<Annotation> shown = new ArrayList<>();

		@Override
		public void setDocument(IDocument document) {
			this.document = document;
		}

		@Override
		public void reconcile(DirtyRegion dirtyRegion, IRegion subRegion) {
			initialReconcile();
		}

		@Override
		public void reconcile(IRegion partition) {
			initialReconcile();
		}

		@Override
		public void setProgressMonitor(IProgressMonitor monitor) {
		}

		@Override
		public void initialReconcile() {
			if (document == null || !(viewer instanceof ISourceViewer source) || source.getAnnotationModel() == null) {
				return;
			}
			List<org.eclipse.swt.custom.StyleRange> ranges = new ArrayList<>();
			List<Issue> issues = validate(document, ranges);
			Map<Annotation, Position> added = new HashMap<>();
			for (Issue issue : issues) {
				if (issue.getOffset() == null || issue.getSeverity() == Severity.INFO) {
					continue;
				}
				Annotation a = new Annotation(issue.getSeverity() == Severity.ERROR ? ERROR : WARNING, false,
						"[" + org.pgmap.dsl.check.SpecChecker.idOf(issue.getCode()) + "] " + issue.getMessage());
				added.put(a, new Position(issue.getOffset(), Math.max(1, issue.getLength() == null ? 1 : issue.getLength())));
			}
			IAnnotationModel model = source.getAnnotationModel();
			viewer.getTextWidget().getDisplay().asyncExec(() -> {
				if (model instanceof IAnnotationModelExtension ext) {
					ext.replaceAnnotations(shown.toArray(new Annotation[0]), added);
				} else {
					shown.forEach(model::removeAnnotation);
					added.forEach(model::addAnnotation);
				}
				shown.clear();
				shown.addAll(added.keySet());
				semantic = List.copyOf(ranges);
				if (viewer.getTextWidget() != null && !viewer.getTextWidget().isDisposed()) {
					viewer.invalidateTextPresentation();
				}
			});
		}
	}

	/** The static issues of a document's text, with the specs of its folder beside it. */
	static List<Issue> validate(IDocument document, List<org.eclipse.swt.custom.StyleRange> semanticOut) {
		XtextResourceSet set = PgmapUi.injector().getInstance(XtextResourceSet.class);
		ITextFileBuffer buffer = FileBuffers.getTextFileBufferManager().getTextFileBuffer(document);
		IPath location = buffer == null ? null : buffer.getLocation();
		URI uri = URI.createURI("synthetic:/typing.pgmap");
		if (location != null) {
			var file = org.eclipse.core.resources.ResourcesPlugin.getWorkspace().getRoot().getFile(location);
			if (file.getLocation() != null) {
				uri = URI.createFileURI(file.getLocation().toOSString());
				try {
					for (var sibling : file.getParent().members()) {
						if (!sibling.equals(file) && "pgmap".equals(sibling.getFileExtension())) {
							var r = set.createResource(URI.createFileURI(sibling.getLocation().toOSString()));
							try (var in = ((org.eclipse.core.resources.IFile) sibling).getContents(true)) {
								r.load(in, null);
							}
						}
					}
				} catch (Exception e) {
					// siblings are a convenience; the spec itself is still checked
				}
			}
		}
		XtextResource resource = (XtextResource) set.createResource(uri);
		try {
			resource.load(new ByteArrayInputStream(document.get().getBytes(StandardCharsets.UTF_8)), null);
			// the runtime validator: static checks only, fast enough for every pause in typing
			IResourceValidator validator = PgmapUi.injector().getInstance(ResourceValidatorImpl.class);
			List<Issue> issues = validator.validate(resource, CheckMode.FAST_ONLY, () -> false);
			semanticOut.addAll(semanticRanges(resource));
			return issues;
		} catch (Exception e) {
			return List.of();
		}
	}
}
