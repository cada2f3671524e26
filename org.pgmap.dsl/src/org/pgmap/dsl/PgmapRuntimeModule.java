package org.pgmap.dsl;

import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.pgmap.dsl.scoping.PgmapGlobalScopeProvider;
import org.pgmap.dsl.scoping.PgmapLinkingMessages;

/** Binds pgmap's own services: the library-aware global scope and the linking messages. */
public class PgmapRuntimeModule extends AbstractPgmapRuntimeModule {

	@Override
	public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
		return PgmapGlobalScopeProvider.class;
	}

	public Class<? extends LinkingDiagnosticMessageProvider> bindLinkingDiagnosticMessageProvider() {
		return PgmapLinkingMessages.class;
	}
}
