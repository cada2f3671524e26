package org.pgmap.dsl.ui;

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
