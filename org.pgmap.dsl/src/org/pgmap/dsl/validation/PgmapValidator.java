package org.pgmap.dsl.validation;

import org.eclipse.xtext.validation.ComposedChecks;

/**
 * All static checks of a spec, split by concern; they run on every edit and are fast. The model
 * check of the scenarios is separate and runs on save or from the CLI.
 */
@ComposedChecks(validators = { StructureValidator.class, KindValidator.class, LockValidator.class, PublishValidator.class,
		VisibilityValidator.class, LimitsValidator.class, ActorValidator.class })
public class PgmapValidator extends AbstractPgmapValidator {
}
