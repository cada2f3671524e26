package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.filebuffers.LocationKind;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolution2;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.pgmap.dsl.ide.quickfix.PgmapQuickfixProvider;
import org.pgmap.dsl.ide.quickfix.QuickFixes;
import org.pgmap.dsl.ide.quickfix.QuickFixes.Fix;

/**
 * On pgmap markers (Problems view, editor ruler): the quick fixes the IDE's quick fix provider
 * offers the language server too ({@link PgmapQuickfixProvider}), and "Show the trace" on a
 * model check finding.
 */
public class PgmapQuickFixes implements IMarkerResolutionGenerator2 {

	@Override
	public boolean hasResolutions(IMarker marker) {
		return QuickFixes.fixable(marker.getAttribute(PgmapUi.ATTR_ID, "")) || hasTrace(marker);
	}

	private static boolean hasTrace(IMarker marker) {
		return marker.getAttribute(PgmapUi.ATTR_DATA, "").startsWith("<svg");
	}

	@Override
	public IMarkerResolution[] getResolutions(IMarker marker) {
		List<IMarkerResolution> result = new ArrayList<>();
		if (hasTrace(marker)) {
			result.add(new IMarkerResolution() {
				@Override
				public String getLabel() {
					return "Show the trace in the pgmap Trace view";
				}

				@Override
				public void run(IMarker m) {
					try {
						TraceView.open(m);
					} catch (org.eclipse.ui.PartInitException e) {
						throw new IllegalStateException("pgmap: cannot open the trace view", e);
					}
				}
			});
		}
		if (!QuickFixes.fixable(marker.getAttribute(PgmapUi.ATTR_ID, ""))) {
			return result.toArray(new IMarkerResolution[0]);
		}
		for (Fix fix : fixes(marker)) {
			result.add(new IMarkerResolution2() {
				@Override
				public String getLabel() {
					return fix.label();
				}

				@Override
				public void run(IMarker m) {
					try {
						apply((IFile) m.getResource(), fix);
					} catch (CoreException | java.io.IOException e) {
						throw new IllegalStateException("pgmap: the quick fix could not change " + m.getResource().getName(), e);
					}
				}

				@Override
				public String getDescription() {
					return fix.label();
				}

				@Override
				public Image getImage() {
					return null;
				}
			});
		}
		return result.toArray(new IMarkerResolution[0]);
	}

	/**
	 * The fixes of a marker, from the IDE's quick fix provider (the language server's code
	 * actions): on the parse of the file's open editor when it shows the saved text, else on a
	 * parse of the file.
	 */
	public static List<Fix> fixes(IMarker marker) {
		IFile file = (IFile) marker.getResource();
		String code = marker.getAttribute(PgmapUi.ATTR_ID, "");
		int offset = marker.getAttribute(IMarker.CHAR_START, -1);
		String data = marker.getAttribute(PgmapUi.ATTR_DATA, "");
		String[] items = data.isEmpty() ? new String[0] : data.split("\n");
		PgmapQuickfixProvider provider = (PgmapQuickfixProvider) PgmapUi.injector().getInstance(IQuickFixProvider.class);
		if (offset < 0) {
			return List.of();
		}
		ITextFileBuffer buffer = FileBuffers.getTextFileBufferManager().getTextFileBuffer(file.getFullPath(), LocationKind.IFILE);
		DocumentModel.Parse parse = buffer == null || buffer.isDirty() ? null : DocumentModel.current(buffer.getDocument());
		if (parse != null) {
			List<Fix> fixes = DocumentModel.of(buffer.getDocument()).read(parse, r -> provider.fixes(r, code, offset, items), 0);
			if (fixes != null) {
				return fixes;
			}
		}
		try {
			return provider.fixes(DocumentModel.parseClosed(file), code, offset, items);
		} catch (CoreException | java.io.IOException e) {
			PgmapUi.log("pgmap: cannot read " + file.getFullPath() + " for the quick fixes of its marker", e);
			return List.of();
		}
	}

	/** Applies a fix to the file (the editor's document follows the file). */
	public static void apply(IFile file, Fix fix) throws CoreException, java.io.IOException {
		String text = new String(file.getContents(true).readAllBytes(), file.getCharset());
		file.setContents(new ByteArrayInputStream(fix.apply(text).getBytes(file.getCharset())), true, true, null);
	}

}
