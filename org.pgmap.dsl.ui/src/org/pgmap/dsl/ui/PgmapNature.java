package org.pgmap.dsl.ui;

import java.util.Arrays;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.runtime.CoreException;

/** A project with this nature has the pgmap builder: its specs are checked on every save. */
public class PgmapNature implements IProjectNature {
	private IProject project;

	@Override
	public void configure() throws CoreException {
		IProjectDescription desc = project.getDescription();
		ICommand[] commands = desc.getBuildSpec();
		if (Arrays.stream(commands).anyMatch(c -> PgmapUi.BUILDER_ID.equals(c.getBuilderName()))) {
			return;
		}
		ICommand command = desc.newCommand();
		command.setBuilderName(PgmapUi.BUILDER_ID);
		ICommand[] next = Arrays.copyOf(commands, commands.length + 1);
		next[commands.length] = command;
		desc.setBuildSpec(next);
		project.setDescription(desc, null);
	}

	@Override
	public void deconfigure() throws CoreException {
		IProjectDescription desc = project.getDescription();
		desc.setBuildSpec(Arrays.stream(desc.getBuildSpec()).filter(c -> !PgmapUi.BUILDER_ID.equals(c.getBuilderName()))
				.toArray(ICommand[]::new));
		project.setDescription(desc, null);
	}

	@Override
	public IProject getProject() {
		return project;
	}

	@Override
	public void setProject(IProject project) {
		this.project = project;
	}

	/** Adds the nature (and so the builder) to a project. */
	public static void addTo(IProject project) throws CoreException {
		IProjectDescription desc = project.getDescription();
		if (desc.hasNature(PgmapUi.NATURE_ID)) {
			return;
		}
		String[] natures = Arrays.copyOf(desc.getNatureIds(), desc.getNatureIds().length + 1);
		natures[natures.length - 1] = PgmapUi.NATURE_ID;
		desc.setNatureIds(natures);
		project.setDescription(desc, null);
	}
}
