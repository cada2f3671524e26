package org.pgmap.dsl.ide.server;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.xbase.lib.Procedures.Procedure2;
import org.pgmap.dsl.ide.check.EditorModelCheck;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Explorer.Limits;

import com.google.inject.Inject;
import com.google.inject.Singleton;

/**
 * The model check of each open document, off the build thread. Once the build has published a
 * document's static diagnostics, the document is compiled and checked on a thread of its own
 * within the editor's limits ({@link Limits#EDITOR}: the seconds cover
 * compiling and every scenario), and then its static and model diagnostics are published
 * together. The next validation of the document cancels its check; a check still running past
 * its limit (a compilation cannot be interrupted) is given up and its result dropped, and the
 * document's next check waits for that thread rather than pile up beside it. So one expensive
 * document never delays another, and no document's diagnostics go back to older text.
 */
@Singleton
public class BackgroundModelChecks {

	/** How long past its time limit a check may take to stop before it is given up. */
	private static final long GRACE_MILLIS = 1000;

	@Inject
	private IResourceServiceProvider.Registry languages;

	private final Limits limits = Limits.EDITOR;
	private final PrintStream log = System.err;

	/** The latest check of each document, waiting, running or done; guarded by this. */
	private final Map<URI, Check> latest = new HashMap<>();
	/** Documents with a thread still at work on a check, perhaps one cancelled since; guarded by this. */
	private final Set<URI> busy = new HashSet<>();
	private boolean shutDown;

	private final ExecutorService threads = Executors.newCachedThreadPool(daemon("pgmap-model-check"));
	private final ScheduledExecutorService limitTimer = Executors.newSingleThreadScheduledExecutor(daemon("pgmap-check-limit"));

	/**
	 * Called on the build thread when the static checks of {@code uri} are done: publishes them,
	 * and starts the model check of an open document ({@code open} not null) without static
	 * errors, cancelling the check of its earlier text. The same text again (the build redoes a
	 * document whose build was cancelled) keeps its check and its result.
	 */
	public synchronized void validated(URI uri, List<Issue> staticIssues, DocumentSnapshot open,
			Procedure2<? super URI, ? super Iterable<Issue>> publish) {
		boolean clean = staticIssues.stream().noneMatch(i -> i.getSeverity() == Severity.ERROR);
		Check last = latest.get(uri);
		if (last != null && clean && last.doc.equals(open)) {
			last.staticIssues = staticIssues;
			publish.apply(uri, last.result == null ? staticIssues : concat(staticIssues, last.result));
			return;
		}
		if (last != null) {
			latest.remove(uri);
			last.cancel();
		}
		publish.apply(uri, staticIssues);
		if (open == null || !clean || shutDown) {
			return;
		}
		Check check = new Check(open, staticIssues, publish);
		latest.put(uri, check);
		check.limit = limitTimer.schedule(() -> publish(check, List.of(check.givenUp)),
				(long) (limits.maxSeconds() * 1000) + GRACE_MILLIS, TimeUnit.MILLISECONDS);
		if (!busy.contains(uri)) {
			start(check);
		}
	}

	/** Cancels every check; later validations publish their static issues only. */
	public synchronized void shutdown() {
		shutDown = true;
		latest.values().forEach(Check::cancel);
		latest.clear();
		threads.shutdownNow();
		limitTimer.shutdownNow();
	}

	private void start(Check check) {
		check.started = true;
		busy.add(check.doc.uri());
		threads.execute(() -> {
			List<Issue> modelIssues = List.of();
			try {
				modelIssues = check.modelIssues();
			} finally {
				done(check, modelIssues);
			}
		});
	}

	/** A check's thread is free: publish, and start the document's next check if one waits for the thread. */
	private synchronized void done(Check check, List<Issue> modelIssues) {
		busy.remove(check.doc.uri());
		publish(check, modelIssues);
		Check next = latest.get(check.doc.uri());
		if (next != null && !next.started && !shutDown) {
			start(next);
		}
	}

	/** Publishes a check's result unless a later text or the time limit came first. */
	private synchronized void publish(Check check, List<Issue> modelIssues) {
		if (latest.get(check.doc.uri()) != check || check.result != null || check.cancelled) {
			return;
		}
		check.cancel();
		check.result = modelIssues;
		check.publish.apply(check.doc.uri(), concat(check.staticIssues, modelIssues));
	}

	private static List<Issue> concat(List<Issue> a, List<Issue> b) {
		List<Issue> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	/** One text's model check; its fields other than the volatile ones are guarded by the enclosing instance. */
	private final class Check {
		final DocumentSnapshot doc;
		final Procedure2<? super URI, ? super Iterable<Issue>> publish;
		final long start = System.nanoTime();
		List<Issue> staticIssues;
		/** The model issues once published. */
		List<Issue> result;
		Future<?> limit;
		boolean started;
		volatile boolean cancelled;
		/** What the document shows if the check is given up; on the uses line once the spec is parsed. */
		volatile Issue givenUp;

		Check(DocumentSnapshot doc, List<Issue> staticIssues, Procedure2<? super URI, ? super Iterable<Issue>> publish) {
			this.doc = doc;
			this.staticIssues = staticIssues;
			this.publish = publish;
			this.givenUp = EditorModelCheck.timedOut(null, limits);
		}

		void cancel() {
			cancelled = true;
			if (limit != null) {
				limit.cancel(false);
			}
		}

		/** Parses the snapshot into a resource set of its own (the build's belongs to the build) and checks it. */
		List<Issue> modelIssues() {
			Model model = null;
			try {
				XtextResource resource = doc.parseInto(languages.getResourceServiceProvider(doc.uri()).get(XtextResourceSet.class));
				if (resource.getContents().isEmpty() || !(resource.getContents().get(0) instanceof Model parsed)) {
					return List.of();
				}
				model = parsed;
				givenUp = EditorModelCheck.timedOut(model, limits);
				return EditorModelCheck.run(resource, model, limits, start, () -> cancelled, e -> {
					if (!cancelled) {
						log.println("pgmap language server: internal error while model-checking " + doc.uri() + ", please report it:");
						e.printStackTrace(log);
					}
				});
			} catch (OutOfMemoryError e) {
				return List.of(EditorModelCheck.onUsesLine(model, Severity.INFO, org.pgmap.dsl.validation.IssueCodes.INCOMPLETE,
						"not model-checked while editing: the language server ran out of memory; run pgmap check"));
			} catch (IOException | RuntimeException | StackOverflowError e) {
				if (!cancelled) {
					log.println("pgmap language server: internal error while model-checking " + doc.uri() + ", please report it:");
					e.printStackTrace(log);
				}
				return List.of(EditorModelCheck.onUsesLine(model, Severity.ERROR, org.pgmap.dsl.validation.IssueCodes.INTERNAL_ERROR, "pgmap could not model-check this file ("
						+ e.getClass().getSimpleName() + "); please report it with the file attached"));
			}
		}
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return task -> {
			Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}
}
