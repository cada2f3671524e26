package org.pgmap.dsl.ui;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Path;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.IDE;

/**
 * For ./pgmap ide: -Dpgmap.importExamples=DIR makes DIR the workspace project "examples" with
 * the pgmap nature; -Dpgmap.open=PATH (relative to it) opens that spec once it is checked and
 * shows the trace of its first rule violation.
 */
public class ExamplesStartup implements IStartup {

	@Override
	public void earlyStartup() {
		String dir = System.getProperty("pgmap.importExamples");
		if (dir == null) {
			return;
		}
		Job job = Job.create("pgmap: importing the examples", (IProgressMonitor monitor) -> {
			try {
				IWorkspace ws = ResourcesPlugin.getWorkspace();
				IProject project = ws.getRoot().getProject("examples");
				if (!project.exists()) {
					IProjectDescription desc = ws.newProjectDescription("examples");
					desc.setLocation(Path.fromOSString(dir));
					project.create(desc, monitor);
				}
				project.open(monitor);
				PgmapNature.addTo(project);
				Job.getJobManager().join(ResourcesPlugin.FAMILY_AUTO_BUILD, monitor);
				String open = System.getProperty("pgmap.open");
				if (open != null) {
					IFile file = project.getFile(open);
					PlatformUI.getWorkbench().getDisplay().asyncExec(() -> {
						try {
							var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
							page.showView("org.eclipse.ui.views.ProblemView");
							IDE.openEditor(page, file);
							for (IMarker m : file.findMarkers(PgmapUi.MARKER_ID, false, IResource.DEPTH_ZERO)) {
								if (m.getAttribute(PgmapUi.ATTR_DATA, "").startsWith("<svg")) {
									TraceView.open(m);
									break;
								}
							}
							IDE.openEditor(page, file);
						} catch (CoreException e) {
							PgmapUi.log("pgmap: cannot open " + file.getFullPath() + " with its trace", e);
						}
					});
				}
				return Status.OK_STATUS;
			} catch (CoreException e) {
				return Status.error("pgmap: cannot import " + dir, e); // the job's error status goes to the platform log
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return Status.CANCEL_STATUS;
			}
		});
		job.schedule();
	}

	static IStatus ok() {
		return Status.OK_STATUS;
	}
}
