package org.pgmap.dsl.ide.server;

import org.eclipse.xtext.ide.server.semantictokens.SemanticTokensService;
import org.pgmap.dsl.ide.editor.PgmapHighlighting;

/**
 * Semantic tokens with pgmap's modifiers in the legend besides LSP's own: a name that refers to a
 * lock, a page pool, a driver object or a pagemap carries {@code lock}, {@code pool},
 * {@code object} or {@code pagemap} (its token type is LSP's: variable, struct).
 */
public class PgmapSemanticTokensService extends SemanticTokensService {

	@Override
	protected void addTokenModifiers() {
		super.addTokenModifiers();
		PgmapHighlighting.MODIFIERS.forEach(getTokenModifiers()::add);
	}
}
