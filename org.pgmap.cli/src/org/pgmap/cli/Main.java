package org.pgmap.cli;

public class Main {
	public static void main(String[] args) {
		System.exit(new PgmapCli(System.out, System.err).run(args));
	}
}
