package org.pgmap.dsl.ui;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.core.filebuffers.FileBuffers;
import org.eclipse.core.filebuffers.ITextFileBuffer;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentExtension4;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.ide.server.symbol.HierarchicalDocumentSymbolService;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.validation.ResourceValidatorImpl;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.ide.editor.PgmapHighlighting;

/**
 * The one parse of an open .pgmap document. {@link PgmapReconciler} parses the document after each
 * pause in typing, on its background thread, into this model's resource set, where the other
 * .pgmap files of the document's folder are loaded once (and again only when one of them
 * changes on disk); the static checks, the outline and the semantic highlighting are computed
 * there too, from the IDE services. Everything else (annotations, outline, coloring, hover,
 * hyperlinks, quick fixes) reads the latest {@link Parse}: its lists as they are, its resource
 * through {@link #read}, which never waits for a parse in progress on the UI thread.
 */
public final class DocumentModel {

	/** One parse of one text of the document: read-only once published. */
	public record Parse(long stamp, String text, XtextResource resource, List<Issue> issues, List<PgmapOutline.Node> outline,
			List<Highlight> highlights) {

		/** Whether this is the parse of the document's current text. */
		public boolean isOf(IDocument document) {
			if (document instanceof IDocumentExtension4 d) {
				return stamp != IDocumentExtension4.UNKNOWN_MODIFICATION_STAMP && stamp == d.getModificationStamp();
			}
			return text.equals(document.get());
		}
	}

	/** A name's semantic highlighting: its offset, length and the ids of {@link PgmapHighlighting}. */
	public record Highlight(int offset, int length, List<String> ids) {
	}

	private static final Map<IDocument, DocumentModel> MODELS = Collections.synchronizedMap(new WeakHashMap<>());

	/** The model of an open document (made on first use). */
	public static DocumentModel of(IDocument document) {
		return MODELS.computeIfAbsent(document, d -> new DocumentModel());
	}

	/** The parse of the document's current text, or null when there is none yet (it is being typed or parsed). */
	public static Parse current(IDocument document) {
		DocumentModel model = document == null ? null : MODELS.get(document);
		Parse parse = model == null ? null : model.latest;
		return parse != null && parse.isOf(document) ? parse : null;
	}

	/** The document is closed: its model goes. */
	static void forget(IDocument document) {
		MODELS.remove(document);
	}

	/** Writers (the reconciler's parse) exclude readers of the resource set. */
	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
	private final List<Consumer<Parse>> listeners = new CopyOnWriteArrayList<>();
	private XtextResourceSet set;
	private URI uri;
	/** The siblings loaded into the set, with the modification stamp of the file they were loaded from. */
	private final Map<IFile, Long> siblings = new HashMap<>();
	private volatile Parse latest;

	private DocumentModel() {
	}

	/** The latest parse, of whatever text the document had then; null before the first. */
	public Parse latest() {
		return latest;
	}

	/** Calls the listener with each new parse, on the reconciler's thread. */
	public void addListener(Consumer<Parse> listener) {
		listeners.add(listener);
	}

	public void removeListener(Consumer<Parse> listener) {
		listeners.remove(listener);
	}

	/**
	 * Runs {@code work} on the resource of {@code parse}, or returns null when the document is
	 * being parsed again and the parse does not end within {@code waitMillis} (0 on the UI thread).
	 */
	public <T> T read(Parse parse, Function<XtextResource, T> work, long waitMillis) {
		try {
			if (!lock.readLock().tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
				return null;
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
		try {
			return work.apply(parse.resource());
		} finally {
			lock.readLock().unlock();
		}
	}

	/**
	 * Parses the document's text, validates it (static checks) and computes its outline and
	 * highlighting; called on the reconciler's thread only. The same text with the same siblings
	 * is not parsed again. Returns the latest parse.
	 */
	Parse reparse(IDocument document, CancelIndicator cancel) {
		long stamp = document instanceof IDocumentExtension4 d ? d.getModificationStamp() : IDocumentExtension4.UNKNOWN_MODIFICATION_STAMP;
		String text = document.get();
		if (document instanceof IDocumentExtension4 d && d.getModificationStamp() != stamp) {
			stamp = IDocumentExtension4.UNKNOWN_MODIFICATION_STAMP; // typed while read: the next reconcile parses again
		}
		IFile file = fileOf(document);
		Parse last = latest;
		if (last != null && last.stamp() == stamp && stamp != IDocumentExtension4.UNKNOWN_MODIFICATION_STAMP && !siblingsChanged(file)) {
			return last;
		}
		Parse parse;
		lock.writeLock().lock();
		try {
			parse = parse(stamp, text, file, cancel);
		} finally {
			lock.writeLock().unlock();
		}
		latest = parse;
		listeners.forEach(l -> l.accept(parse));
		return parse;
	}

	/** A parse of a file no editor has open, for a marker's quick fix: in a resource set of its own, with its folder. */
	static XtextResource parseClosed(IFile file) throws CoreException, IOException {
		DocumentModel model = new DocumentModel();
		model.prepare(file);
		XtextResource resource = (XtextResource) model.set.createResource(model.uri);
		try (InputStream in = file.getContents(true)) {
			resource.load(in, Map.of(XtextResource.OPTION_ENCODING, file.getCharset()));
		}
		return resource;
	}

	private Parse parse(long stamp, String text, IFile file, CancelIndicator cancel) {
		prepare(file);
		Resource old = set.getResource(uri, false);
		if (old != null) {
			set.getResources().remove(old); // readers of the last parse keep their resource; it leaves the set
		}
		XtextResource resource = (XtextResource) set.createResource(uri);
		try {
			resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
					Map.of(XtextResource.OPTION_ENCODING, StandardCharsets.UTF_8.name()));
		} catch (IOException e) {
			throw new IllegalStateException("pgmap: reading a document from memory failed", e);
		}
		// the runtime validator: static checks only (the model check runs on save), fast enough for every pause
		List<Issue> issues = PgmapUi.injector().getInstance(ResourceValidatorImpl.class).validate(resource, CheckMode.FAST_ONLY, cancel);
		var symbols = PgmapUi.injector().getInstance(HierarchicalDocumentSymbolService.class).getSymbols(resource, cancel);
		List<Highlight> highlights = new ArrayList<>();
		PgmapUi.injector().getInstance(ISemanticHighlightingCalculator.class).provideHighlightingFor(resource, (offset, length, ids) -> {
			if (List.of(ids).stream().anyMatch(PgmapHighlighting.MODIFIERS::contains)) {
				highlights.add(new Highlight(offset, length, List.of(ids)));
			}
		}, cancel);
		return new Parse(stamp, text, resource, List.copyOf(issues), PgmapOutline.nodes(symbols, text), List.copyOf(highlights));
	}

	/** The resource set and the document's URI; the siblings loaded, or loaded again when their file changed. */
	private void prepare(IFile file) {
		if (set == null) {
			set = PgmapUi.injector().getInstance(XtextResourceSet.class);
			uri = file != null && file.getLocation() != null ? URI.createFileURI(file.getLocation().toOSString())
					: URI.createURI("synthetic:/document.pgmap");
		}
		if (file == null) {
			return;
		}
		Map<IFile, Long> now = siblingStamps(file);
		for (var it = siblings.entrySet().iterator(); it.hasNext();) {
			var loaded = it.next();
			if (!loaded.getValue().equals(now.get(loaded.getKey()))) {
				Resource r = set.getResource(uriOf(loaded.getKey()), false);
				if (r != null) {
					r.unload();
					set.getResources().remove(r);
				}
				it.remove();
			}
		}
		for (var sibling : now.entrySet()) {
			if (!siblings.containsKey(sibling.getKey())) {
				load(sibling.getKey());
				siblings.put(sibling.getKey(), sibling.getValue());
			}
		}
	}

	/** Loads a sibling as the CLI and the builder load it (SpecChecker); an unreadable one is left out, as they leave it out. */
	private void load(IFile sibling) {
		String problem = SpecChecker.loadFile(set, sibling.getLocation().toFile().toPath());
		if (problem != null) {
			PgmapUi.warn("pgmap: cannot load " + sibling.getFullPath() + " beside the spec being edited: " + problem, null);
		}
	}

	private boolean siblingsChanged(IFile file) {
		return file != null && !siblingStamps(file).equals(siblings);
	}

	/** The other .pgmap files of the file's folder, with their modification stamps. */
	private static Map<IFile, Long> siblingStamps(IFile file) {
		Map<IFile, Long> result = new HashMap<>();
		try {
			for (IResource member : file.getParent().members()) {
				if (member instanceof IFile f && !f.equals(file) && "pgmap".equals(f.getFileExtension()) && f.getLocation() != null) {
					result.put(f, f.getModificationStamp());
				}
			}
		} catch (CoreException e) {
			PgmapUi.warn("pgmap: cannot list the folder of " + file.getFullPath(), e);
		}
		return result;
	}

	private static URI uriOf(IFile file) {
		return URI.createFileURI(file.getLocation().toOSString());
	}

	/** The workspace file the document is the buffer of, or null (a file outside the workspace, a library copy). */
	static IFile fileOf(IDocument document) {
		ITextFileBuffer buffer = FileBuffers.getTextFileBufferManager().getTextFileBuffer(document);
		if (buffer == null || buffer.getLocation() == null) {
			return null;
		}
		IFile file = ResourcesPlugin.getWorkspace().getRoot().getFile(buffer.getLocation());
		return file.exists() && file.getLocation() != null ? file : null;
	}
}
