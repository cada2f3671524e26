package org.pgmap.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.xtext.util.CancelIndicator;
import org.pgmap.dsl.check.CheckService;
import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.validation.IssueCodes;
import org.pgmap.engine.model.ExecModel;

/**
 * {@code pgmap check}'s front end: each file's static findings and, unless {@code --static}, its
 * executable models (or the problem that stopped their compilation). A file whose entry is in the
 * front-end cache ({@link FrontEndCache}) is answered from there; the others go through the Xtext
 * pipeline ({@link Live}, the only class here that touches Xtext, so that a run the cache answers
 * completely never loads it) and, when their front end ran to its end, fill the cache.
 */
final class CheckFrontEnd {
	private CheckFrontEnd() {
	}

	/**
	 * What the front end made of one file, all a report needs from it. {@code complete}: the
	 * compilation ran when it had to (false only for a spec without errors under --static); then
	 * {@code models} are the scenarios' executable models, or null (errors, no spec, or a compile
	 * error, which is in {@code problems}).
	 */
	record Result(String displayName, List<Diagnostic> diagnostics, boolean complete, List<ExecModel> models,
			List<Diagnostic> problems) {
	}

	/** The front end of the files (in order, each once), through the cache when {@code cache} is not null. */
	static List<Result> run(SpecCommand command, Session session, List<Path> files, ModelCheckOptions limits, boolean staticOnly,
			FrontEndCache cache) {
		Set<Path> distinct = new LinkedHashSet<>(); // as the checker takes them: absolute, each once
		for (Path f : files) {
			distinct.add(f.toAbsolutePath().normalize());
		}
		List<Path> all = new ArrayList<>(distinct);
		Result[] results = new Result[all.size()];
		String[] keys = new String[all.size()];
		List<Path> missing = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			keys[i] = cache == null ? null : cache.key(all.get(i));
			results[i] = keys[i] == null ? null : cache.read(keys[i]);
			if (results[i] == null) {
				missing.add(all.get(i));
			}
		}
		if (missing.isEmpty()) {
			return List.of(results);
		}
		List<Result> computed = Live.run(command, session, missing, limits, staticOnly);
		for (int i = 0, j = 0; i < results.length; i++) {
			if (results[i] == null) {
				results[i] = computed.get(j++);
				// stored only when the files are still those the key was made of
				if (keys[i] != null && cacheable(results[i]) && keys[i].equals(cache.key(all.get(i)))) {
					cache.write(keys[i], results[i]);
				}
			}
		}
		return List.of(results);
	}

	/** A front end that ran to its end: not cut by a limit, no internal error, the compilation done. */
	private static boolean cacheable(Result r) {
		return r.complete() && r.diagnostics().stream().noneMatch(CheckFrontEnd::cut)
				&& r.problems().stream().noneMatch(CheckFrontEnd::cut);
	}

	private static boolean cut(Diagnostic d) {
		return d.id().equals(IssueCodes.TIME_LIMIT) || d.id().equals(IssueCodes.INTERNAL_ERROR);
	}

	/** The front end through Xtext: parse with the folder's siblings and the library, validate, compile. */
	static final class Live {
		private Live() {
		}

		static List<Result> run(SpecCommand command, Session session, List<Path> files, ModelCheckOptions limits, boolean staticOnly) {
			CheckService service = command.service();
			List<FileResult> parsed = service.specs().check(files, f -> session.currentFile = session.display(f),
					StaticChecks.phases(limits), limits.timeLimitName());
			List<Result> out = new ArrayList<>();
			for (FileResult r : parsed) {
				session.currentFile = r.displayName();
				Model spec = r.hasErrors() ? null : CheckService.specOf(r.resource());
				if (spec == null || staticOnly) {
					out.add(new Result(r.displayName(), r.diagnostics(), spec == null, null, List.of()));
					continue;
				}
				List<Diagnostic> problems = new ArrayList<>();
				List<ExecModel> models = service.compile(spec, r.displayName(), limits.phases().get(), problems);
				out.add(new Result(r.displayName(), r.diagnostics(), true, models, problems));
			}
			session.currentFile = null;
			return out;
		}
	}

	/** --max-seconds as the static checks take it: a fresh limit per file. */
	static final class StaticChecks {
		private StaticChecks() {
		}

		static Supplier<CancelIndicator> phases(ModelCheckOptions limits) {
			Supplier<BooleanSupplier> phases = limits.phases();
			return () -> phases.get()::getAsBoolean;
		}
	}
}
