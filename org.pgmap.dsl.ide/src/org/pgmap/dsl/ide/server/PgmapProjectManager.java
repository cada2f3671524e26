package org.pgmap.dsl.ide.server;

import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsData;
import org.pgmap.dsl.ide.check.ModelCheckingResourceValidator;

/** A project of the language server: its builds run the static checks only, {@link BackgroundModelChecks} the model check. */
public class PgmapProjectManager extends ProjectManager {

	@Override
	public XtextResourceSet createNewResourceSet(ResourceDescriptionsData newIndex) {
		XtextResourceSet set = super.createNewResourceSet(newIndex);
		set.getLoadOptions().put(ModelCheckingResourceValidator.MODEL_CHECK_IN_BACKGROUND, Boolean.TRUE);
		return set;
	}
}
