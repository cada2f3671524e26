package org.pgmap.dsl;

import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.pgmap.dsl.scoping.PgmapGlobalScopeProvider;
import org.pgmap.dsl.scoping.PgmapLinkingMessages;

/** Binds pgmap's own services: the library-aware global scope, the linking messages, number conversion, the generator. */
public class PgmapRuntimeModule extends AbstractPgmapRuntimeModule {

	@Override
	public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
		return PgmapGlobalScopeProvider.class;
	}

	@Override
	public Class<? extends org.eclipse.xtext.conversion.IValueConverterService> bindIValueConverterService() {
		return org.pgmap.dsl.parsing.PgmapValueConverters.class;
	}

	public Class<? extends LinkingDiagnosticMessageProvider> bindLinkingDiagnosticMessageProvider() {
		return PgmapLinkingMessages.class;
	}

	/** The generator behind `pgmap generate`, the Eclipse builder's src-gen and Xtext's generator API. */
	public Class<? extends org.eclipse.xtext.generator.IGenerator2> bindIGenerator2() {
		return org.pgmap.dsl.generator.PgmapGenerator.class;
	}
}
