package org.pgmap.dsl.ide.server;

import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.xtext.ide.server.LanguageServerImpl;
import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.ide.server.ServerModule;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.ide.server.semantictokens.SemanticTokensService;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.util.Modules;

/** Xtext's server module with pgmap's server, workspace, projects and semantic token legend in place of the stock ones. */
public class PgmapServerModule extends AbstractModule {

	/** The modules of pgmap's language server. */
	public static Module create() {
		return Modules.override(new ServerModule()).with(new PgmapServerModule());
	}

	@Override
	protected void configure() {
		bind(LanguageServer.class).to(PgmapLanguageServer.class);
		bind(LanguageServerImpl.class).to(PgmapLanguageServer.class);
		bind(WorkspaceManager.class).to(PgmapWorkspaceManager.class);
		bind(ProjectManager.class).to(PgmapProjectManager.class);
		bind(SemanticTokensService.class).to(PgmapSemanticTokensService.class);
	}
}
