package org.pgmap.dsl.library;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescription;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Model;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;

/**
 * The kernel-era cores shipped in this bundle (folder library/), written in pgmap itself. They
 * are parsed once per injector into a resource set of their own and stay read-only; specs link
 * to them through the global scope ({@code uses core v6_1}).
 */
@Singleton
public class PgmapLibrary {

	/** The library files, one per era of shared/domain.md, in kernel order. */
	public static final List<String> FILES = List.of("v5_17", "v6_0", "dan_v2", "reorder", "v6_1", "v6_15", "folio_2026");

	@Inject
	private Provider<XtextResourceSet> resourceSetProvider;

	@Inject
	private IResourceDescription.Manager descriptionManager;

	private volatile List<Resource> resources;

	/** Set while the library links itself: it sees no library names then, only its own. */
	private Thread loadingThread;

	/** The parsed library files (loaded on first use). */
	public List<Resource> resources() {
		List<Resource> result = resources;
		if (result == null) {
			synchronized (this) {
				result = resources;
				if (result == null) {
					if (loadingThread == Thread.currentThread()) {
						return List.of();
					}
					loadingThread = Thread.currentThread();
					try {
						result = load();
					} finally {
						loadingThread = null;
					}
					resources = result;
				}
			}
		}
		return result;
	}

	/** The library's exported names of the given type, for the global scope. */
	public List<IEObjectDescription> descriptions(EClass type) {
		List<IEObjectDescription> result = new ArrayList<>();
		for (Resource r : resources()) {
			for (IEObjectDescription d : descriptionManager.getResourceDescription(r).getExportedObjectsByType(type)) {
				result.add(d);
			}
		}
		return result;
	}

	/** All cores of the library. */
	public List<Core> cores() {
		List<Core> result = new ArrayList<>();
		for (Resource r : resources()) {
			if (!r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
				m.getElements().stream().filter(Core.class::isInstance).map(Core.class::cast).forEach(result::add);
			}
		}
		return result;
	}

	/**
	 * Whether the resource is one of the library's: the library's own instance, or a copy a
	 * spec's resource set loaded from the same URI while resolving a link into the library.
	 */
	public boolean isLibrary(Resource resource) {
		if (resource == null) {
			return false;
		}
		for (Resource r : resources()) {
			if (r == resource || r.getURI().equals(resource.getURI())) {
				return true;
			}
		}
		return false;
	}

	/** Where a library file lives: a file: or jar: URL the editors can open. */
	public static URL location(String name) {
		return PgmapLibrary.class.getResource("/library/" + name + ".pgmap");
	}

	private List<Resource> load() {
		XtextResourceSet set = resourceSetProvider.get();
		List<Resource> loaded = new ArrayList<>();
		for (String name : FILES) {
			URL url = location(name);
			if (url == null) {
				throw new IllegalStateException("pgmap library file library/" + name + ".pgmap is missing from the bundle");
			}
			URI uri = URI.createURI(url.toString());
			Resource resource = set.createResource(uri);
			try (InputStream in = url.openStream()) {
				resource.load(in, set.getLoadOptions());
			} catch (IOException e) {
				throw new IllegalStateException("cannot read pgmap library file " + url + ": " + e.getMessage(), e);
			}
			loaded.add(resource);
		}
		EcoreUtil.resolveAll(set);
		return List.copyOf(loaded);
	}
}
