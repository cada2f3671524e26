package org.pgmap.dsl.scoping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
 * The names a spec sees from other files: those of its project first, then the shipped
 * kernel-era library ({@link PgmapLibrary}) as the outermost scope, so a project may shadow a
 * library core by defining one of the same name.
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
		List<IContainer> containers = new ArrayList<>(getVisibleContainers(resource));
		Collections.reverse(containers);
		for (IContainer container : containers) {
			result = createContainerScopeWithContext(resource, result, container, filter, type, ignoreCase);
		}
		return result;
	}
}
