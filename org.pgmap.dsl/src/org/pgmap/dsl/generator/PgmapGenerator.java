package org.pgmap.dsl.generator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.generator.AbstractGenerator;
import org.eclipse.xtext.generator.IFileSystemAccess2;
import org.eclipse.xtext.generator.IGeneratorContext;
import org.eclipse.xtext.generator.InMemoryFileSystemAccess;
import org.eclipse.xtext.util.CancelIndicator;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.engine.Json;
import org.pgmap.engine.ModelPrinter;
import org.pgmap.engine.PromelaGenerator;
import org.pgmap.engine.ProofWarning;
import org.pgmap.engine.model.ExecModel;

/**
 * What pgmap generates for a spec, as Xtext's {@code IGenerator2}: the reference driver's C
 * module(s) and Kbuild ({@link CGenerator}), one Promela model per scenario
 * ({@link PromelaGenerator}) and the executable model as JSON ({@link ModelPrinter}), each file
 * headed by the spec's {@link ProofWarning} when its model check did not prove it. The names are
 * flat (the caller puts them into the spec's folder, {@link #folderName}); whether a spec is
 * generated at all is the check service's decision, which hands the proof in a {@link Proven}
 * context.
 */
public class PgmapGenerator extends AbstractGenerator {

	/** The context of a generation after a model check: the spec's compiled scenarios and what their check proved. */
	public record Proven(String specFileName, String displayName, List<ExecModel> models, ProofWarning proof)
			implements IGeneratorContext {
		@Override
		public CancelIndicator getCancelIndicator() {
			return CancelIndicator.NullImpl;
		}
	}

	/** The folder a spec's files go to: its name as a C identifier, so nothing leaves the output folder. */
	public static String folderName(Model spec) {
		return CGenerator.ident(spec.getHeader().getName());
	}

	/** Whether a generated file is an analysis model (Promela, the model JSON) rather than the driver's C or Kbuild. */
	public static boolean isAnalysisModel(String fileName) {
		return fileName.endsWith(".pml") || fileName.endsWith(".model.json");
	}

	@Override
	public void doGenerate(Resource input, IFileSystemAccess2 fsa, IGeneratorContext context) {
		if (input.getContents().isEmpty() || !(input.getContents().get(0) instanceof Model spec) || spec.getHeader() == null) {
			return;
		}
		Proven proven = context instanceof Proven p ? p
				: new Proven(input.getURI().lastSegment(), input.getURI().lastSegment(), ModelCompiler.compile(spec),
						new ProofWarning(spec.getHeader().getName(), List.of(), Map.of("*", "not model-checked")));
		String name = folderName(spec);
		CGenerator.generate(spec, proven.specFileName(), proven.proof()).forEach(fsa::generateFile);
		for (ExecModel m : proven.models()) {
			fsa.generateFile(name + "." + CGenerator.ident(m.scenario()) + ".pml", PromelaGenerator.generate(m, proven.proof()));
		}
		fsa.generateFile(name + ".model.json",
				Json.write(ModelPrinter.generated(spec.getHeader().getTitle(), proven.displayName(), proven.models(), proven.proof())));
	}

	/** The generated files of a checked spec, name -> content, in the order they are generated. */
	public Map<String, String> files(Model spec, String specFileName, String displayName, List<ExecModel> models,
			ProofWarning proof) {
		Map<String, String> files = new LinkedHashMap<>();
		InMemoryFileSystemAccess fsa = new InMemoryFileSystemAccess() {
			@Override
			public void generateFile(String fileName, String outputConfiguration, CharSequence contents) {
				files.put(fileName, contents.toString());
			}
		};
		doGenerate(spec.eResource(), fsa, new Proven(specFileName, displayName, models, proof));
		return files;
	}
}
