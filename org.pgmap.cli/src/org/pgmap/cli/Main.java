package org.pgmap.cli;

public class Main {
	public static void main(String[] args) {
		int exit = new PgmapCli(System.out, System.err)
				.withCacheDir(FrontEndCache.defaultDir(System.getenv(), System.getProperty("user.home"))).run(args);
		if (args.length > 0 && args[0].equals("language-server")) {
			System.exit(exit); // it returns once the client has closed stdin: then the process ends too
		}
		// Not System.exit: since JDK 21 it looks up a System.Logger on the way out, which reads the
		// service files of every jar on the class path, a tenth of a second or more. The commands
		// leave nothing to shutdown hooks (they register none); the streams are flushed here.
		System.out.flush();
		System.err.flush();
		Runtime.getRuntime().halt(exit);
	}
}
