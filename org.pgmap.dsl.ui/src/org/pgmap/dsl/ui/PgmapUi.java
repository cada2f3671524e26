package org.pgmap.dsl.ui;

import org.eclipse.core.runtime.ILog;
import org.pgmap.dsl.ide.PgmapIdeSetup;

import com.google.inject.Injector;

/** The one injector of the Eclipse integration: the runtime and IDE modules, model check included. */
public final class PgmapUi {
	public static final String PLUGIN_ID = "org.pgmap.dsl.ui";
	public static final String NATURE_ID = PLUGIN_ID + ".pgmapNature";
	public static final String BUILDER_ID = PLUGIN_ID + ".pgmapBuilder";
	public static final String MARKER_ID = PLUGIN_ID + ".problem";
	/** marker attribute: the issue code or rule id, e.g. "R1" or "lock-not-released" */
	public static final String ATTR_ID = "pgmapId";
	/** marker attribute: the finding's data for its quick fix, one item per line */
	public static final String ATTR_DATA = "pgmapData";

	private static volatile Injector injector;

	private PgmapUi() {
	}

	/** An error of the Eclipse integration, in the platform's log (the Error Log view). */
	public static void log(String message, Throwable e) {
		ILog.of(PgmapUi.class).error(message, e);
	}

	/** Something the user may want to know about (an unreadable file), in the platform's log. */
	public static void warn(String message, Throwable e) {
		ILog.of(PgmapUi.class).warn(message, e);
	}

	public static Injector injector() {
		Injector result = injector;
		if (result == null) {
			synchronized (PgmapUi.class) {
				result = injector;
				if (result == null) {
					result = new PgmapIdeSetup().createInjectorAndDoEMFRegistration();
					injector = result;
				}
			}
		}
		return result;
	}
}
