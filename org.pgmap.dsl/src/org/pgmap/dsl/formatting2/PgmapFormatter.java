package org.pgmap.dsl.formatting2;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.formatting2.AbstractJavaFormatter;
import org.eclipse.xtext.formatting2.IFormattableDocument;
import org.eclipse.xtext.formatting2.regionaccess.IEObjectRegion;
import org.eclipse.xtext.formatting2.regionaccess.IHiddenRegion;
import org.eclipse.xtext.formatting2.regionaccess.ISemanticRegion;
import org.eclipse.xtext.formatting2.regionaccess.ITextRegionAccess;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.SpecHeader;

/**
 * The layout of the examples: one declaration or statement per line, tab indentation inside
 * braces, at most one blank line kept between lines, C spacing around calls ({@code f(a, b)},
 * {@code page.mapping}, {@code vm_lock[i]}), one space elsewhere.
 */
public class PgmapFormatter extends AbstractJavaFormatter {

	private static final Set<String> NO_SPACE_BEFORE = Set.of("(", ")", ",", ".", "[", "]");
	private static final Set<String> NO_SPACE_AFTER = Set.of("(", ".", "[", "!");

	protected void format(Model model, IFormattableDocument doc) {
		ITextRegionAccess access = doc.getRequest().getTextRegionAccess();
		IEObjectRegion root = access.regionForEObject(model);
		if (root == null) {
			return;
		}
		Set<IHiddenRegion> lineStarts = new HashSet<>();
		if (model.getHeader() != null) {
			SpecHeader header = model.getHeader();
			ISemanticRegion uses = access.regionForEObject(header).getAllRegionsFor().keyword("uses");
			if (uses != null) {
				lineStarts.add(uses.getPreviousHiddenRegion());
			}
		}
		for (EObject e : model.getElements()) {
			lineStarts.add(before(access, e));
			if (e instanceof Core) {
				for (ISemanticRegion k : access.regionForEObject(e).getRegionFor().keywords("handoff", "final")) {
					lineStarts.add(k.getPreviousHiddenRegion());
				}
			}
			List<? extends EObject> members = e instanceof Core c ? c.eContents()
					: e instanceof Driver d ? d.getMembers() : e instanceof Scenario s ? s.getThreads() : List.of();
			for (EObject m : members) {
				lineStarts.add(before(access, m));
			}
		}
		for (var it = model.eAllContents(); it.hasNext();) {
			if (it.next() instanceof Block block) {
				block.getStatements().forEach(s -> lineStarts.add(before(access, s)));
			}
		}
		lineStarts.remove(null);

		for (ISemanticRegion region : root.getAllSemanticRegions()) {
			String text = region.getText();
			if (text.equals("{")) {
				ISemanticRegion close = findClose(region);
				if (close != null) {
					doc.interior(region, close, f -> f.indent());
				}
			}
			IHiddenRegion after = region.getNextHiddenRegion();
			ISemanticRegion next = after == null ? null : after.getNextSemanticRegion();
			if (after == null) {
				continue;
			}
			if (next == null) {
				doc.set(after, f -> f.setNewLines(1));
				continue;
			}
			String nextText = next.getText();
			if (text.equals("{") || nextText.equals("}")) {
				doc.set(after, f -> f.setNewLines(1, 1, 2));
			} else if (lineStarts.contains(after)) {
				doc.set(after, f -> f.setNewLines(1, 1, 2));
			} else if (NO_SPACE_BEFORE.contains(nextText) || NO_SPACE_AFTER.contains(text)) {
				doc.set(after, f -> f.noSpace());
			} else {
				doc.set(after, f -> f.oneSpace());
			}
		}
	}

	private static IHiddenRegion before(ITextRegionAccess access, EObject e) {
		IEObjectRegion region = access.regionForEObject(e);
		return region == null ? null : region.getPreviousHiddenRegion();
	}

	/** The brace that closes {@code open}, by counting braces. */
	private static ISemanticRegion findClose(ISemanticRegion open) {
		int depth = 0;
		for (ISemanticRegion r = open; r != null; r = r.getNextSemanticRegion()) {
			if (r.getText().equals("{")) {
				depth++;
			} else if (r.getText().equals("}") && --depth == 0) {
				return r;
			}
		}
		return null;
	}
}
