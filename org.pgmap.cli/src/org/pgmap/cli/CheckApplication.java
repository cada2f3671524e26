package org.pgmap.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Headless Eclipse application {@code org.pgmap.cli.check}: proves, inside an installed Eclipse,
 * that pgmap's bundles are present and resolved, then checks the .pgmap files given on the command
 * line as {@code pgmap check} does.
 *
 * <pre>
 * java -jar plugins/org.eclipse.equinox.launcher_*.jar -nosplash -consoleLog \
 *      -application org.pgmap.cli.check FILE...
 * </pre>
 *
 * Prints one line {@code pgmap bundle NAME VERSION STATE} per pgmap bundle, then the check's
 * findings, and ends with {@code pgmap-install: ...} lines. Exit code: that of {@code pgmap check}
 * (0 clean, 1 findings, 2 usage, 3 incomplete), or 4 when a pgmap bundle is missing or unresolved.
 */
public class CheckApplication implements IApplication {

	/** The bundles of org.pgmap.feature; each must be installed and resolved. */
	static final List<String> FEATURE_BUNDLES = List.of("org.pgmap.engine", "org.pgmap.dsl", "org.pgmap.dsl.ide",
			"org.pgmap.dsl.ui", "org.pgmap.cli");

	public static final int NOT_RESOLVED = 4;

	@Override
	public Object start(IApplicationContext context) {
		String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
		if (args == null) {
			args = new String[0];
		}
		context.applicationRunning();
		if (!bundlesResolved()) {
			return NOT_RESOLVED;
		}
		if (args.length == 0) {
			System.err.println("pgmap-install: usage: -application org.pgmap.cli.check FILE-OR-FOLDER...");
			return PgmapCli.USAGE;
		}
		String[] checkArgs = new String[args.length + 1];
		checkArgs[0] = "check";
		System.arraycopy(args, 0, checkArgs, 1, args.length);
		int exit;
		try {
			exit = new PgmapCli(System.out, System.err).run(checkArgs);
		} catch (RuntimeException | LinkageError e) {
			// a class missing at run time despite resolution: report it in one line, not a trace
			System.err.println("pgmap-install: the check failed inside Eclipse: " + e);
			return NOT_RESOLVED;
		}
		System.out.println("pgmap-install: check " + String.join(" ", Arrays.asList(args)) + " exited " + exit);
		return exit;
	}

	/** Lists every org.pgmap bundle with its state; false if one of the feature's is missing or unresolved. */
	static boolean bundlesResolved() {
		Bundle self = FrameworkUtil.getBundle(CheckApplication.class);
		BundleContext bc = self == null ? null : self.getBundleContext();
		if (bc == null) {
			System.err.println("pgmap-install: not running inside an OSGi framework");
			return false;
		}
		Map<String, Bundle> pgmap = new TreeMap<>();
		for (Bundle b : bc.getBundles()) {
			String name = b.getSymbolicName();
			if (name != null && name.startsWith("org.pgmap.")) {
				pgmap.put(name, b);
			}
		}
		// resolve them now (lazily started bundles may not have been asked yet): what stays
		// INSTALLED afterwards has a requirement that nothing in this Eclipse provides
		bc.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(pgmap.values());
		for (Bundle b : pgmap.values()) {
			System.out.println("pgmap bundle " + b.getSymbolicName() + " " + b.getVersion() + " " + state(b));
		}
		boolean ok = true;
		for (String name : FEATURE_BUNDLES) {
			Bundle b = pgmap.get(name);
			if (b == null) {
				System.err.println("pgmap-install: bundle " + name + " is not installed");
				ok = false;
			} else if ((b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) == 0) {
				System.err.println("pgmap-install: bundle " + name + " is " + state(b) + ": " + whyUnresolved(b));
				ok = false;
			}
		}
		System.out.println("pgmap-install: " + (ok ? "all " + FEATURE_BUNDLES.size() + " pgmap bundles resolved"
				: "pgmap bundles missing or unresolved"));
		return ok;
	}

	/** Equinox says which requirement is missing when asked to start an unresolved bundle. */
	static String whyUnresolved(Bundle b) {
		try {
			b.start(Bundle.START_TRANSIENT | Bundle.START_ACTIVATION_POLICY);
			return "resolved only when started";
		} catch (BundleException | RuntimeException e) {
			String message = e.getMessage() == null ? e.toString() : e.getMessage();
			return message.strip().replaceAll("\\s*\\R\\s*", "; ");
		}
	}

	static String state(Bundle b) {
		return switch (b.getState()) {
		case Bundle.UNINSTALLED -> "UNINSTALLED";
		case Bundle.INSTALLED -> "INSTALLED";
		case Bundle.RESOLVED -> "RESOLVED";
		case Bundle.STARTING -> "STARTING";
		case Bundle.STOPPING -> "STOPPING";
		case Bundle.ACTIVE -> "ACTIVE";
		default -> "state " + b.getState();
		};
	}

	@Override
	public void stop() {
		// the check runs to its end; nothing to interrupt
	}
}
