package org.pgmap.dsl.validation;

import java.util.Map;
import java.util.TreeMap;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescriptions;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsProvider;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.library.PgmapLibrary;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.SpecHeader;
import org.pgmap.dsl.scoping.PgmapGlobalScopeProvider;

import com.google.inject.Inject;

/**
 * Which definition a name from another file means. A spec sees the files of its own folder and
 * the library, nothing else (PgmapGlobalScopeProvider); here: a name that two files of the folder
 * define is an error naming both, and a folder core that hides the library's core of the same
 * name is said on the spec's 'uses core' line.
 */
public class VisibilityValidator extends AbstractDeclarativeValidator {

	@Inject
	private ResourceDescriptionsProvider indexProvider;

	@Inject
	private PgmapLibrary library;

	@Inject
	private IQualifiedNameProvider names;

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into PgmapValidator
	}

	@Check
	public void checkCrossFileNames(Model model) {
		Resource resource = model.eResource();
		if (resource == null || library.isLibrary(resource)) {
			return;
		}
		IResourceDescriptions index = indexProvider.getResourceDescriptions(resource);
		URI folder = PgmapGlobalScopeProvider.folderOf(resource.getURI());
		for (var it = model.eAllContents(); it.hasNext();) {
			EObject o = it.next();
			for (EReference ref : o.eClass().getEAllReferences()) {
				// a name of the spec's own file wins over every other file: only names from elsewhere can be unclear
				if (ref.isContainment() || ref.isContainer() || ref.isMany() || !o.eIsSet(ref)
						|| !(o.eGet(ref, true) instanceof EObject target) || target.eIsProxy()
						|| target.eResource() == resource || !(target.eContainer() instanceof Model)) {
					continue;
				}
				QualifiedName name = names.getFullyQualifiedName(target);
				if (name == null) {
					continue;
				}
				Map<String, URI> files = new TreeMap<>();
				for (IEObjectDescription d : index.getExportedObjects(target.eClass(), name, false)) {
					URI file = d.getEObjectURI().trimFragment();
					if (folder.equals(PgmapGlobalScopeProvider.folderOf(file))) {
						files.put(file.lastSegment(), file);
					}
				}
				if (files.size() > 1) {
					error("'" + name + "' is defined in " + files.size() + " files of this folder (" + String.join(", ", files.keySet())
							+ "): which one is meant is not clear; rename one of them", o, ref, IssueCodes.AMBIGUOUS_NAME);
				}
			}
		}
	}

	@Check
	public void checkShadowedLibraryCore(SpecHeader header) {
		Core core = header.getCore();
		if (core == null || core.eIsProxy() || core.eResource() == null || library.isLibrary(core.eResource())) {
			return;
		}
		for (Core libraryCore : library.cores()) {
			if (libraryCore.getName().equals(core.getName())) {
				warning("core " + core.getName() + " here is " + core.eResource().getURI().lastSegment()
						+ " of this folder, not the library's " + core.getName()
						+ " (library/" + libraryCore.eResource().getURI().lastSegment()
						+ "): give the patched core its own name to make the choice plain",
						header, Literals.SPEC_HEADER__CORE, IssueCodes.SHADOWS_LIBRARY);
			}
		}
	}

}
