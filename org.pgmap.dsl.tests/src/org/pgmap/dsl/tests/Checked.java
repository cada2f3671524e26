package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.testing.util.ParseHelper;
import org.eclipse.xtext.testing.validation.ValidationTestHelper;
import org.eclipse.xtext.validation.Issue;
import org.pgmap.dsl.check.SpecChecker;
import org.pgmap.dsl.generator.ModelCompiler;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Checker;
import org.pgmap.engine.Checker.Report;
import org.pgmap.engine.Explorer;
import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.model.ExecModel;

/**
 * A spec text checked as a user would: parsed and validated (no errors allowed), compiled, and
 * model-checked scenario by scenario; what a test asserts on.
 */
final class Checked {
	final Model model;
	final List<Issue> issues;
	final List<ExecModel> models;
	final List<Report> reports;

	private Checked(Model model, List<Issue> issues, List<ExecModel> models, List<Report> reports) {
		this.model = model;
		this.issues = issues;
		this.models = models;
		this.reports = reports;
	}

	static Checked check(ParseHelper<Model> parser, ValidationTestHelper validator, String text) throws Exception {
		return check(parser, validator, text, Explorer.Options.DEFAULT);
	}

	static Checked check(ParseHelper<Model> parser, ValidationTestHelper validator, String text, Explorer.Options options)
			throws Exception {
		Model model = parser.parse(text);
		assertNotNull(model);
		assertTrue(model.eResource().getErrors().isEmpty(), "syntax: " + model.eResource().getErrors() + "\n" + numbered(text));
		List<Issue> issues = validator.validate(model);
		List<Issue> errors = issues.stream().filter(i -> i.getSeverity() == Severity.ERROR).toList();
		assertTrue(errors.isEmpty(), describe(errors) + "\n" + numbered(text));
		List<ExecModel> models = ModelCompiler.compile(model);
		List<Report> reports = new ArrayList<>();
		for (ExecModel m : models) {
			reports.add(Checker.check(m, Limits.DEFAULT, options, () -> false));
		}
		return new Checked(model, issues, models, reports);
	}

	Report report() {
		assertEquals(1, reports.size());
		return reports.get(0);
	}

	/** The rules some interleaving breaks first. */
	Set<String> roots() {
		return report().violations().stream().filter(Checker.Violation::rootCause).map(v -> v.rule().name())
				.collect(Collectors.toCollection(TreeSet::new));
	}

	/** Every rule reported, root cause or consequence. */
	Set<String> rules() {
		return report().violations().stream().map(v -> v.rule().name()).collect(Collectors.toCollection(TreeSet::new));
	}

	Checker.Violation violation(String rule) {
		return report().violations().stream().filter(v -> v.rule().name().equals(rule)).findFirst()
				.orElseThrow(() -> new AssertionError("no " + rule + ":\n" + describe()));
	}

	/** The static warnings (and infos) of an issue code. */
	List<Issue> warnings(String code) {
		return issues.stream().filter(i -> SpecChecker.idOf(i.getCode()).equals(code)).toList();
	}

	String describe() {
		StringBuilder sb = new StringBuilder();
		for (Report r : reports) {
			sb.append(ModelCheckTest.describe(r));
		}
		return sb.toString();
	}

	static String describe(List<Issue> issues) {
		return issues.stream().map(i -> i.getLineNumber() + ": " + i.getSeverity() + " [" + SpecChecker.idOf(i.getCode()) + "] "
				+ i.getMessage()).collect(Collectors.joining("\n"));
	}

	static String numbered(String text) {
		StringBuilder sb = new StringBuilder();
		int n = 1;
		for (String line : text.split("\n", -1)) {
			sb.append(String.format("%3d  %s%n", n++, line));
		}
		return sb.toString();
	}
}
