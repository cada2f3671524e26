package org.pgmap.dsl.ide.quickfix;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.xtext.ide.editor.quickfix.AbstractDeclarativeIdeQuickfixProvider;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolution;
import org.eclipse.xtext.ide.editor.quickfix.DiagnosticResolutionAcceptor;
import org.eclipse.xtext.ide.editor.quickfix.QuickFix;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2.Options;
import org.eclipse.xtext.resource.XtextResource;
import org.pgmap.dsl.ide.quickfix.QuickFixes.Edit;
import org.pgmap.dsl.ide.quickfix.QuickFixes.Fix;
import org.pgmap.dsl.validation.IssueCodes;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.inject.Singleton;

/**
 * The quick fixes of pgmap's findings, once for every editor: the language server offers them as
 * code actions ({@code QuickFixCodeActionService}, bound as the {@code ICodeActionService2}), and
 * the Eclipse markers as resolutions through {@link #fixes}. Each fix is {@link QuickFixes}'s, as
 * text edits on the document the finding was made on.
 */
@Singleton
public class PgmapQuickfixProvider extends AbstractDeclarativeIdeQuickfixProvider {

	/** The finding whose resolutions are being collected (the fix methods get only the acceptor). */
	private final ThreadLocal<Finding> finding = new ThreadLocal<>();

	private record Finding(XtextResource resource, Document document, int offset, String[] data) {
	}

	@Override
	public List<DiagnosticResolution> getResolutions(Options options, Diagnostic diagnostic) {
		if (!(options.getResource() instanceof XtextResource resource) || options.getDocument() == null) {
			return List.of();
		}
		Document document = options.getDocument();
		finding.set(new Finding(resource, document, document.getOffSet(diagnostic.getRange().getStart()), data(diagnostic.getData())));
		try {
			return super.getResolutions(options, diagnostic);
		} finally {
			finding.remove();
		}
	}

	/** R2 (static): a write to the page after the call that published it moves before that call. */
	@QuickFix(IssueCodes.WRITE_AFTER_PUBLISH)
	public void moveBeforePublisher(DiagnosticResolutionAcceptor acceptor) {
		Finding f = finding.get();
		accept(acceptor, QuickFixes.moveBeforePublisher(f.resource(), f.offset(), f.data()));
	}

	/** R6: get_page on a page at refcount 0 becomes the era's init helper. */
	@QuickFix(IssueCodes.GET_ON_ZERO)
	public void initInsteadOfGetPage(DiagnosticResolutionAcceptor acceptor) {
		Finding f = finding.get();
		accept(acceptor, QuickFixes.initInsteadOfGetPage(f.resource(), f.offset()));
	}

	/** lock-not-released: the unlock goes before the return that leaves the lock held, or at the end. */
	@QuickFix(IssueCodes.LOCK_NOT_RELEASED)
	public void addMissingUnlock(DiagnosticResolutionAcceptor acceptor) {
		Finding f = finding.get();
		accept(acceptor, QuickFixes.addMissingUnlock(f.resource(), f.offset(), f.data()));
	}

	/**
	 * The fixes of a finding with this code at this offset of a parsed spec, {@code data} being the
	 * finding's data: what Eclipse offers on a marker, computed as the code actions are.
	 */
	public List<Fix> fixes(XtextResource resource, String code, int offset, String[] data) {
		return QuickFixes.fixable(code) ? QuickFixes.fixes(resource, code, offset, data) : List.of();
	}

	private static void accept(DiagnosticResolutionAcceptor acceptor, List<Fix> fixes) {
		for (Fix fix : fixes) {
			acceptor.accept(fix.label(), (diagnostic, element, document) -> edits(fix, document));
		}
	}

	/** A fix's edits as LSP text edits on the document. */
	static List<TextEdit> edits(Fix fix, Document document) {
		List<TextEdit> edits = new ArrayList<>();
		for (Edit e : fix.edits()) {
			edits.add(new TextEdit(new Range(document.getPosition(e.offset()), document.getPosition(e.offset() + e.length())), e.text()));
		}
		return edits;
	}

	/**
	 * A diagnostic's data as the issue had it: an array of strings, which a client sends back as
	 * JSON (the server publishes an issue's data as is).
	 */
	static String[] data(Object data) {
		if (data instanceof String[] strings) {
			return strings;
		}
		if (data instanceof JsonArray array) {
			String[] result = new String[array.size()];
			for (int i = 0; i < result.length; i++) {
				JsonElement e = array.get(i);
				result[i] = e.isJsonPrimitive() ? e.getAsString() : e.toString();
			}
			return result;
		}
		if (data instanceof List<?> list) {
			return list.stream().map(String::valueOf).toArray(String[]::new);
		}
		if (data instanceof JsonElement e && e.isJsonPrimitive()) {
			return new String[] { e.getAsString() };
		}
		return data instanceof String s ? new String[] { s } : new String[0];
	}
}
