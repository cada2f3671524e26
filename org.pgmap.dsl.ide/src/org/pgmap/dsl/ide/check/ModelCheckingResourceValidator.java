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
 * every scenario within the editor's limits ({@link EditorModelCheck}).
 */
public class ModelCheckingResourceValidator extends ResourceValidatorImpl {

	@Override
	public List<Issue> validate(Resource resource, CheckMode mode, CancelIndicator cancel) {
		long start = System.nanoTime();
		List<Issue> issues = new ArrayList<>(super.validate(resource, mode, cancel));
		if (issues.stream().anyMatch(i -> i.getSeverity() == Severity.ERROR)
				|| resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model model)
				|| model.getHeader() == null) {
			return issues;
		}
		issues.addAll(EditorModelCheck.run((XtextResource) resource, model, EditorModelCheck.EDITOR_LIMITS, start, cancel::isCanceled));
		return issues;
	}
}
