package org.pgmap.dsl.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IRegion;
import org.eclipse.jface.text.ITextPresentationListener;
import org.eclipse.jface.text.ITextViewer;
import org.eclipse.jface.text.ITextViewerExtension4;
import org.eclipse.jface.text.TextPresentation;
import org.eclipse.jface.text.TextAttribute;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.jface.text.rules.DefaultDamagerRepairer;
import org.eclipse.jface.text.rules.EndOfLineRule;
import org.eclipse.jface.text.rules.IRule;
import org.eclipse.jface.text.rules.IToken;
import org.eclipse.jface.text.rules.IWordDetector;
import org.eclipse.jface.text.rules.MultiLineRule;
import org.eclipse.jface.text.rules.RuleBasedScanner;
import org.eclipse.jface.text.rules.SingleLineRule;
import org.eclipse.jface.text.rules.Token;
import org.eclipse.jface.text.rules.WordRule;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.graphics.Color;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.IGrammarAccess;
import org.pgmap.dsl.ide.editor.PgmapHighlighting;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.PgmapType;

/**
 * Coloring of .pgmap files in the Generic Editor: as you type, the grammar's keywords, the kernel
 * functions (builtins and op roles), the pgmap types, comments and strings, from the text alone;
 * and once the document is parsed ({@link DocumentModel}), each name by what it refers to (lock,
 * pool, driver object, pagemap), from the IDE's semantic highlighting, the same the language
 * server's semantic tokens carry.
 */
public class PgmapPresentationReconciler extends PresentationReconciler {

	static final Color LOCK = new Color(0, 128, 128);
	static final Color POOL = new Color(180, 90, 0);
	static final Color OBJECT = new Color(128, 64, 64);
	static final Color PAGEMAP = new Color(128, 64, 0);

	private static final Map<String, Color> SEMANTIC = Map.of(PgmapHighlighting.LOCK, LOCK, PgmapHighlighting.POOL, POOL,
			PgmapHighlighting.OBJECT, OBJECT, PgmapHighlighting.PAGEMAP, PAGEMAP);

	private ITextViewer viewer;
	private final ITextPresentationListener semantic = this::mergeSemanticColors;

	public PgmapPresentationReconciler() {
		IToken keyword = new Token(new TextAttribute(new Color(127, 0, 85), null, SWT.BOLD));
		IToken kernel = new Token(new TextAttribute(new Color(0, 64, 160)));
		IToken type = new Token(new TextAttribute(new Color(128, 64, 0), null, SWT.ITALIC));
		IToken comment = new Token(new TextAttribute(new Color(63, 127, 95)));
		IToken string = new Token(new TextAttribute(new Color(42, 0, 255)));
		WordRule words = new WordRule(new IWordDetector() {
			@Override
			public boolean isWordStart(char c) {
				return Character.isLetter(c) || c == '_';
			}

			@Override
			public boolean isWordPart(char c) {
				return Character.isLetterOrDigit(c) || c == '_';
			}
		}, new Token(null)); // other identifiers are consumed whole, so "free_pages" is not colored as "pages"
		for (String k : GrammarUtil.getAllKeywords(PgmapUi.injector().getInstance(IGrammarAccess.class).getGrammar())) {
			if (!k.isEmpty() && Character.isLetter(k.charAt(0))) {
				words.addWord(k, keyword);
			}
		}
		for (Builtin b : Builtin.values()) {
			words.addWord(b.getLiteral(), kernel);
		}
		for (OpRole r : OpRole.values()) {
			words.addWord(r.getLiteral(), kernel);
		}
		for (PgmapType t : PgmapType.values()) {
			words.addWord(t.getLiteral(), type);
		}
		List<IRule> rules = new ArrayList<>();
		rules.add(new EndOfLineRule("//", comment));
		rules.add(new MultiLineRule("/*", "*/", comment));
		rules.add(new SingleLineRule("\"", "\"", string, '\\'));
		rules.add(words);
		RuleBasedScanner scanner = new RuleBasedScanner();
		scanner.setRules(rules.toArray(new IRule[0]));
		DefaultDamagerRepairer dr = new DefaultDamagerRepairer(scanner);
		setDamager(dr, IDocument.DEFAULT_CONTENT_TYPE);
		setRepairer(dr, IDocument.DEFAULT_CONTENT_TYPE);
	}

	@Override
	public void install(ITextViewer textViewer) {
		super.install(textViewer);
		viewer = textViewer;
		if (textViewer instanceof ITextViewerExtension4 ext) {
			ext.addTextPresentationListener(semantic);
		}
	}

	@Override
	public void uninstall() {
		if (viewer instanceof ITextViewerExtension4 ext) {
			ext.removeTextPresentationListener(semantic);
		}
		super.uninstall();
	}

	/** The semantic colors of the latest parse, if it is of the current text (else the next parse brings them). */
	private void mergeSemanticColors(TextPresentation presentation) {
		DocumentModel.Parse parse = viewer == null ? null : DocumentModel.current(viewer.getDocument());
		if (parse == null) {
			return;
		}
		IRegion extent = presentation.getExtent();
		List<StyleRange> ranges = new ArrayList<>();
		for (DocumentModel.Highlight h : parse.highlights()) {
			Color color = h.ids().stream().map(SEMANTIC::get).filter(c -> c != null).findFirst().orElse(null);
			if (color != null && h.offset() >= extent.getOffset() && h.offset() + h.length() <= extent.getOffset() + extent.getLength()) {
				ranges.add(new StyleRange(h.offset(), h.length(), color, null, SWT.ITALIC));
			}
		}
		presentation.mergeStyleRanges(ranges.toArray(new StyleRange[0]));
	}
}
