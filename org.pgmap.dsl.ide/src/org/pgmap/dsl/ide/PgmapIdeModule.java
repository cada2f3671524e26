package org.pgmap.dsl.ide;

import org.eclipse.xtext.validation.IResourceValidator;
import org.pgmap.dsl.ide.check.ModelCheckingResourceValidator;

/** The IDE services: editors (language server, Eclipse builder) also get the model check. */
public class PgmapIdeModule extends AbstractPgmapIdeModule {

	public Class<? extends IResourceValidator> bindIResourceValidator() {
		return ModelCheckingResourceValidator.class;
	}
}
