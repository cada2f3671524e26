package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.generator.CGenerator;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.check.JsonText;
import org.pgmap.engine.ModelPrinter;
import org.pgmap.engine.PromelaGenerator;
import org.pgmap.engine.model.ExecModel;

/**
 * Checks the project's specs when they change: the static checks and the model check of every
 * scenario (the IDE module's validator), as problem markers whose pgmapId attribute is the issue
 * code or the rule id; then writes the generators' output into src-gen/&lt;spec&gt;/. It runs in the
 * workspace's background build job: the progress monitor shows it and its cancel stops the
 * model check, and a new save cancels the running build (the workspace does that).
 */
public class PgmapBuilder extends IncrementalProjectBuilder {

	@Override
	protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
		List<IFile> files = new ArrayList<>();
		IResourceDelta delta = kind == FULL_BUILD ? null : getDelta(getProject());
		if (delta == null) {
			getProject().accept(r -> {
				if (isSpec(r)) {
					files.add((IFile) r);
				}
				return !"src-gen".equals(r.getName());
			});
		} else {
			delta.accept(d -> {
				if (isSpec(d.getResource()) && d.getKind() != IResourceDelta.REMOVED) {
					files.add((IFile) d.getResource());
				}
				return true;
			});
		}
		SubMonitor sub = SubMonitor.convert(monitor, "pgmap: checking " + files.size() + " spec(s)", files.size());
		for (IFile file : files) {
			if (sub.isCanceled()) {
				break;
			}
			sub.subTask(file.getName());
			check(file, sub.split(1), () -> sub.isCanceled() || isInterrupted());
		}
		return null;
	}

	private static boolean isSpec(IResource r) {
		return r.getType() == IResource.FILE && "pgmap".equals(r.getFileExtension()) && !r.getProjectRelativePath().segment(0).equals("src-gen");
	}

	/** Validates one spec (static checks and model check), marks it, and runs the generators. */
	public static void check(IFile file, IProgressMonitor monitor, java.util.function.BooleanSupplier cancelled)
			throws CoreException {
		XtextResourceSet set = PgmapUi.injector().getInstance(XtextResourceSet.class);
		set.addLoadOption(XtextResource.OPTION_ENCODING, file.getCharset());
		// the other specs of the folder, for cores defined beside the spec
		if (file.getParent() != null) {
			for (IResource sibling : file.getParent().members()) {
				if (sibling != file && isSpec(sibling)) {
					load(set, (IFile) sibling);
				}
			}
		}
		Resource resource = load(set, file);
		IResourceValidator validator = PgmapUi.injector().getInstance(IResourceValidator.class);
		List<Issue> issues = validator.validate(resource, CheckMode.ALL, cancelled::getAsBoolean);
		if (cancelled.getAsBoolean()) {
			return;
		}
		file.deleteMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO);
		boolean errors = false;
		for (Issue issue : issues) {
			if (issue.getUriToProblem() != null && !issue.getUriToProblem().trimFragment().equals(resource.getURI())) {
				continue;
			}
			IMarker marker = file.createMarker(PgmapUi.MARKER_ID);
			marker.setAttribute(IMarker.MESSAGE, "[" + issue.getCode() + "] " + issue.getMessage());
			marker.setAttribute(IMarker.SEVERITY, issue.getSeverity() == Severity.ERROR ? IMarker.SEVERITY_ERROR
					: issue.getSeverity() == Severity.WARNING ? IMarker.SEVERITY_WARNING : IMarker.SEVERITY_INFO);
			if (issue.getLineNumber() != null) {
				marker.setAttribute(IMarker.LINE_NUMBER, issue.getLineNumber().intValue());
			}
			if (issue.getOffset() != null && issue.getLength() != null) {
				marker.setAttribute(IMarker.CHAR_START, issue.getOffset().intValue());
				marker.setAttribute(IMarker.CHAR_END, issue.getOffset() + Math.max(1, issue.getLength()));
			}
			marker.setAttribute(PgmapUi.ATTR_ID, issue.getCode());
			if (issue.getData() != null && issue.getData().length > 0) {
				String data = String.join("\n", issue.getData());
				marker.setAttribute(PgmapUi.ATTR_DATA, data.length() > 60_000 ? data.substring(data.indexOf('\n') + 1) : data);
			}
			errors |= issue.getSeverity() == Severity.ERROR;
		}
		if (!resource.getContents().isEmpty() && resource.getContents().get(0) instanceof Model model && model.getHeader() != null
				&& !hasStaticErrors(issues)) {
			generate(file, model, issues, errors);
		}
	}

	private static boolean hasStaticErrors(List<Issue> issues) {
		return issues.stream().anyMatch(i -> i.getSeverity() == Severity.ERROR && i.getCode() != null && !i.getCode().matches("R\\d+|WARN"));
	}

	/** src-gen/<spec>/: Promela and model JSON always; the C only when the spec passes (a failing one keeps the old C). */
	private static void generate(IFile file, Model model, List<Issue> issues, boolean failing) throws CoreException {
		List<ExecModel> models;
		try {
			models = ModelCompiler.compile(model);
		} catch (ModelCompiler.CompileError e) {
			return;
		}
		IProject project = file.getProject();
		IFolder srcGen = project.getFolder("src-gen");
		if (!srcGen.exists()) {
			srcGen.create(true, true, null);
			srcGen.setDerived(true, null);
		}
		String spec = CGenerator.ident(model.getHeader().getName());
		IFolder dir = srcGen.getFolder(spec);
		if (!dir.exists()) {
			dir.create(true, true, null);
		}
		// as `pgmap generate --force` writes them: the Promela and the model of a failing spec carry its warning
		List<String> violated = issues.stream().map(Issue::getCode).filter(c -> c != null && c.matches("R\\d+|WARN")).distinct()
				.sorted().toList();
		org.pgmap.engine.ProofWarning warning = org.pgmap.engine.ProofWarning.of(model.getHeader().getName(), violated);
		for (ExecModel m : models) {
			write(dir.getFile(spec + "." + CGenerator.ident(m.scenario()) + ".pml"), PromelaGenerator.generate(m, warning));
		}
		write(dir.getFile(spec + ".model.json"),
				JsonText.write(ModelPrinter.generated(model.getHeader().getTitle(), file.getName(), models, warning)));
		if (!failing) {
			for (var f : CGenerator.generate(model, file.getName(), List.of()).entrySet()) {
				write(dir.getFile(f.getKey()), f.getValue());
			}
		}
	}

	private static void write(IFile file, String content) throws CoreException {
		var in = new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
		if (file.exists()) {
			file.setContents(in, true, false, null);
		} else {
			file.create(in, true, null);
		}
		file.setDerived(true, null);
	}

	private static Resource load(XtextResourceSet set, IFile file) throws CoreException {
		URI uri = URI.createFileURI(file.getLocation().toOSString());
		Resource resource = set.getResource(uri, false);
		if (resource == null) {
			resource = set.createResource(uri);
			try (var in = file.getContents(true)) {
				resource.load(in, set.getLoadOptions());
			} catch (java.io.IOException e) {
				throw new CoreException(org.eclipse.core.runtime.Status.error("cannot read " + file.getFullPath(), e));
			}
		}
		return resource;
	}
}
