package org.pgmap.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.pgmap.dsl.ide.server.PgmapLanguageServerLauncher;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code pgmap language-server}: LSP over stdin/stdout, with the IDE module's services (the
 * launcher makes its own injector). Arguments are ignored: clients pass the likes of {@code --stdio}.
 */
@Command(name = "language-server")
public final class LanguageServerCommand implements Callable<Integer> {

	@ParentCommand
	private PgmapCommand root;

	@Unmatched
	private List<String> ignored;

	@Override
	public Integer call() {
		try {
			PgmapLanguageServerLauncher.serveStdio();
		} catch (InterruptedException | ExecutionException e) {
			root.session().err.println("pgmap: the language server stopped: " + e.getMessage());
		}
		return PgmapCli.OK;
	}
}
