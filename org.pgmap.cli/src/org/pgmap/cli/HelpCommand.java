package org.pgmap.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code pgmap help}: the usage text on stdout. */
@Command(name = "help")
public final class HelpCommand implements Callable<Integer> {

	@ParentCommand
	private PgmapCommand root;

	@Unmatched
	private List<String> ignored;

	@Override
	public Integer call() {
		root.session().out.print(PgmapCommand.usage());
		return PgmapCli.OK;
	}
}
