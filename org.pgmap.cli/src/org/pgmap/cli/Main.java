package org.pgmap.cli;

public class Main {
	public static void main(String[] args) {
		// the language server returns once the client has closed stdin: then the process ends too
		System.exit(new PgmapCli(System.out, System.err).run(args));
	}
}
