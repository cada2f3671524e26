package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.emf.common.util.URI;
import org.eclipse.swt.graphics.Image;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.IMarkerResolution2;
import org.eclipse.ui.IMarkerResolutionGenerator2;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.pgmap.dsl.ide.quickfix.QuickFixes;
import org.pgmap.dsl.ide.quickfix.QuickFixes.Fix;

/** The quick fixes of {@link QuickFixes} on pgmap markers (Problems view, editor ruler). */
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

	/** The fixes of a marker, computed on the file's current text. */
	public static List<Fix> fixes(IMarker marker) {
		try {
			IFile file = (IFile) marker.getResource();
			XtextResource resource = parse(file);
			String data = marker.getAttribute(PgmapUi.ATTR_DATA, "");
			return QuickFixes.fixes(resource, marker.getAttribute(PgmapUi.ATTR_ID, ""), marker.getAttribute(IMarker.CHAR_START, -1),
					data.isEmpty() ? new String[0] : data.split("\n"));
		} catch (CoreException | java.io.IOException e) {
			return List.of();
		}
	}

	/** Applies a fix to the file (the editor's document follows the file). */
	public static void apply(IFile file, Fix fix) throws CoreException, java.io.IOException {
		String text = new String(file.getContents(true).readAllBytes(), file.getCharset());
		file.setContents(new ByteArrayInputStream(fix.apply(text).getBytes(file.getCharset())), true, true, null);
	}

	private static XtextResource parse(IFile file) throws CoreException, java.io.IOException {
		XtextResourceSet set = PgmapUi.injector().getInstance(XtextResourceSet.class);
		XtextResource resource = (XtextResource) set.createResource(URI.createFileURI(file.getLocation().toOSString()));
		try (var in = file.getContents(true)) {
			resource.load(in, set.getLoadOptions());
		}
		return resource;
	}

	static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}
}
