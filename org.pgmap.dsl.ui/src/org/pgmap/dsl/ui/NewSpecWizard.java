package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.WizardNewFileCreationPage;
import org.eclipse.ui.ide.IDE;

/**
 * New > pgmap driver spec: a spec of a driver with a free list under a spinlock on the v6.1
 * core, its page_free and migrate_to_ram, and a scenario of two migrations, ready to edit; the
 * project gets the pgmap nature so the spec is checked on every save.
 */
public class NewSpecWizard extends Wizard implements INewWizard {
	private WizardNewFileCreationPage page;
	private IStructuredSelection selection;

	/** The spec a new file starts with, for a driver named after the file. */
	public static String template(String name) {
		String d = name.replaceAll("[^A-Za-z0-9_]", "_");
		return """
				// What it models: the %1$s driver's page allocation and page_free on the v6.1 core.
				// Kernel source: (name the driver file and the kernel version it follows)
				// Expected verdict of the model check: PASS (no rule is violated).
				spec %1$s "%1$s on v6.1"
				uses core v6_1

				pagemap %1$s_mem type MEMORY_DEVICE_PRIVATE pages 2 ops %1$s

				driver %1$s {
					spinlock lock
					freelist free_pages linked by zone_device_data guarded by lock holds %1$s_mem

					alloc %1$s_alloc_page() {
						spin_lock(lock)
						page = pop(free_pages) else {
							spin_unlock(lock)
							return none
						}
						spin_unlock(lock)
						zone_device_page_init(page)
						return page
					}

					op page_free %1$s_page_free(page) {
						spin_lock(lock)
						push(free_pages, page)
						spin_unlock(lock)
					}

					op migrate_to_ram %1$s_migrate_to_ram(page) {
						lock_page(page)
						unlock_page(page)
					}
				}

				scenario two_migrations {
					thread user[2] {
						p = %1$s_alloc_page() else return
						get_page(p) // the new mapping's reference
						unlock_page(p)
						put_page(p) // the allocation reference
						put_page(p) // unmap: the last reference
					}
				}
				""".formatted(d);
	}

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
		this.selection = selection;
		setWindowTitle("New pgmap driver spec");
	}

	@Override
	public void addPages() {
		page = new WizardNewFileCreationPage("spec", selection) {
			@Override
			protected InputStream getInitialContents() {
				String name = getFileName().replaceFirst("\\.pgmap$", "");
				return new ByteArrayInputStream(template(name).getBytes(StandardCharsets.UTF_8));
			}
		};
		page.setTitle("pgmap driver spec");
		page.setDescription("A driver's page allocation and page_free, and a scenario, checked on every save.");
		page.setFileExtension("pgmap");
		page.setFileName("my_driver.pgmap");
		addPage(page);
	}

	@Override
	public boolean performFinish() {
		IFile file = page.createNewFile();
		if (file == null) {
			return false;
		}
		try {
			PgmapNature.addTo(file.getProject());
			IDE.openEditor(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage(), file);
		} catch (CoreException e) {
			PgmapUi.log("pgmap: " + file.getFullPath() + " was created, but the pgmap nature or its editor could not be added", e);
			return true; // the file exists; the nature or the editor can be added by hand
		}
		return true;
	}

	/** For tests: the file page. */
	public WizardNewFileCreationPage filePage() {
		return page;
	}
}
