package org.pgmap.dsl.ui;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.text.IDocument;
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
import org.eclipse.swt.graphics.Color;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.IGrammarAccess;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.PgmapType;

/**
 * Coloring of .pgmap files in the Generic Editor: the grammar's keywords, the kernel functions
 * (builtins and op roles), the pgmap types, comments and strings.
 */
public class PgmapPresentationReconciler extends PresentationReconciler {

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
}
