package org.pgmap.dsl.ide.check;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.validation.ResourceValidatorImpl;
import org.pgmap.dsl.pgmap.Model;

/**
 * The validation editors see: the static checks, and when they find no error, the model check of
 * every scenario within the editor's limits ({@link EditorModelCheck}). The Eclipse builder runs
 * both here; the language server runs only the static checks here and the model check in the
 * background (its resource sets carry {@link #MODEL_CHECK_IN_BACKGROUND}).
 */
public class ModelCheckingResourceValidator extends ResourceValidatorImpl {

	/** Load option of a resource set whose owner model-checks its specs itself, off the validation thread. */
	public static final String MODEL_CHECK_IN_BACKGROUND = "org.pgmap.modelCheckInBackground";

	@Override
	public List<Issue> validate(Resource resource, CheckMode mode, CancelIndicator cancel) {
		long start = System.nanoTime();
		List<Issue> issues = new ArrayList<>(super.validate(resource, mode, cancel));
		if (modelCheckedElsewhere(resource) || issues.stream().anyMatch(i -> i.getSeverity() == Severity.ERROR)
				|| resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model model)
				|| model.getHeader() == null) {
			return issues;
		}
		issues.addAll(EditorModelCheck.run((XtextResource) resource, model, org.pgmap.engine.Explorer.Limits.EDITOR, start, cancel::isCanceled));
		return issues;
	}

	private static boolean modelCheckedElsewhere(Resource resource) {
		return resource.getResourceSet() != null
				&& Boolean.TRUE.equals(resource.getResourceSet().getLoadOptions().get(MODEL_CHECK_IN_BACKGROUND));
	}
}
