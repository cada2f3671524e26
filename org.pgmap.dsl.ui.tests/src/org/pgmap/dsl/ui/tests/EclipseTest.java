package org.pgmap.dsl.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.junit.jupiter.api.Test;
import org.pgmap.dsl.ui.PgmapContentAssist;
import org.pgmap.dsl.ui.PgmapNature;
import org.pgmap.dsl.ui.PgmapUi;

/** The Eclipse integration in a running workbench: save a spec, see its markers, edit it. */
public class EclipseTest {

	static Path examples() {
		Path p = Path.of("").toAbsolutePath();
		while (p != null && !Files.isDirectory(p.resolve("examples"))) {
			p = p.getParent();
		}
		return p.resolve("examples");
	}

	/** The parse of the document's current text, once the editor's reconciler has made it. */
	static org.pgmap.dsl.ui.DocumentModel.Parse awaitParse(org.eclipse.jface.text.IDocument document) throws InterruptedException {
		long until = System.currentTimeMillis() + 10_000;
		while (System.currentTimeMillis() < until) {
			while (PlatformUI.getWorkbench().getDisplay().readAndDispatch()) {
			}
			var parse = org.pgmap.dsl.ui.DocumentModel.current(document);
			if (parse != null) {
				return parse;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("the editor's reconciler did not parse the document within 10 s");
	}

	/** A dirty editor would make the workbench ask to save when it closes, and the test run would hang. */
	@org.junit.jupiter.api.AfterEach
	public void closeEditorsWithoutSaving() {
		PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().closeAllEditors(false);
	}

	static IProject project() throws Exception {
		IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("test_hmm");
		if (!project.exists()) {
			project.create(null);
		}
		project.open(null);
		PgmapNature.addTo(project);
		return project;
	}

	static void save(IFile file, String text) throws Exception {
		var in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
		if (file.exists()) {
			file.setContents(in, true, false, null);
		} else {
			file.create(in, true, null);
		}
		Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
		Job.getJobManager().join(ResourcesPlugin.FAMILY_MANUAL_BUILD, null);
	}

	static List<IMarker> ruleMarkers(IFile file, String rule) throws Exception {
		return Arrays.stream(file.findMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO))
				.filter(m -> rule.equals(m.getAttribute(PgmapUi.ATTR_ID, ""))).toList();
	}

	@Test
	public void savingTheRacySpecMarksR1OnItsLineAndTheFixedOneClearsIt() throws Exception {
		IProject project = project();
		IFile file = project.getFile("v6_0.pgmap");
		save(file, Files.readString(examples().resolve("test_hmm/v6_0.pgmap")));
		List<IMarker> r1 = ruleMarkers(file, "R1");
		assertEquals(1, r1.size(), Arrays.toString(file.findMarkers(PgmapUi.MARKER_ID, false, 0)));
		assertEquals(33, r1.get(0).getAttribute(IMarker.LINE_NUMBER, -1));
		assertEquals(IMarker.SEVERITY_ERROR, r1.get(0).getAttribute(IMarker.SEVERITY, -1));
		assertTrue(r1.get(0).getAttribute(IMarker.MESSAGE, "").contains("R1 free-refcount"));
		// the trace is one click away: the marker's resolution opens the trace view
		var show = Arrays.stream(new org.pgmap.dsl.ui.PgmapQuickFixes().getResolutions(r1.get(0)))
				.filter(r -> r.getLabel().startsWith("Show the trace")).findFirst().orElseThrow();
		show.run(r1.get(0));
		var view = (org.pgmap.dsl.ui.TraceView) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
				.findView(org.pgmap.dsl.ui.TraceView.ID);
		assertEquals(15, view.steps().size(), view.steps().toString());
		assertTrue(view.steps().get(14).changes().contains("breaks R1"));
		view.select(13); // push(free_pages, page) in dmirror_devmem_free
		var editor = (org.eclipse.ui.texteditor.ITextEditor) PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage()
				.getActiveEditor();
		var selection = (org.eclipse.jface.text.ITextSelection) editor.getSelectionProvider().getSelection();
		assertEquals(31, selection.getStartLine(), "the step's line (32) is selected in the editor");
		// the generators ran into src-gen/: Promela and the model, but no C for a failing spec
		assertTrue(project.getFile("src-gen/test_hmm_v6_0/test_hmm_v6_0.two_migrations.pml").exists());
		assertFalse(project.getFile("src-gen/test_hmm_v6_0/dmirror_driver_pgmap.c").exists());

		// the fix: Jason's re-ordered core
		save(file, Files.readString(examples().resolve("test_hmm/v6_0.pgmap")).replace("uses core v6_0", "uses core reorder"));
		assertTrue(ruleMarkers(file, "R1").isEmpty(), Arrays.toString(file.findMarkers(PgmapUi.MARKER_ID, false, 0)));
		assertTrue(project.getFile("src-gen/test_hmm_v6_0/dmirror_driver_pgmap.c").exists());
	}

	@Test
	public void theNewSpecWizardWritesACheckedSpecAndFormatKeepsIt() throws Exception {
		IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("fresh");
		if (!project.exists()) {
			project.create(null);
		}
		project.open(null);
		var wizard = new org.pgmap.dsl.ui.NewSpecWizard();
		wizard.init(PlatformUI.getWorkbench(), new org.eclipse.jface.viewers.StructuredSelection(project));
		var dialog = new org.eclipse.jface.wizard.WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), wizard);
		dialog.create();
		wizard.filePage().setFileName("gpu_mem.pgmap");
		assertTrue(wizard.performFinish());
		dialog.close();
		Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
		IFile file = project.getFile("gpu_mem.pgmap");
		assertTrue(project.hasNature(PgmapUi.NATURE_ID));
		assertTrue(Arrays.stream(file.findMarkers(PgmapUi.MARKER_ID, false, 0))
				.noneMatch(m -> m.getAttribute(IMarker.SEVERITY, -1) == IMarker.SEVERITY_ERROR),
				Arrays.toString(file.findMarkers(PgmapUi.MARKER_ID, false, 0)));
		assertTrue(project.getFile("src-gen/gpu_mem/gpu_mem_pgmap.c").exists(), "the passing spec's C is generated");
		String text = new String(file.getContents().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(text, org.pgmap.dsl.ui.PgmapFormatting.format(text));
		String messy = text.replace("\tspinlock lock", "  spinlock    lock");
		assertFalse(messy.equals(text));
		assertEquals(text, org.pgmap.dsl.ui.PgmapFormatting.format(messy));
	}

	@Test
	public void theQuickFixForAMissingUnlockRepairsTheFile() throws Exception {
		IProject project = project();
		IFile file = project.getFile("missing_unlock.pgmap");
		String spec = Files.readString(examples().resolve("test_hmm/v6_1.pgmap"));
		save(file, spec.replaceFirst("\t\t\tspin_unlock\\(mdevice_lock\\)\n\t\t\treturn none", "\t\t\treturn none"));
		List<IMarker> markers = ruleMarkers(file, "lock-not-released");
		assertEquals(1, markers.size());
		// open in an editor: the fix is computed on the editor's parse, and the editor follows the fixed file
		var editor = (org.eclipse.ui.texteditor.ITextEditor) IDE.openEditor(PlatformUI.getWorkbench().getActiveWorkbenchWindow()
				.getActivePage(), file);
		var document = editor.getDocumentProvider().getDocument(editor.getEditorInput());
		awaitParse(document);
		var resolutions = new org.pgmap.dsl.ui.PgmapQuickFixes().getResolutions(markers.get(0));
		assertEquals(1, resolutions.length);
		resolutions[0].run(markers.get(0));
		Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
		assertEquals(spec, new String(file.getContents().readAllBytes(), StandardCharsets.UTF_8));
		assertEquals(spec, document.get());
		assertTrue(ruleMarkers(file, "lock-not-released").isEmpty());
	}

	/** Applies the one code-changing resolution of the first marker with this id and returns the file's text. */
	static String applyFix(IFile file, String id) throws Exception {
		List<IMarker> markers = ruleMarkers(file, id);
		assertFalse(markers.isEmpty(), id + " marker: " + Arrays.toString(file.findMarkers(PgmapUi.MARKER_ID, false, 0)));
		var fixes = Arrays.stream(new org.pgmap.dsl.ui.PgmapQuickFixes().getResolutions(markers.get(0)))
				.filter(r -> !r.getLabel().startsWith("Show the trace")).toList();
		assertEquals(1, fixes.size());
		fixes.get(0).run(markers.get(0));
		Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, null);
		return new String(file.getContents().readAllBytes(), StandardCharsets.UTF_8);
	}

	@Test
	public void theQuickFixForAResetAfterPublishMovesIt() throws Exception {
		IProject project = project();
		IFile file = project.getFile("own_core.pgmap");
		String fixed = "core own \"a proposed free path\" {\n\tidle refcount 1\n\n\ton final_put(page) {\n\t\tset_page_count(page, 1)\n\t\tcall page_free(page)\n\t}\n}\n";
		save(file, fixed.replace("\t\tset_page_count(page, 1)\n\t\tcall page_free(page)\n", "\t\tcall page_free(page)\n\t\tset_page_count(page, 1)\n"));
		assertEquals(fixed, applyFix(file, "R2"));
		assertTrue(ruleMarkers(file, "R2").isEmpty());
	}

	@Test
	public void theQuickFixForGetPageOnAZeroPageUsesTheInitHelper() throws Exception {
		IProject project = project();
		IFile file = project.getFile("get_on_zero.pgmap");
		String spec = Files.readString(examples().resolve("test_hmm/v6_1.pgmap"));
		save(file, spec.replace("zone_device_page_init(page)", "get_page(page)"));
		assertEquals(spec, applyFix(file, "R6"));
		assertTrue(ruleMarkers(file, "R6").isEmpty());
	}

	@Test
	public void specsOpenInTheGenericEditorAndContentAssistOffersTheDeclaredLocks() throws Exception {
		IProject project = project();
		IFile file = project.getFile("v6_1.pgmap");
		String text = Files.readString(examples().resolve("test_hmm/v6_1.pgmap"));
		save(file, text);
		IEditorPart editor = IDE.openEditor(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage(), file);
		assertEquals("org.eclipse.ui.genericeditor.GenericEditor", editor.getSite().getId());
		var viewer = (org.eclipse.jface.text.ITextViewer) editor.getAdapter(org.eclipse.jface.text.ITextOperationTarget.class);
		// the reconciler parses the document in the background; outline, links and hover read that parse
		var parse = awaitParse(viewer.getDocument());
		// the outline: spec, pagemap, driver with its members, scenario with its thread group
		assertTrue(editor.getAdapter(org.eclipse.ui.views.contentoutline.IContentOutlinePage.class) != null);
		var outline = parse.outline();
		assertEquals(List.of("spec test_hmm_v6_1", "pagemap dmirror", "driver dmirror_driver", "scenario two_migrations"),
				outline.stream().map(n -> n.label()).toList());
		assertTrue(outline.get(2).children().stream().anyMatch(n -> n.label().equals("alloc dmirror_devmem_alloc_page")),
				outline.get(2).children().toString());
		assertEquals(text.indexOf("dmirror_driver {"), outline.get(2).offset(), "an entry selects its name");
		// go to definition: the core name after 'uses core' links into the shipped library
		var links = new org.pgmap.dsl.ui.PgmapHyperlinks().detectHyperlinks(viewer,
				new org.eclipse.jface.text.Region(text.indexOf("uses core v6_1") + "uses core ".length() + 1, 0), false);
		assertEquals(1, links.length);
		assertEquals("Open the definition in v6_1.pgmap", links[0].getHyperlinkText());
		// hover: a kernel function's effect, a name's declaration
		var hover = new org.pgmap.dsl.ui.PgmapHover();
		int spinLock = text.indexOf("spin_lock(mdevice_lock)") + 2;
		String onSpinLock = hover.getHoverInfo(viewer, hover.getHoverRegion(viewer, spinLock));
		assertTrue(onSpinLock != null && onSpinLock.contains("takes a spinlock"), onSpinLock);
		String onLock = hover.getHoverInfo(viewer, hover.getHoverRegion(viewer, spinLock + "spin_lock(".length() + 1));
		assertTrue(onLock != null && onLock.contains("spinlock mdevice_lock: a spinlock"), onLock);
		// static validation as you type: an undefined lock shows as an error annotation without a save
		var document = viewer.getDocument();
		document.replace(text.indexOf("spin_lock(mdevice_lock)") + "spin_lock(".length(), "mdevice_lock".length(), "mdevice_lok");
		var annotations = ((org.eclipse.jface.text.source.ISourceViewer) viewer).getAnnotationModel();
		boolean seen = false;
		long until = System.currentTimeMillis() + 10_000;
		while (!seen && System.currentTimeMillis() < until) {
			while (PlatformUI.getWorkbench().getDisplay().readAndDispatch()) {
			}
			Thread.sleep(50);
			for (var it = annotations.getAnnotationIterator(); it.hasNext();) {
				if (it.next().getText() instanceof String t && t.contains("'mdevice_lok' is not declared")) {
					seen = true;
				}
			}
		}
		document.set(text);
		editor.doSave(null);
		assertTrue(seen, "the undefined lock is marked while typing");
		// semantic coloring: a reference to the lock is colored as a lock
		var widget = viewer.getTextWidget();
		int lockRef = text.indexOf("spin_lock(mdevice_lock)") + "spin_lock(".length();
		boolean colored = false;
		long deadline = System.currentTimeMillis() + 10_000;
		while (!colored && System.currentTimeMillis() < deadline) {
			while (PlatformUI.getWorkbench().getDisplay().readAndDispatch()) {
			}
			Thread.sleep(50);
			var style = widget.getStyleRangeAtOffset(lockRef);
			colored = style != null && style.foreground != null && style.foreground.getRed() == 0 && style.foreground.getGreen() == 128
					&& style.foreground.getBlue() == 128;
		}
		assertTrue(colored, "mdevice_lock is colored as a lock");
		int offset = text.indexOf("spin_lock(mdevice_lock)") + "spin_lock(".length();
		List<String> proposals = PgmapContentAssist.proposals(text, offset).stream().map(e -> e.getProposal()).toList();
		assertTrue(proposals.contains("mdevice_lock"), proposals.toString());
	}
}
