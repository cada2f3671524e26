package org.pgmap.dsl.ide.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;

/**
 * An open document as the build validated it, with the text of the other open documents of its
 * folder: what a background check parses again, in a resource set of its own, while the build
 * goes on with the next text.
 */
public record DocumentSnapshot(URI uri, String text, Map<URI, String> openSiblings) {

	/** Parses the document into {@code set}, then the other .pgmap files of its folder (a spec may use a core defined beside it). */
	public XtextResource parseInto(XtextResourceSet set) throws IOException {
		set.addLoadOption(XtextResource.OPTION_ENCODING, StandardCharsets.UTF_8.name());
		XtextResource resource = (XtextResource) parse(set, uri, utf8(text));
		for (Map.Entry<URI, String> sibling : openSiblings.entrySet()) {
			parse(set, sibling.getKey(), utf8(sibling.getValue()));
		}
		for (Path file : closedSiblings()) {
			try (InputStream in = Files.newInputStream(file)) {
				parse(set, URI.createFileURI(file.toString()), in);
			} catch (IOException e) {
				// an unreadable sibling is left out, as the CLI leaves it out
			}
		}
		return resource;
	}

	private List<Path> closedSiblings() {
		if (!uri.isFile()) {
			return List.of();
		}
		Path self = Path.of(uri.toFileString());
		Set<Path> open = openSiblings.keySet().stream().filter(URI::isFile).map(u -> Path.of(u.toFileString()))
				.collect(Collectors.toSet());
		try (Stream<Path> files = Files.list(self.getParent())) {
			return files.filter(f -> f.getFileName().toString().endsWith(".pgmap") && Files.isRegularFile(f) && !f.equals(self)
					&& !open.contains(f)).sorted().toList();
		} catch (IOException | RuntimeException e) {
			return List.of();
		}
	}

	private static Resource parse(XtextResourceSet set, URI uri, InputStream text) throws IOException {
		Resource resource = set.createResource(uri);
		resource.load(text, set.getLoadOptions());
		return resource;
	}

	private static InputStream utf8(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}
}
