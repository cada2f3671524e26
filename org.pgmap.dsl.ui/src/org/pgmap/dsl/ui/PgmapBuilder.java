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
import org.eclipse.core.runtime.Platform;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.generator.PgmapGenerator;
import org.pgmap.dsl.ide.check.EditorModelCheck;
import org.pgmap.dsl.ide.check.ModelCheckingResourceValidator;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.Explorer.Limits;

/**
 * Checks the project's specs when they change, through the check service the CLI and the
 * language server use: the static checks and the model check of every scenario, as problem
 * markers whose pgmapId attribute is the issue code or the rule id; then writes what the
 * service's generation policy gives the builder into src-gen/&lt;spec&gt;/. It runs in the
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

	/**
	 * Checks one spec through the check service, as the CLI and the language server do: loads it
	 * with its folder's siblings, runs the static checks, then (without a static error) the model
	 * check of every scenario within the editor's limits; marks what they found, and writes what
	 * the service's policy generates for the builder into src-gen/&lt;spec&gt;/.
	 */
	public static void check(IFile file, IProgressMonitor monitor, java.util.function.BooleanSupplier cancelled)
			throws CoreException {
		long start = System.nanoTime();
		XtextResourceSet set = PgmapUi.injector().getInstance(XtextResourceSet.class);
		set.addLoadOption(XtextResource.OPTION_ENCODING, file.getCharset());
		// the static checks only: the model check runs below, once, through the check service
		set.addLoadOption(ModelCheckingResourceValidator.MODEL_CHECK_IN_BACKGROUND, Boolean.TRUE);
		Resource resource;
		try {
			resource = SpecChecker.loadWithSiblings(set, file.getLocation().toFile().toPath());
		} catch (java.io.IOException e) {
			file.deleteMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO);
			IMarker marker = file.createMarker(PgmapUi.MARKER_ID);
			marker.setAttribute(IMarker.MESSAGE, "[" + IssueCodes.UNREADABLE + "] " + e.getMessage());
			marker.setAttribute(IMarker.SEVERITY, IMarker.SEVERITY_ERROR);
			marker.setAttribute(PgmapUi.ATTR_ID, IssueCodes.UNREADABLE);
			return;
		}
		IResourceValidator validator = PgmapUi.injector().getInstance(IResourceValidator.class);
		List<Issue> issues = new ArrayList<>(validator.validate(resource, CheckMode.ALL, cancelled::getAsBoolean));
		Model spec = issues.stream().anyMatch(i -> i.getSeverity() == Severity.ERROR) ? null : CheckService.specOf(resource);
		CheckService.SpecResult checked = null;
		if (spec != null && !cancelled.getAsBoolean()) {
			checked = EditorModelCheck.check((XtextResource) resource, spec, Limits.EDITOR, start, cancelled,
					e -> Platform.getLog(PgmapBuilder.class).error("pgmap: internal error while model-checking " + file.getFullPath(), e));
			issues.addAll(EditorModelCheck.issues((XtextResource) resource, spec, checked, Limits.EDITOR));
		}
		if (cancelled.getAsBoolean()) {
			return;
		}
		mark(file, resource, issues);
		if (checked != null) {
			CheckService service = PgmapUi.injector().getInstance(CheckService.class);
			Map<String, String> files = service.generate(checked, file.getName(), false, CheckService.Generation.MODELS_ALWAYS);
			if (files != null) {
				write(file.getProject(), PgmapGenerator.folderName(spec), files);
			}
		}
	}

	/** Replaces the file's markers by one per issue: the message with its [code], the code, and a model-check finding's trace. */
	private static void mark(IFile file, Resource resource, List<Issue> issues) throws CoreException {
		file.deleteMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO);
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
		}
	}

	/** src-gen/<spec>/: the files the check service's policy generated (a failing spec's C is never among them). */
	private static void write(IProject project, String folder, Map<String, String> files) throws CoreException {
		IFolder srcGen = project.getFolder("src-gen");
		if (!srcGen.exists()) {
			srcGen.create(true, true, null);
			srcGen.setDerived(true, null);
		}
		IFolder dir = srcGen.getFolder(folder);
		if (!dir.exists()) {
			dir.create(true, true, null);
		}
		for (Map.Entry<String, String> f : files.entrySet()) {
			write(dir.getFile(f.getKey()), f.getValue());
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
}
