package org.pgmap.dsl.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
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
import org.eclipse.xtext.service.OperationCanceledError;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.check.SpecChecker;

/**
 * The one place an open .pgmap document is parsed: after each pause in typing, on the
 * reconciler's background thread, its text is parsed into the document's {@link DocumentModel},
 * which validates it (the static checks; the model check runs on save) and computes its outline
 * and semantic highlighting from the IDE services. Then, on the UI thread, the findings become
 * error and warning annotations and the text is colored again; the outline follows the model.
 */
public class PgmapReconciler extends Reconciler {

	static final String ERROR = "org.eclipse.ui.workbench.texteditor.error";
	static final String WARNING = "org.eclipse.ui.workbench.texteditor.warning";

	private final Strategy strategy = new Strategy();
	private ITextViewer viewer;

	public PgmapReconciler() {
		setDelay(400);
		setReconcilingStrategy(strategy, IDocument.DEFAULT_CONTENT_TYPE);
	}

	@Override
	public void install(ITextViewer textViewer) {
		this.viewer = textViewer;
		super.install(textViewer);
	}

	@Override
	public void uninstall() {
		super.uninstall();
		if (strategy.document != null) {
			DocumentModel.forget(strategy.document);
		}
	}

	private final class Strategy implements IReconcilingStrategy, IReconcilingStrategyExtension {
		private volatile IDocument document;
		private IProgressMonitor monitor;
		private final List<Annotation> shown = new ArrayList<>();

		@Override
		public void setDocument(IDocument document) {
			if (this.document != null && this.document != document) {
				DocumentModel.forget(this.document);
			}
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
			this.monitor = monitor;
		}

		@Override
		public void initialReconcile() {
			IDocument doc = document;
			if (doc == null) {
				return;
			}
			DocumentModel.Parse parse;
			try {
				parse = DocumentModel.of(doc).reparse(doc, () -> monitor != null && monitor.isCanceled());
			} catch (OperationCanceledError | org.eclipse.core.runtime.OperationCanceledException e) {
				return; // the text changed: the next reconcile parses it
			} catch (RuntimeException | StackOverflowError e) {
				PgmapUi.log("pgmap: the editor could not check " + describe(doc) + "; please report it with the file", e);
				return;
			}
			if (viewer instanceof ISourceViewer source && source.getAnnotationModel() != null && viewer.getTextWidget() != null) {
				show(source, parse);
			}
		}

		/** On the UI thread: the findings as annotations, and the text colored again with the new highlighting. */
		private void show(ISourceViewer source, DocumentModel.Parse parse) {
			Map<Annotation, Position> added = new HashMap<>();
			for (Issue issue : parse.issues()) {
				if (issue.getOffset() == null || issue.getSeverity() == Severity.INFO) {
					continue;
				}
				Annotation a = new Annotation(issue.getSeverity() == Severity.ERROR ? ERROR : WARNING, false,
						"[" + SpecChecker.idOf(issue.getCode()) + "] " + issue.getMessage());
				added.put(a, new Position(issue.getOffset(), Math.max(1, issue.getLength() == null ? 1 : issue.getLength())));
			}
			IAnnotationModel model = source.getAnnotationModel();
			var widget = viewer.getTextWidget();
			if (widget.isDisposed()) {
				return;
			}
			widget.getDisplay().asyncExec(() -> {
				if (widget.isDisposed()) {
					return;
				}
				if (model instanceof IAnnotationModelExtension ext) {
					ext.replaceAnnotations(shown.toArray(new Annotation[0]), added);
				} else {
					shown.forEach(model::removeAnnotation);
					added.forEach(model::addAnnotation);
				}
				shown.clear();
				shown.addAll(added.keySet());
				viewer.invalidateTextPresentation();
			});
		}
	}

	private static String describe(IDocument document) {
		var file = DocumentModel.fileOf(document);
		return file == null ? "a .pgmap document" : file.getFullPath().toString();
	}
}
