package org.pgmap.dsl.ui;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.jface.text.IDocument;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;
import org.pgmap.dsl.formatting2.FormatText;

/** Format (Ctrl+Shift+F in a .pgmap editor): the layout of the examples, by the language's formatter. */
public class PgmapFormatting extends AbstractHandler {

	/** The formatted text, or the text unchanged when it does not parse. */
	public static String format(String text) throws java.io.IOException {
		return FormatText.format(PgmapUi.injector(), text);
	}

	@Override
	public Object execute(ExecutionEvent event) {
		if (HandlerUtil.getActiveEditor(event) instanceof ITextEditor editor) {
			IDocument doc = editor.getDocumentProvider().getDocument(editor.getEditorInput());
			try {
				String formatted = format(doc.get());
				if (!formatted.equals(doc.get())) {
					doc.replace(0, doc.getLength(), formatted);
				}
			} catch (java.io.IOException | org.eclipse.jface.text.BadLocationException e) {
				// format() gives an unparsable spec back unchanged: these are failures of the formatter itself
				PgmapUi.log("pgmap: formatting failed", e);
			}
		}
		return null;
	}
}
