package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.xtext.formatting2.FormatterRequest;
import org.eclipse.xtext.formatting2.IFormatter2;
import org.eclipse.xtext.formatting2.regionaccess.ITextRegionAccess;
import org.eclipse.xtext.formatting2.regionaccess.TextRegionAccessBuilder;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

/** Format (Ctrl+Shift+F in a .pgmap editor): the layout of the examples, by the language's formatter. */
public class PgmapFormatting extends AbstractHandler {

	/** The formatted text, or the text unchanged when it does not parse. */
	public static String format(String text) throws java.io.IOException {
		Injector injector = PgmapUi.injector();
		XtextResourceSet set = injector.getInstance(XtextResourceSet.class);
		XtextResource resource = (XtextResource) set.createResource(URI.createURI("synthetic:/format.pgmap"));
		resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
		if (!resource.getErrors().isEmpty()) {
			return text;
		}
		ITextRegionAccess access = injector.getInstance(TextRegionAccessBuilder.class).forNodeModel(resource).create();
		FormatterRequest request = new FormatterRequest();
		request.setTextRegionAccess(access);
		return access.getRewriter().renderToString(injector.getInstance(IFormatter2.class).format(request));
	}

	@Override
	public Object execute(ExecutionEvent event) {
		if (HandlerUtil.getActiveEditor(event) instanceof ITextEditor editor) {
			IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
			try {
				String formatted = format(doc.get());
				if (!formatted.equals(doc.get())) {
					doc.replace(0, doc.getLength(), formatted);
				}
			} catch (Exception e) {
				// an unparsable spec stays as it is
			}
		}
		return null;
	}
}
