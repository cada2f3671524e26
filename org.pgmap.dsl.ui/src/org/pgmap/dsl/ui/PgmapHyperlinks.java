package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.Region;
import org.eclipse.jface.text.hyperlink.AbstractHyperlinkDetector;
import org.eclipse.jface.text.hyperlink.IHyperlink;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;

/** Go to definition (Ctrl+click, F3 via hyperlinks): locks, pools, variables, procedures, and cores into the shipped library. */
public class PgmapHyperlinks extends AbstractHyperlinkDetector {

	@Override
	public IHyperlink[] detectHyperlinks(ITextViewer viewer, IRegion region, boolean canShowMultiple) {
		try {
			XtextResourceSet set = PgmapUi.injector().getInstance(XtextResourceSet.class);
			var buffer = org.eclipse.core.filebuffers.FileBuffers.getTextFileBufferManager().getTextFileBuffer(viewer.getDocument());
			URI uri = buffer != null && buffer.getLocation() != null
					&& ResourcesPlugin.getWorkspace().getRoot().getFile(buffer.getLocation()).getLocation() != null
							? URI.createFileURI(ResourcesPlugin.getWorkspace().getRoot().getFile(buffer.getLocation()).getLocation().toOSString())
							: URI.createURI("synthetic:/link.pgmap");
			XtextResource resource = (XtextResource) set.createResource(uri);
			resource.load(new ByteArrayInputStream(viewer.getDocument().get().getBytes(StandardCharsets.UTF_8)), null);
			EObject target = PgmapUi.injector().getInstance(EObjectAtOffsetHelper.class).resolveCrossReferencedElementAt(resource,
					region.getOffset());
			if (target == null || target.eResource() == null) {
				return null;
			}
			ILeafNode leaf = NodeModelUtils.findLeafNodeAtOffset(resource.getParseResult().getRootNode(), region.getOffset());
			ICompositeNode targetNode = NodeModelUtils.findActualNodeFor(target);
			String targetText = targetNode.getRootNode().getText();
			URI targetUri = target.eResource().getURI();
			int targetOffset = targetNode.getOffset();
			int targetLength = targetNode.getLength();
			return new IHyperlink[] { new IHyperlink() {
				@Override
				public IRegion getHyperlinkRegion() {
					return new Region(leaf.getOffset(), leaf.getLength());
				}

				@Override
				public String getTypeLabel() {
					return "pgmap definition";
				}

				@Override
				public String getHyperlinkText() {
					return "Open the definition in " + targetUri.lastSegment();
				}

				@Override
				public void open() {
					openAt(targetUri, targetText, targetOffset, targetLength);
				}
			} };
		} catch (Exception e) {
			return null;
		}
	}

	/** Opens a workspace file, or a read-only copy of a library file, and selects the definition. */
	static void openAt(URI uri, String text, int offset, int length) {
		try {
			var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
			IEditorPart editor;
			IFile file = uri.isFile() ? ResourcesPlugin.getWorkspace().getRoot()
					.getFileForLocation(org.eclipse.core.runtime.Path.fromOSString(uri.toFileString())) : null;
			if (file != null && file.exists()) {
				editor = IDE.openEditor(page, file);
			} else {
				Path copy = Files.createTempDirectory("pgmap-library").resolve(uri.lastSegment());
				try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
					Files.copy(in, copy);
				}
				copy.toFile().setReadOnly();
				editor = IDE.openEditorOnFileStore(page, EFS.getLocalFileSystem().getStore(copy.toUri()));
			}
			if (editor instanceof ITextEditor t) {
				t.selectAndReveal(offset, length);
			}
		} catch (Exception e) {
			// the link does nothing when the target cannot be opened
		}
	}
}
