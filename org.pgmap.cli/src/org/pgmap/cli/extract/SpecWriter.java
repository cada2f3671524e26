package org.pgmap.cli.extract;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Writes a pgmap spec from what {@code extract/extract.py} read in a driver's C (its JSON, format
 * 1; see extract/README.md): the pagemap, the driver's locks and allocators, its ops, the
 * functions that hand pages out and the functions they call, each C statement of theirs as the
 * DSL step it is, with a comment citing the C file and line, and a scenario of the era's actors.
 * What it cannot map stays in the spec as a comment with the C text and becomes a warning: nothing
 * the C does to a page is dropped without a trace.
 *
 * <p>The translation, node by node: lock calls on the driver's spinlocks and mutexes as they are
 * (rwsems, RCU and SRCU are no protocol locks: comments); the two statements of a free list's
 * push ({@code P->zone_device_data = H; H = P;}) as one {@code push(L, P)}; a pop under an
 * {@code if} testing the head as {@code P = pop(L) else { the if's else }}; {@code bitmap_set}
 * (after its search) as {@code alloc_bit}, {@code bitmap_clear} as {@code clear_bit}; gen_pool,
 * page lock, refcount and pgmap-reference calls as the DSL spells them; a call whose result the
 * next {@code if} tests for failure as the call with that {@code if}'s branch as its else; a
 * {@code goto} as the statements of its label up to the return (the DSL is structured); a loop
 * as one iteration; a condition on a driver flag no modelled code writes (the {@code ->remove}
 * of a chunk being torn down) as a driver {@code var} that keeps its initial value; any other
 * condition as an {@code either} of both branches. A call of a function that sets up a new
 * pagemap ({@code memremap_pages}) inside an allocation ends the allocation with
 * {@code return none}: the model's pool starts full and has no more pages to add.
 */
public final class SpecWriter {

	/** What the user chose: the era (core), the pagemap type when the C sets several, the page count. */
	public record Options(String era, String type, int pages, Set<String> alsoFunctions) {
		public Options(String era, String type, int pages) {
			this(era, type, pages, Set.of());
		}
	}

	/** The spec's text and what the translation could not map (each naming the C file and line). */
	public record Result(String text, String era, String type, List<String> warnings, int unknown) {
	}

	/** The C cannot become a spec without a choice the user has to make, or is no driver pgmap models: exit 2. */
	public static final class ExtractError extends Exception {
		private static final long serialVersionUID = 1L;

		public ExtractError(String message) {
			super(message);
		}
	}

	/** The library's cores, in kernel order, and what each calls the allocation's init helper. */
	public static final List<String> ERAS = List.of("v5_17", "v6_0", "dan_v2", "reorder", "v6_1", "v6_15", "folio_2026");

	private static final Set<String> DEVICE_TYPES = Set.of("MEMORY_DEVICE_PRIVATE", "MEMORY_DEVICE_COHERENT",
			"MEMORY_DEVICE_FS_DAX", "MEMORY_DEVICE_GENERIC", "MEMORY_DEVICE_PCI_P2PDMA");

	/** Words of the language a C name must not become (ValidID allows the rest). */
	private static final Set<String> RESERVED = Set.of("spec", "uses", "core", "idle", "refcount", "for", "handoff", "final",
			"put", "at", "init_mode", "on", "helper", "pagemap", "type", "pages", "ops", "driver", "freelist", "linked", "by",
			"guarded", "holds", "bitmap", "gen_pool", "object", "kref", "covers", "alloc", "op", "proc", "scenario", "thread",
			"else", "call", "if", "return", "none", "null", "private", "atomic", "assert", "repeat", "warn", "wait_var_event",
			"actor", "spinlock", "mutex", "true", "false", "init", "final_put", "page_free", "folio_free", "migrate_to_ram",
			"zone_device_data", "lru", "mapping", "pgmap");

	private final JsonObject root;
	private final Options options;
	private final List<String> warnings = new ArrayList<>();
	private int unknown;

	private final Map<String, JsonObject> functions = new LinkedHashMap<>();
	/** Lock key -> DSL name, and its kind (spinlock or mutex). */
	private final Map<String, String> lockNames = new LinkedHashMap<>();
	private final Map<String, String> lockKinds = new HashMap<>();
	private final Map<String, String> freelistNames = new LinkedHashMap<>();
	private final Map<String, String> bitmapNames = new LinkedHashMap<>();
	private final Map<String, String> genPoolNames = new LinkedHashMap<>();
	/** Driver flags (a var each) by the C field they stand for. */
	private final Map<String, String> flagVars = new LinkedHashMap<>();
	private final Set<String> usedLocks = new LinkedHashSet<>();
	private final Set<String> usedFreelists = new LinkedHashSet<>();
	private final Set<String> usedBitmaps = new LinkedHashSet<>();
	private final Set<String> usedGenPools = new LinkedHashSet<>();

	private String pagemapName;
	private String driverName;
	private String era;
	private String type;
	/** The functions written as procedures: name -> DSL kind (alloc, op page_free, proc), in order. */
	private final Map<String, String> procedures = new LinkedHashMap<>();
	/** Functions that set up pagemaps or fill a pool: a call of one in an allocation ends it. */
	private final Set<String> setupFunctions = new HashSet<>();
	private final Set<String> coreHelpers;
	/** A driver function that gives a page back (not the core's page_free), for the scenario. */
	private String freeFunction;
	/** A driver function that drops a page it was handed with put_page (an error path), for the scenario. */
	private String errorPathFree;

	private SpecWriter(JsonObject root, Options options, Set<String> coreHelpers) {
		this.root = root;
		this.options = options;
		this.coreHelpers = coreHelpers;
	}

	/**
	 * The spec for the extraction {@code root}; {@code coreHelpers} maps each era to the helpers its
	 * core declares (zone_device_page_init, ...), so that a call of one is kept only where the
	 * chosen era has it.
	 */
	public static Result write(JsonObject root, Options options, Map<String, Set<String>> coreHelpers) throws ExtractError {
		if (root == null || !root.has("format") || root.get("format").getAsInt() != 1) {
			throw new ExtractError("the extraction is not of format 1 (extract.py and pgmap are of different versions)");
		}
		String era = chooseEra(root, options);
		SpecWriter w = new SpecWriter(root, options, coreHelpers.getOrDefault(era, Set.of()));
		w.era = era;
		return w.run();
	}

	// ------------------------------------------------------------------------------------ choices

	private static String chooseEra(JsonObject root, Options options) throws ExtractError {
		if (options.era() != null) {
			if (!ERAS.contains(options.era())) {
				throw new ExtractError("--era " + options.era() + ": no such core (the library has " + String.join(", ", ERAS) + ")");
			}
			return options.era();
		}
		Set<String> candidates = new LinkedHashSet<>();
		List<String> why = new ArrayList<>();
		for (JsonElement h : array(root, "era_hints")) {
			JsonObject hint = h.getAsJsonObject();
			Set<String> eras = new LinkedHashSet<>();
			for (JsonElement e : array(hint, "eras")) {
				if (ERAS.contains(e.getAsString())) {
					eras.add(e.getAsString());
				}
			}
			if (candidates.isEmpty()) {
				candidates.addAll(eras);
			} else {
				candidates.retainAll(eras);
			}
			why.add(str(hint, "why"));
		}
		if (candidates.size() == 1) {
			return candidates.iterator().next();
		}
		if (candidates.isEmpty()) {
			throw new ExtractError("the C does not say which kernel era it is for (no zone_device_page_init or other era mark); give --era "
					+ String.join("|", ERAS));
		}
		throw new ExtractError("the C fits the cores " + String.join(", ", candidates) + " (" + String.join("; ", why)
				+ "); give --era with the kernel version's core (v6.1 - v6.14: v6_1, v6.15 and later: v6_15)");
	}

	private String chooseType(JsonObject pagemap) throws ExtractError {
		List<String> types = new ArrayList<>();
		for (JsonElement t : array(pagemap, "device_types")) {
			if (DEVICE_TYPES.contains(t.getAsString())) {
				types.add(t.getAsString());
			}
		}
		if (options.type() != null) {
			String wanted = options.type().startsWith("MEMORY_DEVICE_") ? options.type() : "MEMORY_DEVICE_" + options.type().toUpperCase(Locale.ROOT);
			if (!DEVICE_TYPES.contains(wanted)) {
				throw new ExtractError("--type " + options.type() + ": not a pagemap type (PRIVATE, COHERENT, FS_DAX, GENERIC, PCI_P2PDMA)");
			}
			if (!types.isEmpty() && !types.contains(wanted)) {
				warnings.add("--type " + wanted + ": the C sets " + String.join(", ", types) + " on " + str(pagemap, "pagemap"));
			}
			return wanted;
		}
		if (types.isEmpty()) {
			throw new ExtractError("the C sets no pagemap type (" + str(pagemap, "pagemap") + "->type); give --type");
		}
		if (types.size() > 1) {
			String chosen = types.contains("MEMORY_DEVICE_PRIVATE") ? "MEMORY_DEVICE_PRIVATE" : types.get(0);
			warnings.add(cite(pagemap) + ": the C sets " + String.join(" or ", types) + " on " + str(pagemap, "pagemap")
					+ " (by a case or an if): the spec models " + chosen + "; --type chooses another");
			return chosen;
		}
		return types.get(0);
	}

	// ------------------------------------------------------------------------------------ the run

	private Result run() throws ExtractError {
		for (JsonElement f : array(root, "functions")) {
			JsonObject fn = f.getAsJsonObject();
			functions.putIfAbsent(str(fn, "name"), fn);
		}
		JsonArray ops = array(root, "ops");
		JsonArray pagemaps = array(root, "pagemaps");
		JsonObject pagemap = pagemaps.isEmpty() ? null : pagemaps.get(0).getAsJsonObject();
		if (pagemaps.size() > 1) {
			warnings.add("the C sets up " + pagemaps.size() + " pagemaps; the spec models the first, " + str(pagemap, "pagemap"));
		}
		if (pagemap == null && options.type() == null) {
			throw new ExtractError("the C sets up no struct dev_pagemap (no ->type, ->ops or memremap_pages()); give --type to model its pages anyway");
		}
		type = pagemap == null ? chooseType(new JsonObject()) : chooseType(pagemap);
		String base = pagemap == null ? "" : baseOf(str(pagemap, "pagemap"));
		pagemapName = name(base.isEmpty() || base.matches("pgmap|pagemap|dev_pagemap") ? stem() + "_pages" : base, "pages");
		JsonObject opsInit = ops.isEmpty() ? null : ops.get(0).getAsJsonObject();
		if (ops.size() > 1) {
			warnings.add("the C has " + ops.size() + " dev_pagemap_ops initializers; the spec models the first, " + str(opsInit, "name"));
		}
		driverName = name(opsInit != null ? stripSuffix(str(opsInit, "name"), "_ops", "_pagemap", "_pgmap") : stem(), "driver");

		// the functions the spec writes: the ops, the allocations, then what they call
		List<String> order = new ArrayList<>();
		if (opsInit != null) {
			JsonObject members = opsInit.getAsJsonObject("members");
			for (String role : List.of("page_free", "folio_free", "migrate_to_ram")) {
				if (members != null && members.has(role)) {
					String fn = str(members.getAsJsonObject(role), "function");
					if (functions.containsKey(fn)) {
						procedures.put(fn, "op " + role);
						order.add(fn);
					} else {
						warnings.add("ops member " + role + " = " + fn + ": its body is not in the given files");
					}
				}
			}
		}
		for (JsonObject fn : functions.values()) {
			Set<String> roles = roles(fn);
			if (roles.contains("pagemap_setup") || calls(fn, "memremap_pages")) {
				setupFunctions.add(str(fn, "name"));
			}
		}
		List<String> allocs = new ArrayList<>();
		for (JsonObject fn : functions.values()) {
			String n = str(fn, "name");
			if (roles(fn).contains("alloc") && !setupFunctions.contains(n) && !procedures.containsKey(n)) {
				allocs.add(n);
			}
		}
		// an allocation another allocation calls is a helper of it
		List<String> outer = new ArrayList<>();
		for (String a : allocs) {
			boolean called = false;
			for (String b : allocs) {
				if (!a.equals(b) && callees(functions.get(b)).contains(a)) {
					called = true;
				}
			}
			if (!called) {
				outer.add(a);
			}
		}
		for (String a : outer) {
			procedures.put(a, "alloc");
			order.add(a);
		}
		// the functions asked for by name (conform: the spec's procedures)
		for (String f : options.alsoFunctions()) {
			if (functions.containsKey(f) && !procedures.containsKey(f) && !setupFunctions.contains(f)) {
				procedures.put(f, roles(functions.get(f)).contains("alloc") ? "alloc" : "proc");
				order.add(f);
			}
		}
		// the callees that do something to the protocol, transitively
		for (int i = 0; i < order.size(); i++) {
			for (String c : relevantCallees(functions.get(order.get(i)))) {
				if (!procedures.containsKey(c) && functions.containsKey(c) && !setupFunctions.contains(c)) {
					procedures.put(c, allocs.contains(c) ? "alloc" : "proc");
					order.add(c);
				}
			}
		}
		// a driver function that gives a page back without being the core's page_free (xen's free)
		for (JsonObject fn : functions.values()) {
			String n = str(fn, "name");
			if (freeFunction == null && !outer.isEmpty() && !setupFunctions.contains(n) && roles(fn).contains("publish")
					&& pageParams(fn).size() == 1 && roles(fn).stream().noneMatch(r -> r.startsWith("op:") || r.equals("alloc"))) {
				freeFunction = n;
				if (!procedures.containsKey(n)) {
					procedures.put(n, "proc");
					order.add(n);
					for (int i = order.size() - 1; i < order.size(); i++) {
						for (String c : relevantCallees(functions.get(order.get(i)))) {
							if (!procedures.containsKey(c) && functions.containsKey(c) && !setupFunctions.contains(c)) {
								procedures.put(c, "proc");
								order.add(c);
							}
						}
					}
				}
			}
		}
		// an error path that drops a fresh page itself (nouveau_dmem_page_free_locked(): unlock_page, put_page
		// when the copy to device memory failed): the scenario runs it after an allocation
		for (JsonObject fn : functions.values()) {
			String n = str(fn, "name");
			List<String> pp = signaturePageParams(fn);
			if (errorPathFree == null && !outer.isEmpty() && !setupFunctions.contains(n) && !n.equals(freeFunction) && pp.size() == 1
					&& roles(fn).stream().noneMatch(r -> r.startsWith("op:") || r.equals("alloc")) && putsParam(fn, pp.get(0))) {
				errorPathFree = n;
				if (!procedures.containsKey(n)) {
					procedures.put(n, "proc");
					order.add(n);
				}
			}
		}
		if (procedures.isEmpty()) {
			throw new ExtractError("no driver function of the C does anything to the page protocol (no ops body, no allocation)");
		}
		declareResources();

		for (String fn : procedures.keySet()) {
			countConditions(array(functions.get(fn), "body"));
		}
		// bodies first: they decide which locks, pools and flags the driver declares
		Map<String, String> bodies = new LinkedHashMap<>();
		for (String fn : new ArrayList<>(procedures.keySet())) {
			bodies.put(fn, new Body(functions.get(fn), procedures.get(fn)).write());
		}
		return new Result(assemble(opsInit, pagemap, bodies, outer), era, type, List.copyOf(warnings), unknown);
	}

	private String assemble(JsonObject opsInit, JsonObject pagemap, Map<String, String> bodies, List<String> allocs) {
		StringBuilder s = new StringBuilder();
		List<String> files = new ArrayList<>();
		for (JsonElement f : array(root, "files")) {
			files.add(str(f.getAsJsonObject(), "file"));
		}
		s.append("// Extracted by pgmap extract from ").append(comment(String.join(" ", files))).append('\n');
		s.append("// with Coccinelle (").append(comment(str(root, "spatch"))).append("); every step cites its C line.\n");
		s.append("// Lines marked 'unknown:' touch a page in a way the extraction could not map: read them.\n");
		JsonObject counts = root.getAsJsonObject("counts");
		if (counts != null) {
			s.append("// Statements of the listed functions: ").append(comment(counts.toString())).append('\n');
		}
		s.append("spec ").append(name(stem() + "_" + era, "extracted")).append(" \"").append(string(String.join(" ", files))).append(" (extracted)\"\n");
		s.append("uses core ").append(era).append("\n\n");
		if (pagemap != null) {
			s.append("// ").append(comment(str(pagemap, "pagemap"))).append(": ").append(cite(pagemap)).append('\n');
		}
		s.append("pagemap ").append(pagemapName).append(" type ").append(type).append(" pages ").append(Math.max(1, options.pages()));
		if (opsInit != null) {
			s.append(" ops ").append(driverName);
		}
		s.append("\n\n");
		if (opsInit != null) {
			s.append("// struct dev_pagemap_ops ").append(comment(str(opsInit, "name"))).append(": ").append(cite(opsInit)).append('\n');
		}
		s.append("driver ").append(driverName).append(" {\n");
		if (opsInit == null) {
			s.append("\towner of ").append(pagemapName).append(" // no dev_pagemap_ops: the driver sets its pages up itself\n");
		}
		for (Map.Entry<String, String> l : lockNames.entrySet()) {
			if (usedLocks.contains(l.getKey())) {
				s.append('\t').append(lockKinds.get(l.getKey())).append(' ').append(l.getValue()).append(" // ").append(comment(l.getKey())).append('\n');
			}
		}
		for (Map.Entry<String, String> f : flagVars.entrySet()) {
			s.append("\tvar ").append(f.getValue()).append(" // ").append(comment(f.getKey()))
					.append(": only teardown sets it, and no modelled code does, so it keeps 0\n");
		}
		for (JsonElement e : array(resources(), "freelists")) {
			JsonObject fl = e.getAsJsonObject();
			String key = str(fl, "key");
			if (!usedFreelists.contains(key)) {
				continue;
			}
			String guard = guard(fl);
			s.append("\tfreelist ").append(freelistNames.get(key)).append(" linked by ")
					.append("lru".equals(str(fl, "link")) ? "lru" : "zone_device_data");
			if (guard != null) {
				s.append(" guarded by ").append(guard);
			}
			s.append(" holds ").append(pagemapName).append(" // ").append(comment(key)).append('\n');
		}
		for (JsonElement e : array(resources(), "bitmaps")) {
			String key = str(e.getAsJsonObject(), "key");
			if (usedBitmaps.contains(key)) {
				String guard = guard(e.getAsJsonObject());
				s.append("\tbitmap ").append(bitmapNames.get(key)).append(" of ").append(pagemapName);
				if (guard != null) {
					s.append(" guarded by ").append(guard);
				}
				s.append(" // ").append(comment(key)).append('\n');
			}
		}
		for (JsonElement e : array(resources(), "gen_pools")) {
			String key = str(e.getAsJsonObject(), "key");
			if (usedGenPools.contains(key)) {
				s.append("\tgen_pool ").append(genPoolNames.get(key)).append(" of ").append(pagemapName).append(" // ").append(comment(key)).append('\n');
			}
		}
		for (Map.Entry<String, String> b : bodies.entrySet()) {
			s.append('\n').append(b.getValue());
		}
		s.append("}\n");
		s.append(scenarios(opsInit, allocs));
		return s.toString();
	}

	/** The era's actors on what the driver has: its allocations, its fault handler, its own free function. */
	private String scenarios(JsonObject opsInit, List<String> allocs) {
		StringBuilder s = new StringBuilder();
		String migrate = null;
		for (Map.Entry<String, String> p : procedures.entrySet()) {
			if (p.getValue().equals("op migrate_to_ram")) {
				migrate = p.getKey();
			}
		}
		boolean devicePrivate = type.equals("MEMORY_DEVICE_PRIVATE") || type.equals("MEMORY_DEVICE_COHERENT");
		String alloc = allocs.isEmpty() ? null : name(allocs.get(0), null);
		String free = freeFunction == null ? null : name(freeFunction, null);
		s.append('\n');
		if (alloc == null) {
			s.append("// No function of the C hands a page out (no allocation found): write the scenario by hand, e.g.\n");
			s.append("// scenario walk { thread walker = pfn_walker(").append(pagemapName).append(") }\n");
			s.append("scenario pfn_walk {\n\tthread walker = pfn_walker(").append(pagemapName).append(")\n}\n");
			return s.toString();
		}
		if (devicePrivate) {
			s.append("// The kernel's callers of ").append(era).append(": migrate_vma users that allocate, map, finalize and unmap\n");
			s.append("scenario two_migrations {\n\tthread user[2] = migrate_user(").append(alloc).append(")\n}\n");
			if (migrate != null) {
				s.append("\n// A CPU fault on the device-private entry while the page's user lets it go\n");
				s.append("scenario fault_during_release {\n\tthread user = migrate_user(").append(alloc).append(")\n");
				s.append("\tthread cpu_fault = fault_path(").append(pagemapName).append(", ").append(name(migrate, null)).append(")\n}\n");
			}
		} else if (free != null && !maps(allocs.get(0))) {
			s.append("// Two users of the driver's pages: allocate, then give the page back through the driver\n");
			s.append("scenario alloc_and_free {\n\tthread user[2] = alloc_fails(").append(alloc).append(", ").append(free).append(")\n}\n");
		} else if (maps(allocs.get(0))) {
			s.append("// Two users of the driver's pages: allocate (the allocation maps the page), then unmap\n");
			s.append("scenario map_and_unmap {\n\tthread user[2] {\n\t\tp = ").append(alloc)
					.append("() else return\n\t\tunmap_page(p) // munmap: the mapping's reference\n\t}\n}\n");
		} else {
			s.append("// The C has no function that gives an allocated page back: write the users of ").append(alloc).append(" by hand\n");
			warnings.add("no scenario for " + alloc + ": the C neither maps its page nor has a function that gives it back; the spec's scenario is a pfn walker only");
			s.append("scenario pfn_walk {\n\tthread walker = pfn_walker(").append(pagemapName).append(")\n}\n");
			return s.toString();
		}
		if (errorPathFree != null) {
			String f = name(errorPathFree, null);
			s.append("\n// The error path: an allocation whose page the driver drops itself with ").append(f).append("()\n");
			s.append("scenario error_path {\n\tthread user = ").append(devicePrivate ? "migrate_user(" + alloc + ")" : "alloc_fails(" + alloc + ", " + f + ")")
					.append("\n\tthread error = alloc_fails(").append(alloc).append(", ").append(f).append(")\n}\n");
		}
		if (devicePrivate) {
			s.append("\n// A pfn walker (memory_failure, compaction) against an allocation\n");
			s.append("scenario walker_against_allocation {\n\tthread user = migrate_user(").append(alloc)
					.append(")\n\tthread walker = pfn_walker(").append(pagemapName).append(")\n}\n");
		}
		return s.toString();
	}

	// ------------------------------------------------------------------------------------ resources

	private JsonObject resources() {
		JsonObject r = root.getAsJsonObject("resources");
		return r == null ? new JsonObject() : r;
	}

	private void declareResources() {
		for (JsonElement e : array(resources(), "locks")) {
			JsonObject l = e.getAsJsonObject();
			String kind = str(l, "kind");
			if ("spinlock".equals(kind) || "mutex".equals(kind)) {
				lockNames.put(str(l, "key"), name(keyName(str(l, "key")), "lock"));
				lockKinds.put(str(l, "key"), kind);
			}
		}
		for (JsonElement e : array(resources(), "freelists")) {
			String key = str(e.getAsJsonObject(), "key");
			freelistNames.put(key, name(keyName(key), "free_pages"));
		}
		for (JsonElement e : array(resources(), "bitmaps")) {
			String key = str(e.getAsJsonObject(), "key");
			bitmapNames.put(key, name(keyName(key), "bitmap"));
		}
		for (JsonElement e : array(resources(), "gen_pools")) {
			String key = str(e.getAsJsonObject(), "key");
			genPoolNames.put(key, name(keyName(key), "pool"));
		}
	}

	/** The lock an allocator is guarded by: the one held at every use, else the one held at most uses (a warning). */
	private String guard(JsonObject resource) {
		for (JsonElement g : array(resource, "guarded_by")) {
			String key = g.getAsString();
			if (lockNames.containsKey(key)) {
				usedLocks.add(key);
				return lockNames.get(key);
			}
		}
		JsonObject held = resource.getAsJsonObject("held_at_uses");
		if (held == null || !held.has("by_lock")) {
			return null;
		}
		String best = null;
		int most = 0;
		for (Map.Entry<String, JsonElement> e : held.getAsJsonObject("by_lock").entrySet()) {
			if (lockNames.containsKey(e.getKey()) && e.getValue().getAsInt() > most) {
				best = e.getKey();
				most = e.getValue().getAsInt();
			}
		}
		if (best == null) {
			return null;
		}
		warnings.add(str(resource, "key") + ": guarded by " + best + " at " + most + " of " + held.get("uses").getAsInt()
				+ " uses in the C, not all: the spec says 'guarded by " + lockNames.get(best) + "'");
		usedLocks.add(best);
		return lockNames.get(best);
	}

	// ------------------------------------------------------------------------------------ one function

	/** The translation of one C function's body into a procedure of the driver. */
	private final class Body {
		private final JsonObject fn;
		private final String kind;
		private final String file;
		private final StringBuilder out = new StringBuilder();
		/** C page expression -> DSL variable. */
		private final Map<String, String> pages = new LinkedHashMap<>();
		/** Variables the DSL has bound (params, lets), and the allocation's result. */
		private final Set<String> bound = new LinkedHashSet<>();
		private String allocated;
		private final Map<String, List<JsonObject>> labels = new HashMap<>();
		private final Set<String> systemPages = new HashSet<>();
		private int gotoDepth;
		/** The driver's locks held here, in the order taken (DSL names). */
		private List<String> held = new ArrayList<>();
		/** Pages this path gave back (pushed, cleared, freed to the pool, put): no longer the allocation's result. */
		private Set<String> released = new HashSet<>();
		/** Inside the failure branch of the step that binds these: they are NULL here. */
		private Set<String> failed = new HashSet<>();

		/** A branch of the C: what it takes, releases or fails stays inside it. */
		private boolean branch(List<JsonObject> nodes, int indent, String failedVar, boolean closeWithExit) {
			List<String> h = new ArrayList<>(held);
			Set<String> r = new HashSet<>(released);
			Set<String> f = new HashSet<>(failed);
			if (failedVar != null) {
				failed.add(failedVar);
			}
			boolean exits = block(nodes, indent);
			if (!exits && closeWithExit) {
				line(indent, failExit(), null);
				exits = true;
			}
			held = h;
			released = r;
			failed = f;
			return exits;
		}

		Body(JsonObject fn, String kind) {
			this.fn = fn;
			this.kind = kind;
			this.file = comment(baseName(str(fn, "file")));
		}

		/** file.c:LINE of a node of this function. */
		private String where(JsonObject n) {
			return file + (n.has("line") ? ":" + n.get("line").getAsInt() : "");
		}

		String write() {
			String name = name(str(fn, "name"), null);
			List<String> params = new ArrayList<>();
			if (kind.startsWith("op ")) {
				List<String> pp = pageParams(fn);
				String p = pp.isEmpty() ? "page" : name(pp.get(0), "page");
				if (kind.equals("op migrate_to_ram")) {
					p = "page";
					for (JsonElement e : array(fn, "params")) {
						pages.put(e.getAsString() + "->page", p); // vmf->page
					}
				}
				params.add(p);
				pages.put(pp.isEmpty() ? "page" : pp.get(0), p);
				bound.add(p);
			} else if (kind.equals("proc")) {
				for (String p : pageParams(fn)) {
					String n = name(p, "page");
					params.add(n);
					pages.put(p, n);
					pages.put(p + "[]", n); // an array of pages is one page in the model
					bound.add(n);
				}
			}
			JsonObject pv = fn.getAsJsonObject("page_vars");
			if (pv != null) {
				for (Map.Entry<String, JsonElement> e : pv.entrySet()) {
					boolean system = !e.getValue().getAsJsonArray().isEmpty();
					for (JsonElement o : e.getValue().getAsJsonArray()) {
						String from = str(o.getAsJsonObject(), "from");
						if (!from.startsWith("alloc_page") && !from.equals("NULL")) {
							system = false;
						}
					}
					if (system) {
						systemPages.add(e.getKey());
					}
				}
			}
			out.append("\t// ").append(comment(str(fn, "signature"))).append(" (").append(file).append(':').append(fn.get("line").getAsInt()).append(")\n");
			out.append('\t').append(kind).append(' ').append(name).append('(').append(String.join(", ", params)).append(") {\n");
			JsonArray body = array(fn, "body");
			collectLabels(body);

			boolean exits = block(body, 2);
			if (kind.equals("alloc") && !exits) {
				line(2, "return " + (allocated != null && !released.contains(allocated) && !failed.contains(allocated) ? allocated : "none")
						+ " // the end of " + str(fn, "name"), null);
			}
			if (kind.equals("alloc") && !Pattern.compile("\\breturn (?!none)\\w").matcher(out).find()) {
				warnings.add(file + ":" + fn.get("line").getAsInt() + ": " + str(fn, "name")
						+ " never hands a page out in the spec: the scenarios that use it check nothing; read the C and write its page by hand");
			}
			out.append("\t}\n");
			return out.toString();
		}

		private final Set<String> repeatedWarned = new HashSet<>();

		private void collectLabels(JsonArray nodes) {
			List<JsonObject> list = list(nodes);
			for (int i = 0; i < list.size(); i++) {
				JsonObject n = list.get(i);
				if ("label".equals(str(n, "kind"))) {
					labels.putIfAbsent(str(n, "label"), list.subList(i + 1, list.size()));
				}
				for (String k : List.of("then", "else", "body")) {
					if (n.has(k) && n.get(k).isJsonArray()) {
						collectLabels(n.getAsJsonArray(k));
					}
				}
			}
		}

		/** Writes the nodes; true when the block cannot fall through (it returned or jumped away). */
		private boolean block(JsonArray nodes, int indent) {
			return block(list(nodes), indent);
		}

		private boolean block(List<JsonObject> nodes, int indent) {
			for (int i = 0; i < nodes.size(); i++) {
				JsonObject n = nodes.get(i);
				String k = str(n, "kind");
				if (k.equals("label")) {
					line(indent, "// " + str(n, "text"), n);
					continue;
				}
				JsonObject next = i + 1 < nodes.size() ? nodes.get(i + 1) : null;
				Step step = node(n, next, indent);
				if (step == Step.MERGED_NEXT) {
					i++;
				}
				if (step == Step.EXITS) {
					return true;
				}
			}
			return false;
		}

		private enum Step {
			FALLS, EXITS, MERGED_NEXT
		}

		private Step node(JsonObject n, JsonObject next, int indent) {
			switch (str(n, "kind")) {
			case "return":
				ret(n, indent);
				return Step.EXITS;
			case "goto":
				return jump(n, indent) ? Step.EXITS : Step.FALLS;
			case "break":
			case "continue":
				line(indent, "return // " + str(n, "text") + ": the loop's one modelled iteration ends", n);
				warnings.add(where(n) + ": '" + str(n, "text") + "' in a loop modelled as one iteration: modelled as the end of "
						+ str(fn, "name") + "; check that this is what the C means");
				return Step.EXITS;
			case "case":
				line(indent, "// " + str(n, "text"), n);
				return Step.FALLS;
			case "if":
				return ifNode(n, indent);
			case "loop":
			case "do":
				JsonObject head = n.has("head") ? n.getAsJsonObject("head") : null;
				line(indent, "// " + (head != null ? str(head, "text") : "do ... while") + ": one iteration of the loop", n);
				return block(array(n, "body"), indent) ? Step.EXITS : Step.FALLS;
			case "switch":
				line(indent, "// unknown: switch (" + str(n.getAsJsonObject("head"), "text") + "): not modelled", n);
				warnings.add(where(n) + ": a switch in " + str(fn, "name") + " is not modelled (its cases are left out)");
				unknown++;
				return Step.FALLS;
			default:
				return statement(n, next, indent);
			}
		}

		// ---------------------------------------------------------------- statements

		private Step statement(JsonObject n, JsonObject next, int indent) {
			String text = str(n, "text");
			if ("unknown".equals(str(n, "class"))) {
				unknownLine(n, indent);
				return Step.FALLS;
			}
			List<JsonObject> ops = list(array(n, "ops"));
			// an allocation whose page is a lookup of memory no pool of these files tracks (amdkfd: the page of
			// an address in the range's VRAM buffer): any page of the pagemap, with nothing that checks it is free
			String resultVar0 = assignedVar(text);
			if (kind.equals("alloc") && allocated == null && resultVar0 != null && !claimsFromAPool(fn)
					&& ops.stream().anyMatch(o -> str(o, "cat").equals("lookup")) && fn.getAsJsonObject("page_vars") != null
					&& fn.getAsJsonObject("page_vars").has(resultVar0) && !systemPages.contains(resultVar0)) {
				String v = bindPage(resultVar0);
				line(indent, "// unknown: the page's source: no pool in the given files tracks it; any page of the pagemap", null);
				line(indent, v + " = any_page(" + pagemapName + ")", n);
				warnings.add(where(n) + ": " + str(fn, "name") + " takes its page from '" + text + "', memory no pool in the given files tracks:"
						+ " modelled as any page of the pagemap, with no check that its page_free ran (if the driver tracks that elsewhere,"
						+ " write it as a bookkeeping and claim_page)");
				unknown++;
				return Step.FALLS;
			}
			List<String> lines = new ArrayList<>();
			String failing = null; // a may-fail step whose result the next if may test
			boolean failingBinds = false;
			String resultVar = assignedVar(text);
			for (JsonObject op : ops) {
				String dsl = op(op, resultVar, n);
				if (dsl == null) {
					continue;
				}
				if (dsl.startsWith("\u0000")) { // a step that ends the function
					for (String l : lines) {
						line(indent, l, n);
					}
					line(indent, dsl.substring(1), n);
					return Step.EXITS;
				}
				lines.add(dsl);
				if (mayFail(op)) {
					failing = dsl;
					failingBinds = binds(op);
				}
			}
			if (failing != null && lines.get(lines.size() - 1) == failing) {
				// the result tested by the next if: its failure branch becomes the else
				if (next != null && "if".equals(str(next, "kind")) && testsFailure(next, resultVar, op(ops))) {
					for (int i = 0; i < lines.size() - 1; i++) {
						line(indent, lines.get(i), n);
					}
					line(indent, failing + " else {", n);
					branch(list(array(next, "then")), indent + 1, failingBinds ? allocated : null, true);
					line(indent, "}", null);
					if (next.has("else")) {
						return block(array(next, "else"), indent) ? Step.EXITS : Step.MERGED_NEXT;
					}
					return Step.MERGED_NEXT;
				}
				if (!failing.contains(" else ")) {
					String exit = failExit();
					lines.set(lines.size() - 1, failing + " else " + (exit.startsWith("return") ? exit : "{ " + exit + " }"));
				}
			}
			if (lines.isEmpty()) {
				line(indent, "// " + text + reasonFor(ops), n);
				return Step.FALLS;
			}
			for (String l : lines) {
				line(indent, l, n);
			}
			return Step.FALLS;
		}

		private String op(List<JsonObject> ops) {
			return ops.isEmpty() ? "" : str(ops.get(ops.size() - 1), "op");
		}

		/** The DSL of one operation, or null when it is no step of the model. */
		private String op(JsonObject op, String resultVar, JsonObject stmt) {
			String name = str(op, "op");
			String cat = str(op, "cat");
			switch (cat) {
			case "lock": {
				String key = str(op, "lock_key");
				if (!lockNames.containsKey(key)) {
					return null;
				}
				if (name.endsWith("trylock")) {
					return null;
				}
				usedLocks.add(key);
				String lockName = lockNames.get(key);
				String prefix = "mutex".equals(lockKinds.get(key)) ? "mutex_" : "spin_";
				if (name.endsWith("unlock")) {
					held.remove(lockName);
					return prefix + "unlock(" + lockName + ")";
				}
				held.add(lockName);
				return prefix + "lock(" + lockName + ")";
			}
			case "page_lock": {
				String p = page(op);
				if (p == null || name.startsWith("trylock")) {
					return null;
				}
				return (name.startsWith("unlock") ? "unlock_page(" : "lock_page(") + p + ")";
			}
			case "refcount": {
				String p = page(op);
				if (p == null) {
					return null;
				}
				return switch (name) {
				case "get_page" -> "get_page(" + p + ")";
				case "put_page" -> "put_page(" + p + ")";
				case "get_page_unless_zero" -> "get_page_unless_zero(" + p + ")";
				case "set_page_count" -> {
					JsonArray args = array(op, "args");
					String count = args.size() > 1 ? args.get(1).getAsString().trim() : "";
					yield count.matches("[0-9]+") ? "set_page_count(" + p + ", " + count + ")" : null;
				}
				case "zone_device_page_init", "zone_device_folio_init" -> coreHelpers.contains(name) ? name + "(" + p + ")" : null;
				default -> null;
				};
			}
			case "pgmap":
				return switch (name) {
				case "pgmap_get" -> "pgmap_get(" + pagemapName + ")";
				case "pgmap_put" -> "pgmap_put(" + pagemapName + ")";
				case "pgmap_tryget" -> "pgmap_tryget_live(" + pagemapName + ")";
				default -> null;
				};
			case "freelist": {
				String list = str(op, "list");
				if (!freelistNames.containsKey(list)) {
					return null;
				}
				String part = str(op, "part");
				if (name.equals("push") && part.equals("link")) {
					String p = page(op);
					if (p == null) {
						return null;
					}
					usedFreelists.add(list);
					released.add(p);
					return "push(" + freelistNames.get(list) + ", " + p + ")";
				}
				if (name.equals("pop") && part.equals("take")) {
					String v = bindPage(str(op, "page"));
					usedFreelists.add(list);
					return v + " = pop(" + freelistNames.get(list) + ")";
				}
				return null; // the head of a push, the unlink of a pop: the same DSL step
			}
			case "bitmap": {
				String key = bitmapKey(op, stmt);
				if (key == null) {
					return null;
				}
				if (name.equals("bitmap_set") || name.equals("set_bit")) {
					usedBitmaps.add(key);
					String v = bindPage(laterPageVar(stmt));
					return v + " = alloc_bit(" + bitmapNames.get(key) + ")";
				}
				if (name.equals("bitmap_clear") || name.equals("clear_bit")) {
					String p = currentPage();
					if (p == null) {
						return null;
					}
					usedBitmaps.add(key);
					released.add(p);
					return "clear_bit(" + bitmapNames.get(key) + ", " + p + ")";
				}
				return null;
			}
			case "gen_pool": {
				String key = genPoolKey(op, stmt);
				if (key == null) {
					return null;
				}
				if (name.equals("gen_pool_alloc")) {
					usedGenPools.add(key);
					String v = bindPage(resultVar != null ? resultVar : "page");
					return v + " = gen_pool_alloc(" + genPoolNames.get(key) + ")";
				}
				if (name.equals("gen_pool_free")) {
					JsonArray args = array(op, "args");
					String p = args.size() > 1 ? pageOf(args.get(1).getAsString()) : null;
					if (p == null) {
						p = currentPage();
					}
					if (p == null) {
						return null;
					}
					usedGenPools.add(key);
					released.add(p);
					return "gen_pool_free(" + genPoolNames.get(key) + ", " + p + ")";
				}
				return null;
			}
			case "field": {
				String field = str(op, "field");
				String p = page(op);
				if (p == null || !(field.equals("zone_device_data") || field.equals("mapping"))) {
					return null;
				}
				if (name.equals("field_write")) {
					String value = str(op, "value").trim();
					return p + "." + field + " = " + (value.equals("NULL") ? "null" : field.equals("mapping") ? "null" : "private");
				}
				if (resultVar != null && !resultVar.contains("->") && !resultVar.contains(".")) {
					String v = name(resultVar, "data");
					bound.add(v);
					return v + " = " + p + "." + field;
				}
				return null;
			}
			case "data": {
				if (name.equals("assign")) {
					String v = pageOf(str(op, "rhs"));
					if (v != null) {
						pages.put(str(op, "lhs").trim().replaceAll("\\[[^\\]]*\\]", "[]"), v);
					}
				}
				return null;
			}
			case "mapping": {
				String p = page(op);
				if (p == null) {
					return null;
				}
				return switch (name) {
				case "vm_insert_page" -> "vm_insert_page(" + p + ")";
				case "vmf_insert_mixed" -> "vmf_insert_mixed(" + p + ")";
				default -> null;
				};
			}
			case "call": {
				String callee = str(op, "function");
				if (setupFunctions.contains(callee) && kind.equals("alloc")) {
					return "\u0000" + failExit() + " // " + callee + "(): a new chunk (memremap_pages); the model's pool starts full and gets no more pages";
				}
				if (!procedures.containsKey(callee)) {
					return null;
				}
				List<String> args = new ArrayList<>();
				JsonObject target = functions.get(callee);
				List<String> targetPages = pageParams(target);
				List<String> targetParams = strings(array(target, "params"));
				JsonArray given = array(op, "args");
				for (String tp : targetPages) {
					int at = targetParams.indexOf(tp);
					String a = at >= 0 && at < given.size() ? given.get(at).getAsString() : null;
					String v = a == null ? null : pageOf(a);
					if (v == null) {
						return null;
					}
					args.add(v);
				}
				String call = name(callee, null) + "(" + String.join(", ", args) + ")";
				if (procedures.get(callee).equals("alloc")) {
					String v = bindPage(resultVar != null ? resultVar : "page");
					return v + " = " + call;
				}
				return call;
			}
			default:
				return null;
			}
		}

		private boolean mayFail(JsonObject op) {
			String name = str(op, "op");
			return switch (name) {
			case "pop", "bitmap_set", "set_bit", "gen_pool_alloc", "vm_insert_page", "get_page_unless_zero", "pgmap_tryget" -> true;
			case "call" -> "alloc".equals(procedures.get(str(op, "function")));
			default -> false;
			};
		}

		/** Whether the op binds a page (its failure leaves the variable NULL). */
		private boolean binds(JsonObject op) {
			return switch (str(op, "op")) {
			case "pop", "bitmap_set", "set_bit", "gen_pool_alloc" -> true;
			case "call" -> "alloc".equals(procedures.get(str(op, "function")));
			default -> false;
			};
		}

		/** Whether the if tests the failure of the statement before it (its result, or the call itself). */
		private boolean testsFailure(JsonObject ifNode, String resultVar, String opName) {
			String cond = str(ifNode.getAsJsonObject("cond"), "text").replace(" ", "");
			cond = cond.replaceAll("^(unlikely|likely|WARN_ON(_ONCE)?)\\((.*)\\)$", "$3");
			if (resultVar == null) {
				return false;
			}
			String r = Pattern.quote(resultVar.replace(" ", ""));
			boolean pageResult = !opName.equals("vm_insert_page");
			if (pageResult) {
				return cond.matches("!" + r) || cond.matches(r + "==NULL") || cond.matches("IS_ERR(_OR_NULL)?\\(" + r + "\\)");
			}
			return cond.matches(r) || cond.matches(r + "(<0|!=0)");
		}

		/** The end of a failing path: the driver's locks still held are released (the C's error path does), then return. */
		private String failExit() {
			StringBuilder b = new StringBuilder();
			for (int i = held.size() - 1; i >= 0; i--) {
				String l = held.get(i);
				b.append(lockKindOf(l).equals("mutex") ? "mutex_unlock(" : "spin_unlock(").append(l).append(") ");
			}
			return b + (kind.equals("alloc") ? "return none" : "return");
		}

		// ---------------------------------------------------------------- control

		private Step ifNode(JsonObject n, int indent) {
			JsonObject cond = n.getAsJsonObject("cond");
			String text = str(cond, "text");
			List<JsonObject> ops = list(array(cond, "ops"));
			List<JsonObject> then = list(array(n, "then"));
			List<JsonObject> otherwise = n.has("else") ? list(array(n, "else")) : List.of();
			// a pop under a test of the list head
			if (ops.stream().anyMatch(o -> str(o, "op").equals("freelist_test")) && !then.isEmpty()) {
				JsonObject first = then.get(0);
				JsonObject take = list(array(first, "ops")).stream().filter(o -> str(o, "op").equals("pop") && "take".equals(str(o, "part")))
						.findFirst().orElse(null);
				if (take != null && freelistNames.containsKey(str(take, "list"))) {
					boolean negated = text.trim().startsWith("!");
					if (!negated) {
						String v = bindPage(str(take, "page"));
						usedFreelists.add(str(take, "list"));
						line(indent, v + " = pop(" + freelistNames.get(str(take, "list")) + ") else {", first);
						List<String> h = new ArrayList<>(held);
						if (!branch(otherwise, indent + 1, v, false)) {
							List<String> now = held;
							held = h;
							line(indent + 1, failExit() + " // the C goes on without a page here: not modelled", null);
							held = now;
							warnings.add(where(n) + ": the empty-list branch of " + str(fn, "name") + " goes on in the C; the spec returns there");
						}
						line(indent, "}", null);
						return block(then.subList(1, then.size()), indent) ? Step.EXITS : Step.FALLS;
					}
				}
			}
			// a call that sets up a new chunk, in an allocation: the model's pool has no more pages
			if (kind.equals("alloc")) {
				for (JsonObject o : ops) {
					if (str(o, "op").equals("call") && setupFunctions.contains(str(o, "function"))) {
						line(indent, failExit() + " // " + str(o, "function")
								+ "(): a new chunk (memremap_pages); the model's pool starts full and gets no more pages", cond);
						return Step.EXITS;
					}
				}
			}
			// a test that also acts: get_page_unless_zero, trylock, tryget, a call that allocates
			JsonObject acting = ops.stream().filter(this::mayFail).reduce((a, b) -> b).orElse(null);
			if (acting != null) {
				String dsl = op(acting, null, cond);
				if (dsl != null && !dsl.startsWith("\u0000")) {
					boolean negated = text.replace(" ", "").matches("(unlikely\\()?!.*") || text.contains("== 0") || text.contains("<0") || text.contains("< 0");
					boolean callResult = str(acting, "op").equals("call") || str(acting, "op").equals("vm_insert_page");
					// a call returning an error code fails when the condition holds (if (f(...)) goto err)
					boolean failWhenTrue = negated || (callResult && !text.trim().startsWith("!"));
					List<JsonObject> failure = failWhenTrue ? then : otherwise;
					List<JsonObject> success = failWhenTrue ? otherwise : then;
					line(indent, dsl + " else {", cond);
					List<String> before = new ArrayList<>(held);
					boolean failExits = branch(failure, indent + 1, binds(acting) ? allocated : null, false);
					if (!failExits) {
						if (!success.isEmpty()) {
							warnings.add(where(n) + ": both branches of 'if (" + text + ")' go on in the C; the spec returns after the failing one");
						}
						List<String> now = held;
						held = before;
						line(indent + 1, failExit(), null);
						held = now;
					}
					line(indent, "}", null);
					return block(success, indent) ? Step.EXITS : Step.FALLS;
				}
				if (dsl != null) {
					line(indent, dsl.substring(1), cond);
					return Step.EXITS;
				}
			}
			// a flag of the driver that no modelled code writes
			Matcher flag = Pattern.compile("^\\s*(!?)\\s*[A-Za-z_][\\w>\\-.()&]*->\\s*([A-Za-z_]\\w*)\\s*$").matcher(text);
			if (flag.matches() && flag.group(2).matches("(?i).*(remov|dying|dead|shutdown|teardown|unregister|closing|stopp|destroy).*") && ops.stream().allMatch(o -> str(o, "cat").equals("call") || str(o, "cat").equals("lookup"))
					&& !text.contains("free_pages")) {
				String field = flag.group(2);
				String var = flagVars.computeIfAbsent(text.replace("!", "").trim(), f -> name(field, "flag"));
				line(indent, "if " + var + (flag.group(1).isEmpty() ? " != 0" : " == 0") + " {", cond);
				boolean a = branch(then, indent + 1, null, false);
				boolean b = false;
				if (!otherwise.isEmpty()) {
					line(indent, "} else {", null);
					b = branch(otherwise, indent + 1, null, false);
				}
				line(indent, "}", null);
				return a && b && !otherwise.isEmpty() ? Step.EXITS : Step.FALLS;
			}
			// a condition the function tests more than once (if (prange != parent) lock ... if (prange != parent) unlock):
			// one driver var, so that every test of it goes the same way
			if (conditionCounts.getOrDefault(text.trim(), 0) > 1 && ops.stream().noneMatch(this::mayFail)) {
				String key = text.trim();
				if (repeatedWarned.add(key)) {
					warnings.add(where(n) + ": 'if (" + key + ")' is tested " + conditionCounts.get(key) + " times in the driver's functions"
							+ ": modelled as false every time (one consistent way; the other is not explored)");
				}
				line(indent, "// if (" + key + "): assumed false, as at every test of it; not modelled:", cond);
				for (JsonObject t : then) {
					line(indent + 1, "// " + (t.has("text") ? str(t, "text") : t.has("cond") ? "if (" + str(t.getAsJsonObject("cond"), "text") + ") ..." : str(t, "kind") + " ..."), t);
				}
				return block(otherwise, indent) ? Step.EXITS : Step.FALLS;
			}
			// any other condition: both ways, unless neither way has a step of the model
			int start = out.length();
			line(indent, "either { // if (" + text + "): not modelled, both ways", cond);
			boolean a = branch(then, indent + 1, null, false);
			line(indent, "} or {", null);
			boolean b = branch(otherwise, indent + 1, null, false);
			line(indent, "}", null);
			String written = out.substring(start);
			boolean steps = false;
			for (String l : written.split("\n")) {
				String t = l.trim();
				if (!t.isEmpty() && !t.startsWith("//") && !t.startsWith("either {") && !t.equals("} or {") && !t.equals("}")) {
					steps = true;
				}
			}
			if (!steps) {
				StringBuilder flat = new StringBuilder();
				for (String l : written.split("\n")) {
					String t = l.trim();
					if (t.startsWith("either {")) {
						flat.append("\t".repeat(indent)).append("// if (").append(comment(text)).append("): no step of the model inside");
						int cite = t.indexOf(" // ", 9);
						if (cite >= 0) {
							flat.append(" (").append(t.substring(cite + 4).replaceFirst(":.*$", "")).append(')');
						}
						flat.append('\n');
					} else if (!t.equals("} or {") && !t.equals("}")) {
						flat.append(l.replaceFirst("^\t", "")).append('\n');
					}
				}
				out.setLength(start);
				out.append(flat);
				return Step.FALLS;
			}
			return a && b ? Step.EXITS : Step.FALLS;
		}

		private void ret(JsonObject n, int indent) {
			String value = n.has("value") ? str(n, "value").trim() : "";
			if (kind.equals("alloc")) {
				String v = value.isEmpty() ? null : pageOf(value);
				if (v == null && allocated != null && !returnsPointer() && !failed.contains(allocated)) {
					v = allocated; // an int-returning allocation hands the page out through a parameter
				}
				if (v != null && released.contains(v)) {
					v = null; // given back on this path: the C returns NULL or an error
				}
				line(indent, "return " + (v != null ? v : "none"), n);
			} else {
				line(indent, "return", n);
			}
		}

		private boolean returnsPointer() {
			String sig = str(fn, "signature");
			int paren = sig.indexOf('(');
			return paren > 0 && sig.substring(0, paren).contains("*");
		}

		private boolean jump(JsonObject n, int indent) {
			String label = str(n, "label");
			List<JsonObject> tail = labels.get(label);
			if (tail == null || gotoDepth > 8) {
				line(indent, "// unknown: " + str(n, "text") + ": the label is not in the function", n);
				warnings.add(where(n) + ": goto " + label + " not followed");
				unknown++;
				line(indent, failExit(), null);
				return true;
			}
			line(indent, "// " + str(n, "text"), n);
			gotoDepth++;
			try {
				if (!block(tail, indent)) {
					line(indent, failExit() + " // the end of " + str(fn, "name"), null);
				}
			} finally {
				gotoDepth--;
			}
			return true;
		}

		// ---------------------------------------------------------------- pages

		/** The DSL variable of the op's page, or null (a system page, or a page the model does not know). */
		private String page(JsonObject op) {
			String p = op.has("page") ? str(op, "page") : null;
			if (p == null) {
				JsonArray args = array(op, "args");
				p = args.isEmpty() ? null : args.get(0).getAsString();
			}
			return p == null ? null : pageOf(p);
		}

		private String pageOf(String expression) {
			String e = stripCasts(expression).replaceAll("\\[[^\\]]*\\]", "[]");
			if (pages.containsKey(e)) {
				String v = pages.get(e);
				return failed.contains(v) ? null : v;
			}
			if (systemPages.contains(e)) {
				return null;
			}
			// a lookup of a bound address (virt_to_page(kaddr), pfn_to_page(pfn)) is the page bound there
			Matcher m = Pattern.compile("^\\w+\\((\\w+)\\)$").matcher(e);
			if (m.matches() && pages.containsKey(m.group(1))) {
				return pages.get(m.group(1));
			}
			if (m.matches() && allocated != null) {
				return allocated;
			}
			return null;
		}

		private String bindPage(String cName) {
			String c = cName == null ? "page" : cName.trim();
			String v = name(c.replaceAll("\\W", "_"), "page");
			pages.put(c, v);
			bound.add(v);
			systemPages.remove(c);
			allocated = v;
			return v;
		}

		/** The page the function works on: its page parameter or the page it allocated. */
		private String currentPage() {
			if (allocated != null) {
				return allocated;
			}
			return bound.isEmpty() ? null : bound.iterator().next();
		}

		/** The page variable a bitmap allocation's page ends up in (dpage = pfn_to_page(...) after the bit is set). */
		private String laterPageVar(JsonObject stmt) {
			JsonObject pv = fn.getAsJsonObject("page_vars");
			int line = stmt.has("line") ? stmt.get("line").getAsInt() : 0;
			if (pv != null) {
				for (Map.Entry<String, JsonElement> e : pv.entrySet()) {
					for (JsonElement o : e.getValue().getAsJsonArray()) {
						JsonObject origin = o.getAsJsonObject();
						if (origin.get("line").getAsInt() >= line && str(origin, "from").contains("pfn_to_page")) {
							return e.getKey();
						}
					}
				}
			}
			return "page";
		}

		private String bitmapKey(JsonObject op, JsonObject stmt) {
			if (op.has("bitmap") && bitmapNames.containsKey(str(op, "bitmap"))) {
				return str(op, "bitmap");
			}
			return resourceAt("bitmaps", stmt);
		}

		private String genPoolKey(JsonObject op, JsonObject stmt) {
			if (op.has("pool_key") && genPoolNames.containsKey(str(op, "pool_key"))) {
				return str(op, "pool_key");
			}
			return resourceAt("gen_pools", stmt);
		}

		/** The allocator of this kind used at the statement's line, from the resources' use lists. */
		private String resourceAt(String kindOf, JsonObject stmt) {
			int line = stmt.has("line") ? stmt.get("line").getAsInt() : -1;
			for (JsonElement e : array(resources(), kindOf)) {
				JsonObject r = e.getAsJsonObject();
				for (JsonElement u : array(r, "uses")) {
					JsonObject use = u.getAsJsonObject();
					if (use.get("line").getAsInt() == line && str(use, "function").equals(str(fn, "name"))) {
						return str(r, "key");
					}
				}
			}
			JsonArray all = array(resources(), kindOf);
			return all.size() == 1 ? str(all.get(0).getAsJsonObject(), "key") : null;
		}

		// ---------------------------------------------------------------- output

		private void unknownLine(JsonObject n, int indent) {
			line(indent, "// unknown: " + str(n, "text"), n);
			warnings.add(where(n) + ": unknown: " + str(n, "text") + " (touches " + strings(array(n, "touches")) + ") in " + str(fn, "name")
					+ ": not in the spec; read the C and write the step by hand if it matters");
			unknown++;
		}

		private String reasonFor(List<JsonObject> ops) {
			Set<String> cats = new LinkedHashSet<>();
			for (JsonObject o : ops) {
				String cat = str(o, "cat");
				cats.add(switch (cat) {
				case "lock" -> "not a protocol lock";
				case "system_page" -> "a system page";
				case "call" -> "calls no protocol step";
				case "migrate" -> "the core's migration";
				case "lookup" -> "a lookup";
				case "control" -> "a test of a page pointer";
				default -> cat;
				});
			}
			return cats.isEmpty() ? "" : " [" + String.join(", ", cats) + "]";
		}

		private void line(int indent, String dsl, JsonObject node) {
			out.append("\t".repeat(indent));
			String cite = node != null && node.has("line") ? file + ":" + node.get("line").getAsInt() : null;
			if (dsl.startsWith("//")) {
				out.append(comment(dsl));
				if (cite != null) {
					out.append(" (").append(cite).append(')');
				}
			} else {
				// the code is made of DSL names and fixed words; what follows its // is C text: one line, printable
				int c = dsl.indexOf(" // ");
				out.append(c < 0 ? printable(dsl) : printable(dsl.substring(0, c)) + " // " + comment(dsl.substring(c + 4)));
				if (cite != null) {
					String text = str(node, "text");
					out.append(" // ").append(cite);
					if (!text.isEmpty()) {
						out.append(": ").append(comment(text));
					}
				}
			}
			out.append('\n');
		}
	}

	private String lockKindOf(String dslName) {
		for (Map.Entry<String, String> e : lockNames.entrySet()) {
			if (e.getValue().equals(dslName)) {
				return lockKinds.get(e.getKey());
			}
		}
		return "spinlock";
	}

	/** How often each condition's text occurs in the functions the spec writes: a repeated one is one choice, made once. */
	private final Map<String, Integer> conditionCounts = new HashMap<>();

	private void countConditions(JsonArray nodes) {
		for (JsonObject n : list(nodes)) {
			if ("if".equals(str(n, "kind"))) {
				conditionCounts.merge(str(n.getAsJsonObject("cond"), "text").trim(), 1, Integer::sum);
			}
			for (String k : List.of("then", "else", "body")) {
				if (n.has(k) && n.get(k).isJsonArray()) {
					countConditions(n.getAsJsonArray(k));
				}
			}
		}
	}

	/** Whether the function takes its page from a pool the extraction knows (a pop, a bit, a gen_pool, another allocation). */
	private boolean claimsFromAPool(JsonObject fn) {
		boolean[] found = { false };
		walkOps(array(fn, "body"), op -> {
			String o = str(op, "op");
			if (o.equals("pop") || o.equals("bitmap_set") || o.equals("set_bit") || o.equals("gen_pool_alloc")
					|| (o.equals("call") && "alloc".equals(procedures.get(str(op, "function"))))) {
				found[0] = true;
			}
		});
		return found[0];
	}

	/** Whether the function puts the page its parameter names (put_page(page), not a page of its own). */
	private static boolean putsParam(JsonObject fn, String param) {
		boolean[] found = { false };
		walkOps(array(fn, "body"), op -> {
			if (str(op, "op").equals("put_page") && param.equals(stripCasts(str(op, "page")))) {
				found[0] = true;
			}
		});
		return found[0];
	}

	/** Whether the function maps the page it hands out (vm_insert_page, vmf_insert_mixed). */
	private boolean maps(String function) {
		JsonObject fn = functions.get(function);
		return fn != null && (calls(fn, "vm_insert_page") || calls(fn, "vmf_insert_mixed"));
	}

	// ------------------------------------------------------------------------------------ helpers

	private String stem() {
		JsonArray files = array(root, "files");
		String f = files.isEmpty() ? "driver" : baseName(str(files.get(0).getAsJsonObject(), "file"));
		return f.endsWith(".c") ? f.substring(0, f.length() - 2) : f;
	}

	private static Set<String> roles(JsonObject fn) {
		return new LinkedHashSet<>(strings(array(fn, "roles")));
	}

	private static List<String> callees(JsonObject fn) {
		return strings(array(fn, "calls"));
	}

	/** The functions this one calls where the call is a protocol step (callee_relevant), in order. */
	private List<String> relevantCallees(JsonObject fn) {
		List<String> result = new ArrayList<>();
		walkOps(array(fn, "body"), op -> {
			if (str(op, "op").equals("call") && op.has("callee_relevant") && op.get("callee_relevant").getAsBoolean()) {
				String c = str(op, "function");
				JsonObject callee = functions.get(c);
				// a callee that only reads page fields in a condition is a flag lookup, not a step
				if (callee != null && !roles(callee).equals(Set.of("reads_page_fields")) && !result.contains(c)) {
					result.add(c);
				}
			}
		});
		return result;
	}

	private static boolean calls(JsonObject fn, String opName) {
		boolean[] found = { false };
		walkOps(array(fn, "body"), op -> {
			if (str(op, "op").equals(opName)) {
				found[0] = true;
			}
		});
		return found[0];
	}

	private static void walkOps(JsonArray nodes, java.util.function.Consumer<JsonObject> visit) {
		for (JsonObject n : list(nodes)) {
			for (JsonObject o : list(array(n, "ops"))) {
				visit.accept(o);
			}
			for (String k : List.of("cond", "head")) {
				if (n.has(k) && n.get(k).isJsonObject()) {
					for (JsonObject o : list(array(n.getAsJsonObject(k), "ops"))) {
						visit.accept(o);
					}
				}
			}
			for (String k : List.of("then", "else", "body")) {
				if (n.has(k) && n.get(k).isJsonArray()) {
					walkOps(n.getAsJsonArray(k), visit);
				}
			}
		}
	}

	/**
	 * The parameters of a function that are pages or folios: from its signature, and those its
	 * allocator, refcount, lock or mapping operations act on (an address given back to a gen_pool).
	 */
	private static List<String> pageParams(JsonObject fn) {
		List<String> result = signaturePageParams(fn);
		List<String> params = strings(array(fn, "params"));
		walkOps(array(fn, "body"), op -> {
			String cat = str(op, "cat");
			JsonArray args = array(op, "args");
			String pageArg = op.has("page") ? str(op, "page")
					: cat.equals("gen_pool") && args.size() > 1 ? args.get(1).getAsString()
					: Set.of("refcount", "page_lock", "mapping").contains(cat) && !args.isEmpty() ? args.get(0).getAsString() : null;
			if (pageArg != null) {
				String bare = stripCasts(pageArg).replaceAll("\\[[^\\]]*\\]", "");
				for (String p : params) {
					if (!result.contains(p) && bare.equals(p)) {
						result.add(p);
					}
				}
			}
		});
		List<String> ordered = new ArrayList<>();
		for (String p : params) {
			if (result.contains(p)) {
				ordered.add(p);
			}
		}
		for (String p : result) {
			if (!ordered.contains(p)) {
				ordered.add(p);
			}
		}
		return ordered;
	}

	/** {@code (uintptr_t)addr} -> {@code addr}, {@code &x} -> {@code x}. */
	static String stripCasts(String expression) {
		return expression.trim().replaceAll("^&", "").replaceAll("^\\((?:unsigned |const |struct )*\\w+\\s*\\**\\s*\\)\\s*", "").trim();
	}

	private static List<String> signaturePageParams(JsonObject fn) {
		List<String> result = new ArrayList<>();
		String sig = str(fn, "signature");
		int open = sig.indexOf('(');
		int close = sig.lastIndexOf(')');
		if (open < 0 || close < open) {
			return result;
		}
		for (String p : sig.substring(open + 1, close).split(",")) {
			Matcher m = Pattern.compile("struct\\s+(page|folio)\\s*\\*\\s*(\\w+)\\s*$").matcher(p.trim());
			if (m.find()) {
				result.add(m.group(2));
			}
		}
		return result;
	}

	/** The variable a statement assigns ({@code x = ...;}, {@code struct page *x = ...;}), or null. */
	static String assignedVar(String text) {
		Matcher m = Pattern.compile("^([^=()]*?[^=!<>+\\-*/|&^%])=(?!=)").matcher(text.trim());
		if (!m.find()) {
			return null;
		}
		String[] tokens = m.group(1).trim().split("[\\s*]+");
		String last = tokens.length == 0 ? "" : tokens[tokens.length - 1];
		return last.matches("[A-Za-z_][\\w.>\\-\\[\\]]*") ? last : null;
	}

	/** A DSL name for a C name: letters, digits and _, not starting with a digit, no keyword, unique per meaning. */
	private String name(String cName, String fallback) {
		String n = cName == null ? "" : cName.replaceAll("[^A-Za-z0-9_]", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
		if (n.isEmpty()) {
			n = fallback == null ? "x" : fallback;
		}
		if (Character.isDigit(n.charAt(0))) {
			n = "n" + n;
		}
		if (RESERVED.contains(n)) {
			n = n + "_";
		}
		if (n.length() > 64) {
			n = n.substring(0, 64);
		}
		return n;
	}

	/** The DSL name of a lock or allocator key: {@code struct dmirror_device::lock} -> {@code lock}, {@code ?dmem::mutex} -> {@code dmem_mutex}. */
	private static String keyName(String key) {
		String k = key.trim();
		if (k.startsWith("?")) {
			return k.substring(1).replace("::", "_");
		}
		int at = k.lastIndexOf("::");
		if (at >= 0) {
			String struct = k.substring(0, at).replace("struct ", "").trim();
			String field = k.substring(at + 2);
			String[] parts = struct.split("_");
			return (parts.length > 0 ? parts[parts.length - 1] + "_" : "") + field;
		}
		return k;
	}

	private static String baseOf(String expression) {
		String e = expression.replace("&", "").trim();
		String[] parts = e.split("->|\\.");
		if (parts.length >= 2 && parts[parts.length - 1].matches("pagemap|pgmap")) {
			return parts[parts.length - 2];
		}
		return parts[parts.length - 1];
	}

	private static String stripSuffix(String s, String... suffixes) {
		String r = s;
		for (String suffix : suffixes) {
			if (r.endsWith(suffix) && r.length() > suffix.length()) {
				r = r.substring(0, r.length() - suffix.length());
			}
		}
		return r;
	}

	private static String baseName(String path) {
		int slash = path.lastIndexOf('/');
		return slash >= 0 ? path.substring(slash + 1) : path;
	}

	private static String cite(JsonObject node) {
		String file = node.has("file") ? baseName(str(node, "file")) : "";
		return comment(file + (node.has("line") ? (file.isEmpty() ? "line " : ":") + node.get("line").getAsInt() : ""));
	}

	/** C text in a // comment: one line, printable ASCII, at most 160 characters. */
	static String comment(String text) {
		StringBuilder b = new StringBuilder();
		for (char c : text.toCharArray()) {
			b.append(c >= 0x20 && c < 0x7f ? c : ' ');
		}
		String s = b.toString().replaceAll("\\s+", " ").trim();
		return s.length() > 160 ? s.substring(0, 157) + "..." : s;
	}

	/** DSL code: control characters become spaces (the code is built of sanitized names; this is a second line of defence). */
	private static String printable(String code) {
		StringBuilder b = new StringBuilder();
		for (char c : code.toCharArray()) {
			b.append(c >= 0x20 && c != 0x7f ? c : ' ');
		}
		return b.toString();
	}

	/** Text inside a "..." string of the spec. */
	private static String string(String text) {
		return comment(text).replace("\\", "/").replace("\"", "'");
	}

	private static String str(JsonObject o, String key) {
		if (o == null || !o.has(key) || o.get(key).isJsonNull()) {
			return "";
		}
		JsonElement e = o.get(key);
		return e.isJsonPrimitive() ? e.getAsString() : e.toString();
	}

	private static JsonArray array(JsonObject o, String key) {
		if (o == null || !o.has(key) || !o.get(key).isJsonArray()) {
			return new JsonArray();
		}
		return o.getAsJsonArray(key);
	}

	private static List<JsonObject> list(JsonArray a) {
		List<JsonObject> result = new ArrayList<>();
		for (JsonElement e : a) {
			if (e.isJsonObject()) {
				result.add(e.getAsJsonObject());
			}
		}
		return result;
	}

	private static List<String> strings(JsonArray a) {
		List<String> result = new ArrayList<>();
		for (JsonElement e : a) {
			result.add(e.isJsonPrimitive() ? e.getAsString() : e.toString());
		}
		return result;
	}
}
