package org.pgmap.dsl.scoping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.IContainer;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.DefaultGlobalScopeProvider;
import org.eclipse.xtext.scoping.impl.SimpleScope;
import org.pgmap.dsl.library.PgmapLibrary;

import com.google.common.base.Predicate;
import com.google.inject.Inject;

/**
 * The names a spec sees from other files: those of the files in its own folder first, then the
 * shipped kernel-era library ({@link PgmapLibrary}) as the outermost scope. Files in other
 * folders are never seen, whatever else is loaded beside the spec (the CLI checks several
 * folders in one resource set, an editor's project holds many). A folder may shadow a library
 * core by defining one of the same name; the validators say so.
 */
public class PgmapGlobalScopeProvider extends DefaultGlobalScopeProvider {

	@Inject
	private PgmapLibrary library;

	@Override
	protected IScope getScope(Resource resource, boolean ignoreCase, EClass type, Predicate<IEObjectDescription> filter) {
		List<IEObjectDescription> libraryNames = library.descriptions(type);
		if (filter != null) {
			libraryNames.removeIf(d -> !filter.apply(d));
		}
		IScope result = new SimpleScope(IScope.NULLSCOPE, libraryNames, ignoreCase);
		if (library.isLibrary(resource)) {
			return result;
		}
		URI folder = folderOf(resource.getURI());
		Predicate<IEObjectDescription> sameFolder = d -> folder.equals(folderOf(d.getEObjectURI()))
				&& (filter == null || filter.apply(d));
		List<IContainer> containers = new ArrayList<>(getVisibleContainers(resource));
		Collections.reverse(containers);
		for (IContainer container : containers) {
			result = createContainerScopeWithContext(resource, result, container, sameFolder, type, ignoreCase);
		}
		return result;
	}

	/** The folder of a resource (or of an element's resource): its URI without the file name. */
	public static URI folderOf(URI uri) {
		URI file = uri.trimFragment();
		return file.segmentCount() > 0 ? file.trimSegments(1) : file;
	}
}
