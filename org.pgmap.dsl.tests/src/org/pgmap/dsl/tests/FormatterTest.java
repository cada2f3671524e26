package org.pgmap.dsl.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.xtext.testing.InjectWith;
import org.eclipse.xtext.testing.extensions.InjectionExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pgmap.dsl.formatting2.FormatText;

import com.google.inject.Inject;
import com.google.inject.Injector;

/** The formatter produces the layout of the examples, and leaves the examples as they are. */
@ExtendWith(InjectionExtension.class)
@InjectWith(PgmapInjectorProvider.class)
public class FormatterTest {

	@Inject
	private Injector injector;

	private String format(String text) throws Exception {
		return FormatText.format(injector, text);
	}

	@Test
	public void formatsACrampedSpec() throws Exception {
		String input = "spec s \"t\" uses core v6_1\npagemap pm type MEMORY_DEVICE_PRIVATE pages 2 ops d driver d{spinlock l\n"
				+ "  freelist fl linked by zone_device_data guarded by l holds pm\n"
				+ "alloc a ( ) { spin_lock ( l ) page=pop( fl )else{spin_unlock(l) return none} spin_unlock(l)\n"
				+ "zone_device_page_init( page ) page . zone_device_data = private return page }\n"
				+ "op page_free f(page){spin_lock(l) push(fl ,page) spin_unlock(l)}}"
				+ "scenario sc{thread t [ 2 ]{p=a() else return\nif page_ref_count(p)==1{put_page(p)}}}";
		String expected = """
				spec s "t"
				uses core v6_1
				pagemap pm type MEMORY_DEVICE_PRIVATE pages 2 ops d
				driver d {
					spinlock l
					freelist fl linked by zone_device_data guarded by l holds pm
					alloc a() {
						spin_lock(l)
						page = pop(fl) else {
							spin_unlock(l)
							return none
						}
						spin_unlock(l)
						zone_device_page_init(page)
						page.zone_device_data = private
						return page
					}
					op page_free f(page) {
						spin_lock(l)
						push(fl, page)
						spin_unlock(l)
					}
				}
				scenario sc {
					thread t[2] {
						p = a() else return
						if page_ref_count(p) == 1 {
							put_page(p)
						}
					}
				}
				""";
		assertEquals(expected, format(input));
	}

	@Test
	public void keepsOneBlankLineAndComments() throws Exception {
		String input = "core c \"x\" {\n\n\n\tidle refcount 1   // comment\n\n\ton final_put(page) {\n\t\tcall page_free(page) // why\n\t}\n}\n";
		// a trailing comment keeps one space before it; a blank line after one is not kept
		String expected = "core c \"x\" {\n\n\tidle refcount 1 // comment\n\ton final_put(page) {\n\t\tcall page_free(page) // why\n\t}\n}\n";
		assertEquals(expected, format(input));
	}

	@Test
	public void examplesAndLibraryAreFormatted() throws Exception {
		List<Path> files = new java.util.ArrayList<>(Specs.exampleFiles());
		files.addAll(Specs.pgmapFiles(Specs.library()));
		for (Path f : files) {
			String text = Specs.read(f);
			assertEquals(text, format(text), f + " is laid out as the formatter lays it out");
		}
	}
}
