package org.pgmap.dsl.scoping;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.pgmap.dsl.library.PgmapLibrary;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.validation.IssueCodes;

/** "'mdevice_lok' is not declared: ..." instead of Xtext's "Couldn't resolve reference". */
public class PgmapLinkingMessages extends LinkingDiagnosticMessageProvider {

	@Override
	public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
		EClass type = context.getReference().getEReferenceType();
		String name = context.getLinkText();
		String what;
		if (type == Literals.CORE) {
			what = "no core of that name in this project or the library (" + String.join(", ", PgmapLibrary.FILES) + ")";
		} else if (type == Literals.PROCEDURE) {
			what = "no procedure of the drivers and no helper of the core has that name";
		} else if (type == Literals.SYMBOL) {
			what = "no variable assigned before this statement, parameter, lock, pool, object or pagemap has that name";
		} else if (type == Literals.LOCK) {
			what = "the driver declares no lock of that name";
		} else {
			what = "no " + type.getName().toLowerCase() + " of that name is declared";
		}
		return new DiagnosticMessage("'" + name + "' is not declared: " + what, Severity.ERROR, IssueCodes.UNDEFINED_NAME);
	}
}
