package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.Path;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.ScrolledComposite;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.ISelectionListener;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.part.ViewPart;
import org.pgmap.dsl.ide.check.TraceData;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * The trace of the selected pgmap marker: one row per step (thread, where, statement, what
 * changed), the violating step last; selecting a step selects its line in the editor. Beside
 * it the lane diagram (one lane per thread, the violating step in red).
 */
public class TraceView extends ViewPart {
	public static final String ID = "org.pgmap.dsl.ui.traceView";

	/** One step of the trace, as the builder stored it on the marker ({@link TraceData}). */
	public record Step(int number, String thread, String file, int line, String statement, String changes) {
		static Step of(org.pgmap.engine.Checker.TraceStep s) {
			return new Step(s.number(), s.thread(), s.loc().file(), s.loc().line(), s.loc().text().replaceAll("\\s+", " "),
					s.changes());
		}
	}

	private TableViewer table;
	private Label title;
	private Label diagram;
	private Image image;
	private final List<Step> steps = new ArrayList<>();
	private final ISelectionListener listener = (IWorkbenchPart part, ISelection selection) -> {
		if (part != this && selection instanceof IStructuredSelection s && !s.isEmpty()) {
			IMarker marker = Adapters.adapt(s.getFirstElement(), IMarker.class);
			if (marker != null) {
				show(marker);
			}
		}
	};

	@Override
	public void createPartControl(Composite parent) {
		Composite top = new Composite(parent, SWT.NONE);
		top.setLayout(new org.eclipse.swt.layout.GridLayout(1, false));
		title = new Label(top, SWT.WRAP);
		title.setLayoutData(new org.eclipse.swt.layout.GridData(SWT.FILL, SWT.TOP, true, false));
		title.setText("Select a pgmap problem to see its trace.");
		SashForm sash = new SashForm(top, SWT.HORIZONTAL);
		sash.setLayoutData(new org.eclipse.swt.layout.GridData(SWT.FILL, SWT.FILL, true, true));
		table = new TableViewer(sash, SWT.FULL_SELECTION | SWT.BORDER | SWT.SINGLE);
		table.getTable().setHeaderVisible(true);
		column("step", 40, s -> Integer.toString(s.number()));
		column("thread", 80, Step::thread);
		column("where", 130, s -> s.file().replaceAll(".*/", "") + ":" + s.line());
		column("statement", 220, Step::statement);
		column("what changed", 420, Step::changes);
		table.setContentProvider(ArrayContentProvider.getInstance());
		table.addSelectionChangedListener(e -> {
			if (e.getStructuredSelection().getFirstElement() instanceof Step step) {
				reveal(step);
			}
		});
		ScrolledComposite scroll = new ScrolledComposite(sash, SWT.H_SCROLL | SWT.V_SCROLL | SWT.BORDER);
		diagram = new Label(scroll, SWT.NONE);
		scroll.setContent(diagram);
		sash.setWeights(55, 45);
		getSite().getPage().addSelectionListener(listener);
	}

	private void column(String name, int width, java.util.function.Function<Step, String> text) {
		TableViewerColumn c = new TableViewerColumn(table, SWT.NONE);
		c.getColumn().setText(name);
		c.getColumn().setWidth(width);
		c.setLabelProvider(new ColumnLabelProvider() {
			@Override
			public String getText(Object element) {
				return text.apply((Step) element);
			}
		});
	}

	/** Shows the trace a marker carries (a model-check finding); other markers clear the view. */
	public void show(IMarker marker) {
		steps.clear();
		TraceData.Decoded trace = TraceData.decode(marker.getAttribute(PgmapUi.ATTR_DATA, ""));
		trace.steps().forEach(step -> steps.add(Step.of(step)));
		String svg = trace.svg();
		String message = marker.getAttribute(IMarker.MESSAGE, "");
		title.setText(steps.isEmpty() ? message + "\n(no trace: a static finding)" : message + "\n" + steps.size() + " steps, shortest interleaving");
		title.getParent().layout();
		table.setInput(steps.toArray(new Step[0]));
		showDiagram(svg);
	}

	public List<Step> steps() {
		return List.copyOf(steps);
	}

	/** Selects a step: the row, and its line in the editor. */
	public void select(int index) {
		table.setSelection(new org.eclipse.jface.viewers.StructuredSelection(steps.get(index)), true);
	}

	private void showDiagram(String svg) {
		if (image != null) {
			image.dispose();
			image = null;
		}
		diagram.setImage(null);
		diagram.setText("");
		if (svg == null) {
			return;
		}
		try {
			image = new Image(diagram.getDisplay(), new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
			diagram.setImage(image);
		} catch (org.eclipse.swt.SWTException e) {
			// SWT without an SVG decoder refuses the format: say where the diagram is instead
			diagram.setText("(the lane diagram needs SWT's SVG support; it is also in src-gen/<spec>/traces/)");
		}
		diagram.setSize(diagram.computeSize(SWT.DEFAULT, SWT.DEFAULT));
	}

	private void reveal(Step step) {
		IFile file = ResourcesPlugin.getWorkspace().getRoot().getFileForLocation(Path.fromOSString(step.file()));
		if (file == null || !file.exists()) {
			return; // a statement of the shipped library
		}
		IWorkbenchPage page = getSite().getPage();
		try {
			IEditorPart editor = IDE.openEditor(page, file, false);
			ITextEditor text = Adapters.adapt(editor, ITextEditor.class);
			if (text != null) {
				IDocument doc = text.getDocumentProvider().getDocument(text.getEditorInput());
				int offset = doc.getLineOffset(step.line() - 1);
				text.selectAndReveal(offset, doc.getLineLength(step.line() - 1));
			}
		} catch (PartInitException | BadLocationException e) {
			PgmapUi.log("pgmap: cannot show line " + step.line() + " of " + file.getFullPath(), e); // the step stays selected in the table
		}
	}

	/** Opens the view on a marker's trace. */
	public static TraceView open(IMarker marker) throws PartInitException {
		TraceView view = (TraceView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().showView(ID);
		view.show(marker);
		return view;
	}

	@Override
	public void setFocus() {
		table.getControl().setFocus();
	}

	@Override
	public void dispose() {
		getSite().getPage().removeSelectionListener(listener);
		if (image != null) {
			image.dispose();
		}
		super.dispose();
	}
}
