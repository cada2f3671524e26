package org.pgmap.dsl.ide.server;

import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.util.ITextRegion;
import org.eclipse.xtext.util.TextRegion;

/**
 * An open document whose positions a client may get wrong: a character past the end of its line
 * means the line's end (as LSP says), a negative position or a line past the last one is an
 * "invalid params" error that names the position and the document's size, never its text.
 */
public class CheckedDocument extends Document {

	public CheckedDocument(Integer version, String contents) {
		super(version, contents, false);
	}

	@Override
	public int getOffSet(Position position) {
		String text = getContents();
		int line = position.getLine();
		int character = position.getCharacter();
		int lines = getLineCount();
		if (line < 0 || character < 0 || line >= lines) {
			throw invalid("position " + describe(position) + " is outside the document, which has " + lines + " lines");
		}
		int start = 0;
		for (int l = 0; l < line; l++) {
			start = text.indexOf('\n', start) + 1;
		}
		int end = text.indexOf('\n', start);
		if (end < 0) {
			end = text.length();
		}
		if (end > start && text.charAt(end - 1) == '\r') {
			end--;
		}
		return Math.min(start + character, end);
	}

	@Override
	public ITextRegion getTextRegion(Range range) {
		int start = getOffSet(range.getStart());
		int end = getOffSet(range.getEnd());
		if (end < start) {
			throw invalid("range " + describe(range.getStart()) + " - " + describe(range.getEnd()) + " ends before it starts");
		}
		return new TextRegion(start, end - start);
	}

	/** Applies the edits one after the other (each range refers to the text the previous one left). */
	@Override
	public Document applyTextDocumentChanges(Iterable<? extends TextDocumentContentChangeEvent> changes) {
		Integer version = getVersion() == null ? null : getVersion() + 1;
		CheckedDocument current = this;
		for (TextDocumentContentChangeEvent change : changes) {
			String text = change.getText() == null ? "" : change.getText();
			if (change.getRange() != null) {
				ITextRegion r = current.getTextRegion(change.getRange());
				String old = current.getContents();
				text = old.substring(0, r.getOffset()) + text + old.substring(r.getEndOffset());
			}
			current = new CheckedDocument(version, text);
		}
		return current;
	}

	private static String describe(Position p) {
		return "(line " + p.getLine() + ", character " + p.getCharacter() + ")";
	}

	private static ResponseErrorException invalid(String message) {
		return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidParams, message, null));
	}
}
