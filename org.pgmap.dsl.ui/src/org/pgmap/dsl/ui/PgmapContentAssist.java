package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.emf.common.util.URI;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.contentassist.CompletionProposal;
import org.eclipse.jface.text.contentassist.ICompletionProposal;
import org.eclipse.jface.text.contentassist.IContentAssistProcessor;
import org.eclipse.jface.text.contentassist.IContextInformation;
import org.eclipse.jface.text.contentassist.IContextInformationValidator;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalAcceptor;
import org.eclipse.xtext.ide.editor.contentassist.IdeContentProposalProvider;
import org.eclipse.xtext.ide.editor.contentassist.antlr.ContentAssistContextFactory;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.TextRegion;

import com.google.inject.Injector;

/**
 * Content assist with Xtext's IDE-agnostic services: the keywords and statements valid at the
 * caret, the declared locks, pools and variables in scope, the procedures and the core's helpers,
 * and the library's cores after {@code uses core}.
 */
public class PgmapContentAssist implements IContentAssistProcessor {

	private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "pgmap content assist");
		t.setDaemon(true);
		return t;
	});

	/** The proposals at an offset of a spec's text (also used by the tests). */
	public static List<ContentAssistEntry> proposals(String text, int offset) throws IOException {
		Injector injector = PgmapUi.injector();
		XtextResourceSet set = injector.getInstance(XtextResourceSet.class);
		XtextResource resource = (XtextResource) set.createResource(URI.createURI("synthetic:/assist.pgmap"));
		resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
		ContentAssistContextFactory factory = injector.getInstance(ContentAssistContextFactory.class);
		factory.setPool(POOL);
		ContentAssistContext[] contexts = factory.create(text, new TextRegion(offset, 0), offset, resource);
		IdeContentProposalAcceptor acceptor = injector.getInstance(IdeContentProposalAcceptor.class);
		injector.getInstance(IdeContentProposalProvider.class).createProposals(Arrays.asList(contexts), acceptor);
		List<ContentAssistEntry> entries = new ArrayList<>();
		acceptor.getEntries().forEach(entries::add);
		return entries;
	}

	@Override
	public ICompletionProposal[] computeCompletionProposals(ITextViewer viewer, int offset) {
		try {
			List<ICompletionProposal> result = new ArrayList<>();
			for (ContentAssistEntry e : proposals(viewer.getDocument().get(), offset)) {
				String prefix = e.getPrefix() == null ? "" : e.getPrefix();
				String label = e.getLabel() != null ? e.getLabel() : e.getProposal();
				result.add(new CompletionProposal(e.getProposal(), offset - prefix.length(), prefix.length(),
						e.getProposal().length(), null, e.getDescription() == null ? label : label + " - " + e.getDescription(),
						null, e.getDocumentation()));
			}
			return result.toArray(new ICompletionProposal[0]);
		} catch (IOException | RuntimeException e) { // content assist then offers nothing, and the log says why
			PgmapUi.log("pgmap: content assist failed", e);
			return new ICompletionProposal[0];
		}
	}

	@Override
	public IContextInformation[] computeContextInformation(ITextViewer viewer, int offset) {
		return null;
	}

	@Override
	public char[] getCompletionProposalAutoActivationCharacters() {
		return new char[] { '(' };
	}

	@Override
	public char[] getContextInformationAutoActivationCharacters() {
		return null;
	}

	@Override
	public String getErrorMessage() {
		return null;
	}

	@Override
	public IContextInformationValidator getContextInformationValidator() {
		return null;
	}
}
