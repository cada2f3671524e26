package org.pgmap.dsl.ide;

import org.eclipse.xtext.ide.editor.quickfix.IQuickFixProvider;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.codeActions.ICodeActionService2;
import org.eclipse.xtext.ide.server.codeActions.QuickFixCodeActionService;
import org.eclipse.xtext.ide.server.hover.IHoverService;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.eclipse.xtext.validation.IResourceValidator;
import org.pgmap.dsl.ide.check.ModelCheckingResourceValidator;
import org.pgmap.dsl.ide.editor.PgmapHighlighting;
import org.pgmap.dsl.ide.editor.PgmapHoverService;
import org.pgmap.dsl.ide.editor.PgmapSymbols;
import org.pgmap.dsl.ide.quickfix.PgmapQuickfixProvider;

/**
 * The IDE services, one set for every editor (the language server, and the Eclipse editor through
 * {@code org.pgmap.dsl.ui}): document symbols for the outline, hover, semantic highlighting, quick
 * fixes as code actions; and the validator editors use, with the model check.
 */
public class PgmapIdeModule extends AbstractPgmapIdeModule {

	public Class<? extends IResourceValidator> bindIResourceValidator() {
		return ModelCheckingResourceValidator.class;
	}

	public Class<? extends DocumentSymbolMapper.DocumentSymbolNameProvider> bindDocumentSymbolNameProvider() {
		return PgmapSymbols.Names.class;
	}

	public Class<? extends DocumentSymbolMapper.DocumentSymbolKindProvider> bindDocumentSymbolKindProvider() {
		return PgmapSymbols.Kinds.class;
	}

	public Class<? extends DocumentSymbolMapper.DocumentSymbolDetailsProvider> bindDocumentSymbolDetailsProvider() {
		return PgmapSymbols.Details.class;
	}

	public Class<? extends IHoverService> bindIHoverService() {
		return PgmapHoverService.class;
	}

	public Class<? extends ISemanticHighlightingCalculator> bindISemanticHighlightingCalculator() {
		return PgmapHighlighting.class;
	}

	public Class<? extends IQuickFixProvider> bindIQuickFixProvider() {
		return PgmapQuickfixProvider.class;
	}

	public Class<? extends ICodeActionService2> bindICodeActionService2() {
		return QuickFixCodeActionService.class;
	}
}
