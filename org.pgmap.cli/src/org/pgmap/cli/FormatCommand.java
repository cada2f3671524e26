package org.pgmap.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.pgmap.dsl.formatting2.FormatText;

import com.google.inject.Injector;

import picocli.CommandLine.Command;

/**
 * {@code pgmap format}: prints each file as the formatter lays it out and writes nothing; a file
 * that does not parse is printed unchanged (exit 1).
 */
@Command(name = "format")
public final class FormatCommand extends SpecCommand {

	@Override
	protected int run(List<Path> files) {
		Injector injector = session.injector();
		int exit = PgmapCli.OK;
		for (Path f : files) {
			try {
				String text = Files.readString(f);
				String formatted = FormatText.format(injector, text);
				if (files.size() > 1) {
					session.out.println("// ---- " + f);
				}
				session.out.print(formatted);
				if (formatted.equals(text) && !parses(text)) {
					session.err.println("pgmap: " + f + ": does not parse; printed as it is (run pgmap check for the errors)");
					exit = PgmapCli.FINDINGS;
				}
			} catch (IOException e) {
				session.err.println("pgmap: cannot read " + f + ": " + e.getMessage());
				return PgmapCli.USAGE;
			}
		}
		return exit;
	}

	private boolean parses(String text) throws IOException {
		XtextResourceSet set = session.injector().getInstance(XtextResourceSet.class);
		Resource resource = set.createResource(URI.createURI("synthetic:/parse.pgmap"));
		resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
		return resource.getErrors().isEmpty();
	}
}
