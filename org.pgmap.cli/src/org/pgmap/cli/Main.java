package org.pgmap.cli;

public class Main {
	public static void main(String[] args) {
		int exit = new PgmapCli(System.out, System.err).run(args);
		if (args.length > 0 && args[0].equals("language-server")) {
			return; // the server's threads serve the client until it exits
		}
		System.exit(exit);
	}
}
