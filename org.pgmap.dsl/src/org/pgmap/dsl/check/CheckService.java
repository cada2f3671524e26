package org.pgmap.dsl.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.eclipse.emf.ecore.resource.Resource;
import org.pgmap.dsl.check.SpecChecker.FileResult;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.generator.PgmapGenerator;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;
import org.pgmap.engine.Explorer.Verdict;
import org.pgmap.engine.ModelError;
import org.pgmap.engine.ProofWarning;
import org.pgmap.engine.model.ExecModel;

import com.google.inject.Inject;

/**
 * The one check-and-generate pipeline, the same for the CLI, the Eclipse builder and the
 * language server: spec text -> AST with its folder's sibling files ({@link SpecChecker}) ->
 * static checks -> executable models ({@link ModelCompiler}) -> model check of every scenario
 * ({@link Checker}) -> findings ({@link Findings}) -> generated files, only for a spec whose
 * every scenario passed unless forced ({@link PgmapGenerator}).
 */
public class CheckService {

	@Inject
	private SpecChecker specs;

	@Inject
	private PgmapGenerator generator;

	/** The model check of one scenario; a seam for tests that make it fail. */
	public interface ScenarioChecker {
		Report check(ExecModel model, Limits limits, Options options, BooleanSupplier stop);
	}

	private ScenarioChecker scenarioChecker = Checker::check;

	private Consumer<Throwable> internalErrors = e -> {
	};

	public void setScenarioChecker(ScenarioChecker checker) {
		this.scenarioChecker = checker;
	}

	/** Told about every internal failure (the CLI prints its stack trace with --debug). */
	public void onInternalError(Consumer<Throwable> listener) {
		internalErrors = listener;
		specs.onInternalError(listener);
	}

	/** Loading with siblings and the static checks. */
	public SpecChecker specs() {
		return specs;
	}

	public PgmapGenerator generator() {
		return generator;
	}

	/** One scenario's model check; {@code report} is null when the budget was spent before it began. */
	public record ScenarioResult(String file, ExecModel model, Report report) {
		public boolean checked() {
			return report != null;
		}
	}

	/**
	 * What the later phases made of one file: its scenarios' checks, and the problems on the way
	 * (a compile error, a scenario that cannot start, an internal error), each a {@link Diagnostic};
	 * {@code models} is null when the file was not compiled (static errors, no spec, a compile error).
	 */
	public record SpecResult(String file, Model spec, List<ExecModel> models, List<ScenarioResult> scenarios,
			List<Diagnostic> problems) {

		/** Each violation of each checked scenario as a finding, in the order the checker reports them. */
		public List<Diagnostic> violations(UnaryOperator<String> display) {
			List<Diagnostic> out = new ArrayList<>();
			for (ScenarioResult s : scenarios) {
				if (s.checked()) {
					s.report().violations().forEach(v -> out.add(Findings.violation(s.model(), v, file, display)));
				}
			}
			return out;
		}

		/** Whether every scenario could start (no scenario-start or internal error) and the spec compiled. */
		public boolean complete() {
			return models != null && problems.isEmpty();
		}

		/**
		 * Why the spec's generated code must not be trusted: the rules its scenarios break and the
		 * scenarios whose check stopped at a limit (or did not run); proven when it has neither.
		 */
		public ProofWarning proof() {
			TreeSet<String> violated = new TreeSet<>();
			Map<String, String> incomplete = new java.util.LinkedHashMap<>();
			for (ScenarioResult s : scenarios) {
				if (!s.checked()) {
					incomplete.put(s.model().scenario(), "not checked: the time limit was reached before it began");
					continue;
				}
				s.report().violations().forEach(v -> violated.add(v.rule().name()));
				if (s.report().verdict() == Verdict.INCOMPLETE) {
					incomplete.put(s.model().scenario(), s.report().incompleteReason());
				}
			}
			return new ProofWarning(spec == null || spec.getHeader() == null ? "" : spec.getHeader().getName(),
					new ArrayList<>(violated), incomplete);
		}
	}

	/** The spec of a parsed file, or null (nothing parsed, a file of cores only). */
	public static Model specOf(Resource resource) {
		return resource != null && !resource.getContents().isEmpty() && resource.getContents().get(0) instanceof Model m
				&& m.getHeader() != null ? m : null;
	}

	/**
	 * Compiles a statically clean file and model-checks each scenario. {@code phase} gives the stop
	 * condition of each phase (the compilation, then each scenario): the CLI a fresh time limit per
	 * phase, an editor one shared deadline. A scenario is not begun once its phase's stop already
	 * holds. Never throws for a spec: a scenario that cannot start and a failure of pgmap itself
	 * become problems of the result.
	 */
	public SpecResult modelCheck(FileResult file, Limits limits, Options options, Supplier<BooleanSupplier> phase,
			UnaryOperator<String> display) {
		Model spec = file.hasErrors() ? null : specOf(file.resource());
		return modelCheck(spec, file.displayName(), limits, options, phase, display);
	}

	/** As {@link #modelCheck(FileResult, Limits, Options, Supplier, UnaryOperator)}, for a spec an editor parsed. */
	public SpecResult modelCheck(Model spec, String file, Limits limits, Options options, Supplier<BooleanSupplier> phase,
			UnaryOperator<String> display) {
		List<Diagnostic> problems = new ArrayList<>();
		List<ScenarioResult> scenarios = new ArrayList<>();
		if (spec == null) {
			return new SpecResult(file, null, null, scenarios, problems);
		}
		List<ExecModel> models = compile(spec, file, phase.get(), problems);
		if (models == null) {
			return new SpecResult(file, spec, null, scenarios, problems);
		}
		SpecResult checked = checkModels(file, models, problems, scenarioChecker, internalErrors, limits, options, phase, display);
		return new SpecResult(file, spec, models, checked.scenarios(), checked.problems());
	}

	/**
	 * Model-checks each scenario of compiled models, the part of {@link #modelCheck} after the
	 * compilation (its result has no spec). Touches no Xtext or EMF type, so that the CLI can run
	 * it on models from its front-end cache without loading the parser; {@code problems} holds
	 * what the compilation found already.
	 */
	public static SpecResult checkModels(String file, List<ExecModel> models, List<Diagnostic> problems, ScenarioChecker checker,
			Consumer<Throwable> internalErrors, Limits limits, Options options, Supplier<BooleanSupplier> phase,
			UnaryOperator<String> display) {
		List<Diagnostic> found = new ArrayList<>(problems);
		List<ScenarioResult> scenarios = new ArrayList<>();
		for (ExecModel m : models) {
			BooleanSupplier stop = phase.get();
			if (stop.getAsBoolean()) {
				scenarios.add(new ScenarioResult(file, m, null));
				continue;
			}
			try {
				scenarios.add(new ScenarioResult(file, m, checker.check(m, limits, options, stop)));
			} catch (ModelError e) {
				found.add(Findings.startError(m, e, file, display));
			} catch (RuntimeException | StackOverflowError e) {
				internalErrors.accept(e);
				found.add(Findings.internalError(file, "model-check scenario " + m.scenario(), e));
			}
		}
		return new SpecResult(file, null, models, scenarios, found);
	}

	/** The executable models of a spec; null after a compile error (told to {@code problems}, as time-limit when stopped). */
	public List<ExecModel> compile(Model spec, String file, BooleanSupplier stop, List<Diagnostic> problems) {
		try {
			return ModelCompiler.compile(spec, stop);
		} catch (ModelCompiler.CompileError e) {
			Diagnostic d = Findings.compileError(file, e.where, e.getMessage());
			problems.add(stop.getAsBoolean() ? d.as(Diagnostic.Severity.ERROR, org.pgmap.dsl.validation.IssueCodes.TIME_LIMIT) : d);
			return null;
		} catch (RuntimeException | StackOverflowError e) {
			internalErrors.accept(e);
			problems.add(Findings.internalError(file, "compile this spec", e));
			return null;
		}
	}

	/** Who generates: the policy differs only in what a spec that is not proven still gets. */
	public enum Generation {
		/** pgmap generate: all of a spec's files or none; with --force all, each marked with the proof warning. */
		ALL_OR_NOTHING,
		/**
		 * The Eclipse builder: the analysis models (Promela, model JSON) of any spec that compiled,
		 * marked when not proven, for tracing the race in SPIN; the C only for a proven spec.
		 */
		MODELS_ALWAYS
	}

	/**
	 * The files generated for a checked spec (name -> content), or null when none are: the C of a
	 * spec that is not proven (a violation, or a scenario stopped at a limit) is generated only
	 * when forced, and then every file carries its warning. Nothing is generated for a spec whose
	 * compilation or a scenario's start failed. The one place that decides what is written.
	 */
	public Map<String, String> generate(SpecResult checked, String specFileName, boolean force, Generation who) {
		if (!checked.complete() || checked.spec() == null) {
			return null;
		}
		ProofWarning proof = checked.proof();
		Map<String, String> files = generator.files(checked.spec(), specFileName, checked.file(), checked.models(), proof);
		if (proof.proven() || force) {
			return files;
		}
		if (who == Generation.MODELS_ALWAYS) {
			files.keySet().removeIf(name -> !PgmapGenerator.isAnalysisModel(name));
			return files;
		}
		return null;
	}

	/** As {@link #generate(SpecResult, String, boolean, Generation)} for pgmap generate. */
	public Map<String, String> generate(SpecResult checked, String specFileName, boolean force) {
		return generate(checked, specFileName, force, Generation.ALL_OR_NOTHING);
	}
}
