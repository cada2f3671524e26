package org.pgmap.dsl.formatting2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.formatting2.FormatterRequest;
import org.eclipse.xtext.formatting2.IFormatter2;
import org.eclipse.xtext.formatting2.regionaccess.ITextRegionAccess;
import org.eclipse.xtext.formatting2.regionaccess.TextRegionAccessBuilder;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

/** A spec's text laid out by {@link PgmapFormatter}; the editors and the tests format through it. */
public final class FormatText {
	private FormatText() {
	}

	/** The formatted text, or the text unchanged when it does not parse or declares nothing (empty, comments only). */
	public static String format(Injector injector, String text) throws IOException {
		XtextResourceSet set = injector.getInstance(XtextResourceSet.class);
		XtextResource resource = (XtextResource) set.createResource(URI.createURI("synthetic:/format.pgmap"));
		resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
		if (!resource.getErrors().isEmpty() || resource.getContents().isEmpty()) {
			return text;
		}
		ITextRegionAccess access = injector.getInstance(TextRegionAccessBuilder.class).forNodeModel(resource).create();
		FormatterRequest request = new FormatterRequest();
		request.setTextRegionAccess(access);
		return access.getRewriter().renderToString(injector.getInstance(IFormatter2.class).format(request));
	}
}
