package org.pgmap.dsl.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.pgmap.Assert;
import org.pgmap.dsl.pgmap.Atomic;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Bookkeeping;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Condition;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FieldWrite;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.GenPool;
import org.pgmap.dsl.pgmap.Helper;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.IntLiteral;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.LockKind;
import org.pgmap.dsl.pgmap.ModeLiteral;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.NoneLiteral;
import org.pgmap.dsl.pgmap.NullLiteral;
import org.pgmap.dsl.pgmap.Op;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.PageField;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.PgmapType;
import org.pgmap.dsl.pgmap.PrivateLiteral;
import org.pgmap.dsl.pgmap.Proc;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Symbol;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.TypeLiteral;
import org.pgmap.dsl.pgmap.Var;
import org.pgmap.dsl.pgmap.Warn;
import org.pgmap.dsl.semantics.Actors;
import org.pgmap.dsl.semantics.Builtins;
import org.pgmap.dsl.semantics.Kind;
import org.pgmap.dsl.semantics.Kinds;
import org.pgmap.dsl.validation.StructureValidator;
import org.pgmap.engine.Escape;
import org.pgmap.engine.ProofWarning;

/**
 * Reference driver C for a spec: one kernel module per driver ({@code <driver>_pgmap.c},
 * {@code <driver>_pgmap.h}) and a {@code Kbuild}, implementing the driver side with the kernel
 * API of the spec's era: the dev_pagemap and its ops, memremap_pages() at module init, the
 * allocation with the era's hand-off, page_free, and the locks and allocators the spec declares.
 * Scenarios are not generated: they are the callers.
 * <p>
 * One file on purpose: it is one template, the module's C in the order the file is written
 * (includes, state, allocator, ops, init/exit), over one spec; its parts share the names it
 * assigns.
 */
public final class CGenerator {

	private final Model spec;
	private final String specFile;
	private final ProofWarning warning;
	private final Core core;

	private Driver driver;
	private String dev;
	/** The local declarations of the function being generated, placed at its top. */
	private final Set<String> decls = new LinkedHashSet<>();
	private final Set<Symbol> pageTyped = new LinkedHashSet<>();

	private CGenerator(Model spec, String specFile, ProofWarning warning) {
		this.spec = spec;
		this.specFile = specFile;
		this.warning = warning;
		this.core = spec.getHeader() == null ? null : spec.getHeader().getCore();
	}

	/**
	 * The files of the module(s): name -> content. {@code violations} names the rules the spec's
	 * model check breaks (empty when it passes); they head every file.
	 */
	public static Map<String, String> generate(Model spec, String specFile, List<String> violations) {
		return generate(spec, specFile, ProofWarning.of(specName(spec), violations));
	}

	/** The files of the module(s): name -> content, each headed by the warning when the spec is not proven. */
	public static Map<String, String> generate(Model spec, String specFile, ProofWarning warning) {
		return new CGenerator(spec, specFile, warning).files();
	}

	/**
	 * A C identifier from a spec name: nothing else gets into the file names or the code. A C
	 * keyword gets a trailing '_' ({@code int} becomes {@code int_}).
	 */
	public static String ident(String name) {
		String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9_]", "_");
		s = s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
		return C_KEYWORDS.contains(s) ? s + "_" : s;
	}

	/** C11's keywords, GCC's and the words the kernel's headers define as macros for every file. */
	private static final Set<String> C_KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue", "default",
			"do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
			"restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
			"unsigned", "void", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
			"_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "asm", "typeof", "__asm__", "__attribute__",
			"__typeof__", "__inline__", "__restrict", "__extension__", "__label__", "bool", "true", "false", "NULL",
			"current", "likely", "unlikely", "__init", "__exit", "__user", "__iomem", "__rcu", "__percpu",
			"__maybe_unused", "__always_inline", "noinline", "fallthrough");

	private Map<String, String> files() {
		Map<String, String> files = new LinkedHashMap<>();
		// Kbuild gets no spec text but identifiers: a file name there could become make syntax
		StringBuilder kbuild = new StringBuilder("# SPDX-License-Identifier: GPL-2.0\n");
		warning.lines().forEach(line -> kbuild.append("# ").append(Escape.comment(line)).append('\n'));
		kbuild.append("# Generated by pgmap from spec ").append(ident(specName())).append(".\n");
		for (Driver d : EcoreUtil2.typeSelect(spec.getElements(), Driver.class)) {
			driver = d;
			String base = ident(d.getName()) + "_pgmap";
			dev = ident(d.getName()) + "_dev";
			inferPageTyped();
			files.put(base + ".h", header(base));
			files.put(base + ".c", source(base));
			kbuild.append("obj-m += ").append(base).append(".o\n");
		}
		files.put("Kbuild", kbuild.toString());
		return files;
	}

	/** The comment that heads each file; every line of spec text in it goes through Escape.comment. */
	private String banner(String what) {
		StringBuilder sb = new StringBuilder();
		if (!warning.proven()) {
			sb.append("/*\n");
			warning.lines().forEach(line -> sb.append(" * ").append(Escape.comment(line)).append('\n'));
			sb.append(" */\n");
		}
		sb.append("/*\n * ").append(what).append("\n *\n * ")
				.append(Escape.comment("Reference implementation of spec " + specName() + " (" + specFile + "),")).append("\n * ")
				.append(Escape.comment("driver " + driver.getName() + ", against core " + (core == null ? "?" : core.getName())
						+ (core != null && core.getTitle() != null ? ":" : "")));
		if (core != null && core.getTitle() != null) {
			sb.append("\n *   ").append(Escape.comment(core.getTitle()));
		}
		sb.append("\n * Generated by pgmap; each function cites the spec line it comes from.\n */\n");
		return sb.toString();
	}

	private String specName() {
		return specName(spec);
	}

	private static String specName(Model spec) {
		return spec.getHeader() == null || spec.getHeader().getName() == null ? "?" : spec.getHeader().getName();
	}

	// ------------------------------------------------------------------ header

	private String header(String base) {
		StringBuilder sb = new StringBuilder("/* SPDX-License-Identifier: GPL-2.0 */\n");
		sb.append(banner(base + ".h: the procedures the driver offers its callers"));
		String guard = base.toUpperCase() + "_H";
		sb.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n");
		sb.append("#include <linux/mm_types.h>\n\n");
		for (DriverObject o : objects()) {
			sb.append("struct ").append(objectType(o)).append(";\n");
		}
		if (!objects().isEmpty()) {
			sb.append('\n');
		}
		for (EObject m : driver.getMembers()) {
			if (m instanceof Alloc || m instanceof Proc) {
				sb.append(signature((Procedure) m)).append(";\n");
			}
		}
		sb.append("\n#endif /* ").append(guard).append(" */\n");
		return sb.toString();
	}

	// ------------------------------------------------------------------ source

	private String source(String base) {
		StringBuilder sb = new StringBuilder("// SPDX-License-Identifier: GPL-2.0\n");
		sb.append(banner(base + ".c"));
		sb.append("""
				#include <linux/module.h>
				#include <linux/memremap.h>
				#include <linux/mm.h>
				#include <linux/pagemap.h>
				#include <linux/ioport.h>
				#include <linux/spinlock.h>
				#include <linux/mutex.h>
				#include <linux/slab.h>
				#include <linux/kref.h>
				#include <linux/bitmap.h>
				#include <linux/genalloc.h>
				#include <linux/wait_bit.h>
				#include <linux/pfn_t.h>
				""");
		sb.append("#include \"").append(base).append(".h\"\n\n");
		List<Pagemap> pagemaps = pagemaps();
		for (DriverObject o : objects()) {
			sb.append("/* ").append(cite(o)).append(o.getCount() > 0 ? ": a refcounted object, kzalloc'd per use */\nstruct "
					: ": a refcounted backing object */\nstruct ").append(objectType(o)).append(" {\n\tstruct kref kref;\n};\n\n");
		}
		if (!EcoreUtil2.getAllContentsOfType(driver, org.pgmap.dsl.pgmap.Either.class).isEmpty()) {
			sb.append("/* either/or: the model explores every branch; this reference driver takes the first */\n")
					.append("static int pgmap_outcome(void)\n{\n\treturn 0;\n}\n\n");
		}
		sb.append("/* The driver's state: ").append(cite(driver)).append(" */\nstruct ").append(ident(driver.getName()))
				.append("_device {\n");
		for (Pagemap p : pagemaps) {
			sb.append("\tstruct dev_pagemap ").append(ident(p.getName())).append(";\t/* ").append(cite(p)).append(" */\n");
		}
		for (EObject m : driver.getMembers()) {
			if (m instanceof Lock l) {
				sb.append('\t').append(l.getKind() == LockKind.MUTEX ? "struct mutex " : "spinlock_t ").append(ident(l.getName()))
						.append(l.getCount() > 0 ? "[" + l.getCount() + "]" : "").append(";\t/* ").append(cite(l)).append(" */\n");
			} else if (m instanceof FreeList f) {
				sb.append("\tstruct page *").append(ident(f.getName())).append(";\t/* ").append(cite(f))
						.append(": linked through zone_device_data */\n");
			} else if (m instanceof Bitmap b) {
				sb.append("\tunsigned long ").append(ident(b.getName())).append("[BITS_TO_LONGS(").append(pages(b.getPagemap()))
						.append(")];\t/* ").append(cite(b)).append(" */\n");
			} else if (m instanceof GenPool g) {
				sb.append("\tstruct gen_pool *").append(ident(g.getName())).append(";\t/* ").append(cite(g)).append(" */\n");
			} else if (m instanceof Bookkeeping k) {
				sb.append("\tunsigned long ").append(ident(k.getName())).append("[BITS_TO_LONGS(").append(pages(k.getPagemap()))
						.append(")];\t/* ").append(cite(k)).append(": the driver's record of the pages in use */\n");
			} else if (m instanceof DriverObject o && o.getCount() <= 0) {
				sb.append("\tstruct ").append(objectType(o)).append(" *").append(ident(o.getName())).append(";\t/* ")
						.append(cite(o)).append(" */\n");
			} else if (m instanceof Var v) {
				sb.append("\tint ").append(ident(v.getName())).append(";\t/* ").append(cite(v)).append(" */\n");
			}
		}
		sb.append("};\n\nstatic struct ").append(ident(driver.getName())).append("_device ").append(dev).append(";\n\n");
		for (DriverObject o : objects()) {
			if (o.getCount() > 0) {
				sb.append("/* the last kref_put's caller releases and frees it (").append(cite(o)).append(") */\nstatic void ")
						.append(objectType(o)).append("_release(struct kref *kref)\n{\n}\n\n");
			} else {
				sb.append("static void ").append(objectType(o)).append("_release(struct kref *kref)\n{\n\tkfree(container_of(kref, struct ")
						.append(objectType(o)).append(", kref));\n}\n\n");
			}
		}
		for (Pagemap p : pagemaps) {
			sb.append("static unsigned long ").append(ident(p.getName())).append("_base;\nmodule_param(").append(ident(p.getName()))
					.append("_base, ulong, 0444);\nMODULE_PARM_DESC(").append(ident(p.getName()))
					.append("_base, \"").append(Escape.cString("physical base of the device memory of pagemap " + p.getName()))
					.append(" (0: a free region is found)\");\n\n");
		}
		// ops first (static, referenced by the ops table), then allocs and procs
		for (EObject m : driver.getMembers()) {
			if (m instanceof Op op) {
				sb.append(function(op));
			}
		}
		if (driver.getMembers().stream().anyMatch(Op.class::isInstance)) {
			sb.append("static const struct dev_pagemap_ops ").append(ident(driver.getName())).append("_pagemap_ops = {\n");
			for (EObject m : driver.getMembers()) {
				if (m instanceof Op op) {
					sb.append("\t.").append(op.getRole() == OpRole.MIGRATE_TO_RAM ? "migrate_to_ram"
							: op.getRole() == OpRole.FOLIO_FREE ? "folio_free" : "page_free").append(" = ").append(ident(op.getName()))
							.append(",\n");
				}
			}
			sb.append("};\n\n");
		}
		for (EObject m : driver.getMembers()) {
			if (m instanceof Alloc || m instanceof Proc) {
				sb.append(function((Procedure) m)); // not exported: its names may be the kernel's own
			}
		}
		sb.append(moduleInit(pagemaps));
		return sb.toString();
	}

	private String moduleInit(List<Pagemap> pagemaps) {
		String d = ident(driver.getName());
		StringBuilder sb = new StringBuilder();
		sb.append("static int __init ").append(d).append("_init(void)\n{\n");
		sb.append("\tvoid *addr;\n\tunsigned long pfn __maybe_unused;\n\tint ret = 0;\n\n");
		for (EObject m : driver.getMembers()) {
			if (m instanceof Lock l) {
				String init = l.getKind() == LockKind.MUTEX ? "mutex_init" : "spin_lock_init";
				if (l.getCount() > 0) {
					sb.append("\tfor (pfn = 0; pfn < ").append(l.getCount()).append("; pfn++)\n\t\t").append(init).append("(&").append(dev)
							.append('.').append(ident(l.getName())).append("[pfn]);\n");
				} else {
					sb.append('\t').append(init).append("(&").append(dev).append('.').append(ident(l.getName())).append(");\n");
				}
			} else if (m instanceof Var var) {
				sb.append('\t').append(dev).append('.').append(ident(var.getName())).append(" = ").append(var.getValue()).append(";\n");
			} else if (m instanceof DriverObject o && o.getCount() <= 0) {
				String v = dev + "." + ident(o.getName());
				sb.append('\t').append(v).append(" = kzalloc(sizeof(*").append(v).append("), GFP_KERNEL);\n\tif (!").append(v)
						.append(")\n\t\treturn -ENOMEM;\n\tkref_init(&").append(v).append("->kref);\n");
				int extra = (o.eIsSet(org.pgmap.dsl.pgmap.PgmapPackage.Literals.DRIVER_OBJECT__KREF) ? o.getKref() : 1) - 1;
				for (int i = 0; i < extra; i++) {
					sb.append("\tkref_get(&").append(v).append("->kref);\n");
				}
			}
		}
		int i = 0;
		for (Pagemap p : pagemaps) {
			String pm = dev + "." + ident(p.getName());
			String n = ident(p.getName());
			sb.append("\n\t/* ").append(cite(p)).append(" */\n");
			sb.append("\tif (!").append(n).append("_base) {\n\t\tstruct resource *res = request_free_mem_region(&iomem_resource, ")
					.append(p.getPages()).append(" * PAGE_SIZE, \"").append(Escape.cString(p.getName())).append("\");\n\n\t\tif (IS_ERR(res)) {\n\t\t\tret = PTR_ERR(res);\n\t\t\tgoto err")
					.append(i).append(";\n\t\t}\n\t\t").append(n).append("_base = res->start;\n\t}\n");
			sb.append('\t').append(pm).append(".type = ").append(p.getType().getLiteral()).append(";\n");
			sb.append('\t').append(pm).append(".range.start = ").append(n).append("_base;\n");
			sb.append('\t').append(pm).append(".range.end = ").append(n).append("_base + ").append(p.getPages())
					.append(" * PAGE_SIZE - 1;\n");
			sb.append('\t').append(pm).append(".nr_range = 1;\n");
			if (p.getDriver() == driver && driver.getMembers().stream().anyMatch(Op.class::isInstance)) {
				sb.append('\t').append(pm).append(".ops = &").append(ident(driver.getName())).append("_pagemap_ops;\n");
			}
			if (p.getType() == PgmapType.MEMORY_DEVICE_PRIVATE || p.getType() == PgmapType.MEMORY_DEVICE_COHERENT) {
				sb.append('\t').append(pm).append(".owner = &").append(dev).append(";\n");
			}
			sb.append("\taddr = memremap_pages(&").append(pm).append(", NUMA_NO_NODE);\n\tif (IS_ERR(addr)) {\n\t\tret = PTR_ERR(addr);\n\t\tgoto err")
					.append(i).append(";\n\t}\n");
			for (EObject m : driver.getMembers()) {
				if (m instanceof FreeList f && f.getInitial() == p) {
					String fl = dev + "." + ident(f.getName());
					sb.append("\t/* ").append(cite(f)).append(": every page starts on the free list */\n");
					sb.append("\tfor (pfn = PHYS_PFN(").append(n).append("_base); pfn < PHYS_PFN(").append(n).append("_base) + ")
							.append(p.getPages()).append("; pfn++) {\n\t\tstruct page *page = pfn_to_page(pfn);\n\n\t\tpage->zone_device_data = ")
							.append(fl).append(";\n\t\t").append(fl).append(" = page;\n\t}\n");
				} else if (m instanceof GenPool g && g.getPagemap() == p) {
					String pool = dev + "." + ident(g.getName());
					sb.append("\t").append(pool).append(" = gen_pool_create(PAGE_SHIFT, NUMA_NO_NODE);\n\tif (!").append(pool)
							.append(") {\n\t\tret = -ENOMEM;\n\t\tgoto err").append(i).append(";\n\t}\n\tret = gen_pool_add(").append(pool)
							.append(", ").append(n).append("_base, ").append(p.getPages()).append(" * PAGE_SIZE, NUMA_NO_NODE);\n\tif (ret)\n\t\tgoto err")
							.append(i).append(";\n");
				}
			}
			i++;
		}
		sb.append("\treturn 0;\n");
		for (int k = pagemaps.size() - 1; k >= 0; k--) {
			sb.append("err").append(k).append(":\n");
			if (k > 0) {
				sb.append("\tmemunmap_pages(&").append(dev).append('.').append(ident(pagemaps.get(k - 1).getName())).append(");\n");
			}
		}
		sb.append("\treturn ret;\n}\nmodule_init(").append(d).append("_init);\n\n");
		sb.append("static void __exit ").append(d).append("_exit(void)\n{\n");
		for (Pagemap p : pagemaps) {
			sb.append("\tmemunmap_pages(&").append(dev).append('.').append(ident(p.getName())).append(");\n");
		}
		for (EObject m : driver.getMembers()) {
			if (m instanceof GenPool g) {
				sb.append("\tif (").append(dev).append('.').append(ident(g.getName())).append(")\n\t\tgen_pool_destroy(").append(dev)
						.append('.').append(ident(g.getName())).append(");\n");
			} else if (m instanceof DriverObject o && o.getCount() <= 0) {
				sb.append("\tkref_put(&").append(dev).append('.').append(ident(o.getName())).append("->kref, ").append(objectType(o))
						.append("_release);\n");
			}
		}
		sb.append("}\nmodule_exit(").append(d).append("_exit);\n\n");
		sb.append("MODULE_DESCRIPTION(\"").append(Escape.cString("pgmap reference driver: " + specName())).append("\");\nMODULE_LICENSE(\"GPL\");\n");
		return sb.toString();
	}

	// ------------------------------------------------------------------ procedures

	private String signature(Procedure p) {
		StringBuilder sb = new StringBuilder();
		if (p instanceof Op op && op.getRole() == OpRole.MIGRATE_TO_RAM) {
			return "static vm_fault_t " + ident(p.getName()) + "(struct vm_fault *vmf)";
		}
		if (p instanceof Op op && op.getRole() == OpRole.FOLIO_FREE) {
			return "static void " + ident(p.getName()) + "(struct folio *folio)";
		}
		sb.append(p instanceof Op ? "static void " : p instanceof Alloc ? "struct page *" : returnsInt(p) ? "int " : "void ")
				.append(ident(p.getName())).append('(');
		List<String> params = new ArrayList<>();
		for (Param param : p.getParams()) {
			DriverObject o = paramObject(param);
			params.add((o != null ? "struct " + objectType(o) + " *" : pageTyped.contains(param) || p instanceof Op ? "struct page *" : "int ")
					+ ident(param.getName()));
		}
		if (usesVma(p)) {
			params.add("struct vm_area_struct *vma");
			params.add("unsigned long addr");
		}
		sb.append(params.isEmpty() ? "void" : String.join(", ", params)).append(')');
		return sb.toString();
	}

	private boolean usesVma(Procedure p) {
		for (BuiltinCall b : EcoreUtil2.getAllContentsOfType(p, BuiltinCall.class)) {
			switch (b.getFn()) {
			case VM_INSERT_PAGE, UNMAP_PAGE, VMF_INSERT_MIXED, PIN_USER_PAGES:
				return true;
			default:
				break;
			}
		}
		for (ProcCall c : EcoreUtil2.getAllContentsOfType(p, ProcCall.class)) {
			Procedure callee = Actors.procedure(c);
			if (callee != null && callee != p && !(callee instanceof Helper) && usesVma(callee)) {
				return true;
			}
		}
		return false;
	}

	/** A proc that says whether it succeeded: it returns a number, or a caller tests it with an else. */
	private boolean returnsInt(Procedure p) {
		if (!(p instanceof Proc)) {
			return false;
		}
		for (Return r : EcoreUtil2.getAllContentsOfType(p, Return.class)) {
			if (r.getValue() instanceof IntLiteral) {
				return true;
			}
		}
		for (ProcCall c : EcoreUtil2.getAllContentsOfType(spec, ProcCall.class)) {
			if (c.getProc() == p && (c.eContainer() instanceof CallStatement s && s.getOrElse() != null
					|| c.eContainer() instanceof Let l && l.getOrElse() != null)) {
				return true;
			}
		}
		return false;
	}

	/** The object a parameter stands for, when every call passes one kind: kzalloc'd locals or the object itself. */
	private DriverObject paramObject(Param param) {
		Procedure proc = EcoreUtil2.getContainerOfType(param, Procedure.class);
		int i = proc.getParams().indexOf(param);
		DriverObject found = null;
		for (ProcCall c : EcoreUtil2.getAllContentsOfType(spec, ProcCall.class)) {
			if (c.getProc() == proc && i < c.getArgs().size()) {
				DriverObject o = objectOf(c.getArgs().get(i));
				if (o == null || (found != null && found != o)) {
					return null;
				}
				found = o;
			}
		}
		return found;
	}

	/** A zone_device_data read in a driver that has objects: the page's object. */
	private boolean isObjectField(Expression e) {
		return e instanceof SymbolRef ref && Kinds.field(ref) == PageField.ZONE_DEVICE_DATA && singleObject() != null;
	}

	/** The object declaration an expression's value is an instance of, or null. */
	private DriverObject objectOf(Expression e) {
		if (e instanceof SymbolRef ref && Kinds.field(ref) == null) {
			Symbol s = ref.getSymbol();
			if (s instanceof DriverObject o) {
				return o;
			}
			if (s instanceof Let let && let.getValue() instanceof BuiltinCall b && b.getFn() == org.pgmap.dsl.pgmap.Builtin.KZALLOC
					&& b.getArgs().get(0) instanceof SymbolRef r && r.getSymbol() instanceof DriverObject o) {
				return o;
			}
			if (s instanceof Let let && isObjectField(let.getValue())) {
				return singleObject();
			}
			if (s instanceof Param p && EcoreUtil2.getContainerOfType(p, Procedure.class) != null
					&& !(EcoreUtil2.getContainerOfType(p, Procedure.class) instanceof Op)) {
				return paramObject(p);
			}
		}
		return null;
	}

	private String function(Procedure p) {
		StringBuilder sb = new StringBuilder();
		sb.append("/* ").append(cite(p)).append(": ").append(kindOf(p)).append(' ').append(Escape.comment(p.getName())).append(" */\n");
		sb.append(signature(p)).append("\n{\n");
		decls.clear();
		if (p instanceof Op op && op.getRole() == OpRole.MIGRATE_TO_RAM && !p.getParams().isEmpty()) {
			decls.add("struct page *" + ident(p.getParams().get(0).getName()) + " __maybe_unused = vmf->page;");
			if (usesVma(p)) {
				decls.add("struct vm_area_struct *vma = vmf->vma;");
				decls.add("unsigned long addr = vmf->address;");
			}
		} else if (p instanceof Op op && op.getRole() == OpRole.FOLIO_FREE && !p.getParams().isEmpty()) {
			decls.add("struct page *" + ident(p.getParams().get(0).getName()) + " = &folio->page;");
		}
		StringBuilder body = new StringBuilder();
		block(body, p.getBody(), 1);
		if (p instanceof Op op && op.getRole() == OpRole.MIGRATE_TO_RAM) {
			body.append("\treturn 0;\n");
		} else if (p instanceof Alloc && !leaves(p.getBody())) {
			body.append("\treturn NULL;\n");
		} else if (returnsInt(p) && !leaves(p.getBody())) {
			body.append("\treturn 1;\n");
		}
		for (String d : decls) {
			sb.append('\t').append(d).append('\n');
		}
		if (!decls.isEmpty()) {
			sb.append('\n');
		}
		sb.append(body).append("}\n\n");
		return sb.toString();
	}

	/** Whether a block always leaves by a return (then no fall-through return is needed). */
	private static boolean leaves(Block b) {
		return b != null && !b.getStatements().isEmpty()
				&& StructureValidator.alwaysLeaves(b.getStatements().get(b.getStatements().size() - 1));
	}

	private static String kindOf(Procedure p) {
		return p instanceof Alloc ? "alloc" : p instanceof Op op ? "op " + op.getRole().getLiteral() : p instanceof Helper ? "helper" : "proc";
	}

	private void block(StringBuilder sb, Block b, int depth) {
		if (b == null) {
			return;
		}
		for (Statement s : b.getStatements()) {
			statement(sb, s, depth);
		}
	}

	private void line(StringBuilder sb, int depth, String text) {
		sb.append(text.isEmpty() ? "" : "\t".repeat(depth)).append(text).append('\n');
	}

	private void statement(StringBuilder sb, Statement s, int depth) {
		if (s instanceof Let let) {
			let(sb, let, depth);
		} else if (s instanceof FieldWrite w) {
			String target = ident(w.getTarget().getName());
			String value = expr(w.getValue());
			if (w.getField() == PageField.MAPPING && !(w.getValue() instanceof NullLiteral)) {
				value = "(struct address_space *)" + value;
			}
			line(sb, depth, target + "->" + w.getField().getLiteral() + " = " + value + ";");
		} else if (s instanceof CallStatement c) {
			if (c.getCall() instanceof BuiltinCall b) {
				call(sb, b, null, c.getOrElse(), depth);
			} else if (c.getCall() instanceof ProcCall p) {
				String call = procCall(p);
				if (c.getOrElse() != null) {
					line(sb, depth, "if (!" + call + ") {");
					elseBody(sb, c.getOrElse(), depth + 1);
					line(sb, depth, "}");
				} else {
					line(sb, depth, call + ";");
				}
			}
		} else if (s instanceof If i) {
			ifStatement(sb, i, depth, false);
		} else if (s instanceof Return r) {
			Procedure in = EcoreUtil2.getContainerOfType(r, Procedure.class);
			if (r.getValue() == null) {
				boolean fault = in instanceof Op op && op.getRole() == OpRole.MIGRATE_TO_RAM;
				line(sb, depth, "return" + (in instanceof Alloc ? " NULL;" : fault || (in != null && returnsInt(in)) ? " 0;" : ";"));
			} else {
				line(sb, depth, "return " + (r.getValue() instanceof NoneLiteral ? "NULL" : expr(r.getValue())) + ";");
			}
		} else if (s instanceof Atomic a) {
			line(sb, depth, "/* atomic in the model: " + cite(a) + " */");
			block(sb, a.getBody(), depth);
		} else if (s instanceof Assert a) {
			line(sb, depth, "WARN_ON_ONCE(!(" + condition(a.getCond()) + "));");
		} else if (s instanceof Warn) {
			line(sb, depth, "WARN_ON_ONCE(1);");
		} else if (s instanceof Repeat r) {
			line(sb, depth, "/* repeat " + r.getCount() + ": " + cite(r) + " */");
			block(sb, r.getBody(), depth);
		} else if (s instanceof OpCall op) {
			line(sb, depth, "/* call " + op.getRole().getLiteral() + ": done by the core */");
		} else if (s instanceof Block b) {
			line(sb, depth, "{");
			block(sb, b, depth + 1);
			line(sb, depth, "}");
		} else if (s instanceof org.pgmap.dsl.pgmap.Either e) {
			line(sb, depth, "switch (pgmap_outcome()) {\t/* either: " + cite(e) + " */");
			for (int i = 0; i < e.getBranches().size(); i++) {
				line(sb, depth, i == e.getBranches().size() - 1 ? "default:" : "case " + i + ":");
				block(sb, e.getBranches().get(i), depth + 1);
				if (!leaves(e.getBranches().get(i))) {
					line(sb, depth + 1, "break;");
				}
			}
			line(sb, depth, "}");
		} else if (s instanceof org.pgmap.dsl.pgmap.Wait w) {
			line(sb, depth, "wait_var_event(" + expr(w.getVar()) + ", " + condition(w.getCond()) + ");");
		} else if (s instanceof org.pgmap.dsl.pgmap.Start st) {
			block(sb, st.getBody(), depth);
		}
	}

	private void ifStatement(StringBuilder sb, If i, int depth, boolean chained) {
		String head = (chained ? "} else if (" : "if (") + condition(i.getCond()) + ") {";
		line(sb, depth, head);
		block(sb, i.getThen(), depth + 1);
		if (i.getElseIf() != null) {
			ifStatement(sb, i.getElseIf(), depth, true);
			return;
		}
		if (i.getElse() != null) {
			line(sb, depth, "} else {");
			block(sb, i.getElse(), depth + 1);
		}
		line(sb, depth, "}");
	}

	private void elseBody(StringBuilder sb, Statement orElse, int depth) {
		if (orElse instanceof Block b) {
			block(sb, b, depth);
		} else {
			statement(sb, orElse, depth);
		}
	}

	private void let(StringBuilder sb, Let let, int depth) {
		String name = ident(let.getName());
		Expression v = let.getValue();
		Var var = driverVar(let.getName());
		if (var != null) { // an assignment of the driver's variable
			line(sb, depth, dev + "." + ident(var.getName()) + " = " + expr(v) + ";");
			return;
		}
		if (v instanceof BuiltinCall b && (b.getFn() == org.pgmap.dsl.pgmap.Builtin.POP || b.getFn() == org.pgmap.dsl.pgmap.Builtin.ALLOC_BIT
				|| b.getFn() == org.pgmap.dsl.pgmap.Builtin.GEN_POOL_ALLOC)) {
			call(sb, b, name, let.getOrElse(), depth);
			return;
		}
		DriverObject o = v instanceof BuiltinCall k && k.getFn() == org.pgmap.dsl.pgmap.Builtin.KZALLOC ? objectOf(k.getArgs().get(0))
				: isObjectField(v) ? singleObject() : objectOf(v);
		String type = o != null ? "struct " + objectType(o) + " *" : switch (Kinds.of(v)) {
		case PAGE -> "struct page *";
		case INT, BOOL, TYPE, MODE -> "int ";
		default -> "void *";
		};
		decls.add(type + name + " __maybe_unused;");
		line(sb, depth, name + " = " + expr(v) + ";");
		if (let.getOrElse() != null) {
			line(sb, depth, "if (!" + name + ") {");
			elseBody(sb, let.getOrElse(), depth + 1);
			line(sb, depth, "}");
		}
	}

	private void call(StringBuilder sb, BuiltinCall b, String dest, Statement orElse, int depth) {
		List<Expression> a = b.getArgs();
		switch (b.getFn()) {
		case SPIN_LOCK, SPIN_UNLOCK, MUTEX_LOCK, MUTEX_UNLOCK -> line(sb, depth, b.getFn().getLiteral() + "(" + lockRef(a.get(0)) + ");");
		case POP -> {
			String fl = dev + "." + ident(((SymbolRef) a.get(0)).getSymbol().getName());
			decls.add("struct page *" + dest + ";");
			line(sb, depth, dest + " = " + fl + ";");
			line(sb, depth, "if (!" + dest + ") {");
			elseBody(sb, orElse, depth + 1);
			line(sb, depth, "}");
			line(sb, depth, fl + " = " + dest + "->zone_device_data;");
			return;
		}
		case PUSH -> {
			String fl = dev + "." + ident(((SymbolRef) a.get(0)).getSymbol().getName());
			String page = expr(a.get(1));
			line(sb, depth, page + "->zone_device_data = " + fl + ";");
			line(sb, depth, fl + " = " + page + ";");
		}
		case ALLOC_BIT -> {
			Bitmap bm = (Bitmap) ((SymbolRef) a.get(0)).getSymbol();
			String bits = dev + "." + ident(bm.getName());
			String n = String.valueOf(pages(bm.getPagemap()));
			decls.add("unsigned long " + dest + "_bit;");
			decls.add("struct page *" + dest + ";");
			line(sb, depth, dest + "_bit = find_first_zero_bit(" + bits + ", " + n + ");");
			line(sb, depth, "if (" + dest + "_bit >= " + n + ") {");
			elseBody(sb, orElse, depth + 1);
			line(sb, depth, "}");
			line(sb, depth, "__set_bit(" + dest + "_bit, " + bits + ");");
			line(sb, depth, dest + " = pfn_to_page(PHYS_PFN(" + dev + "." + ident(bm.getPagemap().getName()) + ".range.start) + "
					+ dest + "_bit);");
			return;
		}
		case CLEAR_BIT -> {
			Bitmap bm = (Bitmap) ((SymbolRef) a.get(0)).getSymbol();
			line(sb, depth, "__clear_bit(page_to_pfn(" + expr(a.get(1)) + ") - PHYS_PFN(" + dev + "." + ident(bm.getPagemap().getName())
					+ ".range.start), " + dev + "." + ident(bm.getName()) + ");");
		}
		case GEN_POOL_ALLOC -> {
			String pool = dev + "." + ident(((SymbolRef) a.get(0)).getSymbol().getName());
			decls.add("unsigned long " + dest + "_addr;");
			decls.add("struct page *" + dest + ";");
			line(sb, depth, dest + "_addr = gen_pool_alloc(" + pool + ", PAGE_SIZE);");
			line(sb, depth, "if (!" + dest + "_addr) {");
			elseBody(sb, orElse, depth + 1);
			line(sb, depth, "}");
			line(sb, depth, dest + " = pfn_to_page(PHYS_PFN(" + dest + "_addr));");
			return;
		}
		case GEN_POOL_FREE -> line(sb, depth, "gen_pool_free(" + dev + "." + ident(((SymbolRef) a.get(0)).getSymbol().getName())
				+ ", PFN_PHYS(page_to_pfn(" + expr(a.get(1)) + ")), PAGE_SIZE);");
		case KREF_GET -> line(sb, depth, "kref_get(&" + object(a.get(0)) + "->kref);");
		case KREF_INIT -> line(sb, depth, "kref_init(&" + object(a.get(0)) + "->kref);");
		case KFREE -> line(sb, depth, "kfree(" + object(a.get(0)) + ");");
		case RELEASE_PAGE -> line(sb, depth, "clear_bit(" + bookkeepingIndex(a.get(0), a.get(1)) + ", " + poolRef(a.get(0)) + ");");
		case RELEASE_BACKING -> releaseBacking(sb, a.get(0), a.get(1), depth);
		case ACCESS -> line(sb, depth, "/* " + cite(b) + ": the memory behind " + Escape.comment(ModelCompiler.text(a.get(0))) + " is used here */");
		case VM_INSERT_PAGE, GET_PAGE_UNLESS_ZERO, TRYLOCK_PAGE, PGMAP_TRYGET_LIVE, KREF_GET_UNLESS_ZERO, CLAIM_PAGE, PIN_USER_PAGES -> {
			if (b.getFn() == org.pgmap.dsl.pgmap.Builtin.VM_INSERT_PAGE && orElse == null) {
				line(sb, depth, simpleCall(b) + ";");
				return;
			}
			String test = tryCall(b);
			if (orElse == null) {
				line(sb, depth, "if (!" + test + ")");
				line(sb, depth + 1, "return" + (inAlloc(b) ? " NULL;" : ";"));
			} else {
				line(sb, depth, "if (!" + test + ") {");
				elseBody(sb, orElse, depth + 1);
				line(sb, depth, "}");
			}
		}
		default -> line(sb, depth, simpleCall(b) + ";");
		}
	}

	private static boolean inAlloc(EObject o) {
		return EcoreUtil2.getContainerOfType(o, Alloc.class) != null;
	}

	private String tryCall(BuiltinCall b) {
		Expression a = b.getArgs().get(0);
		return switch (b.getFn()) {
		case GET_PAGE_UNLESS_ZERO -> "get_page_unless_zero(" + expr(a) + ")";
		case TRYLOCK_PAGE -> "trylock_page(" + expr(a) + ")";
		case KREF_GET_UNLESS_ZERO -> "kref_get_unless_zero(&" + object(a) + "->kref)";
		case KREF_PUT -> "kref_put(&" + object(a) + "->kref, " + objectType(objectOrFirst(a)) + "_release)";
		case CLAIM_PAGE -> "!test_and_set_bit(" + bookkeepingIndex(a, b.getArgs().get(1)) + ", " + poolRef(a) + ")";
		case PIN_USER_PAGES -> "pin_user_pages_fast(addr, 1, FOLL_WRITE, &" + expr(a) + ") == 1";
		case VM_INSERT_PAGE -> "vm_insert_page(vma, addr, " + expr(a) + ") == 0";
		default -> "percpu_ref_tryget_live(&(" + pagemapRef(a) + ")->ref)";
		};
	}

	/** The bit of a page in a bookkeeping bitmap: its pfn's offset in the pagemap. */
	private String bookkeepingIndex(Expression records, Expression page) {
		Bookkeeping k = (Bookkeeping) ((SymbolRef) records).getSymbol();
		return "page_to_pfn(" + expr(page) + ") - PHYS_PFN(" + dev + "." + ident(k.getPagemap().getName()) + ".range.start)";
	}

	private String poolRef(Expression e) {
		return dev + "." + ident(((SymbolRef) e).getSymbol().getName());
	}

	/** release_backing: every page of the pool's pagemap whose zone_device_data is the object goes back. */
	private void releaseBacking(StringBuilder sb, Expression poolExpr, Expression object, int depth) {
		Symbol pool = ((SymbolRef) poolExpr).getSymbol();
		Pagemap pm = pool instanceof GenPool g ? g.getPagemap() : pool instanceof Bitmap b ? b.getPagemap()
				: pool instanceof FreeList f ? f.getInitial() : null;
		if (pm == null) {
			line(sb, depth, "/* release_backing: the pool names no pagemap */");
			return;
		}
		String base = "PHYS_PFN(" + dev + "." + ident(pm.getName()) + ".range.start)";
		decls.add("unsigned long pfn;");
		decls.add("struct page *backing_page;");
		line(sb, depth, "for (pfn = " + base + "; pfn < " + base + " + " + pages(pm) + "; pfn++) {\t/* " + cite(poolExpr)
				+ ": the backing object's memory */");
		line(sb, depth + 1, "backing_page = pfn_to_page(pfn);");
		line(sb, depth + 1, "if (backing_page->zone_device_data != " + object(object) + ")");
		line(sb, depth + 2, "continue;");
		if (pool instanceof GenPool) {
			line(sb, depth + 1, "gen_pool_free(" + poolRef(poolExpr) + ", PFN_PHYS(pfn), PAGE_SIZE);");
		} else if (pool instanceof Bitmap) {
			line(sb, depth + 1, "__clear_bit(pfn - " + base + ", " + poolRef(poolExpr) + ");");
		} else {
			line(sb, depth + 1, "backing_page->zone_device_data = " + poolRef(poolExpr) + ";");
			line(sb, depth + 1, poolRef(poolExpr) + " = backing_page;");
		}
		line(sb, depth, "}");
	}

	private String simpleCall(BuiltinCall b) {
		List<Expression> a = b.getArgs();
		return switch (b.getFn()) {
		case LOCK_PAGE, UNLOCK_PAGE, GET_PAGE, PUT_PAGE, WAKE_UP_VAR, PAGE_REF_COUNT -> b.getFn().getLiteral() + "(" + expr(a.get(0)) + ")";
		case SET_PAGE_COUNT -> "set_page_count(" + expr(a.get(0)) + ", " + expr(a.get(1)) + ")";
		case FOLIO_REF_INC -> "folio_ref_inc(page_folio(" + expr(a.get(0)) + "))";
		case PGMAP_GET -> "percpu_ref_get(&(" + pagemapRef(a.get(0)) + ")->ref)";
		case PGMAP_PUT -> "put_dev_pagemap(" + pagemapRef(a.get(0)) + ")";
		case MEMUNMAP_PAGES -> "memunmap_pages(" + pagemapRef(a.get(0)) + ")";
		case VM_INSERT_PAGE -> "WARN_ON_ONCE(vm_insert_page(vma, addr, " + expr(a.get(0)) + "))";
		case VMF_INSERT_MIXED -> "WARN_ON_ONCE(vmf_insert_mixed(vma, addr, __pfn_to_pfn_t(page_to_pfn(" + expr(a.get(0))
				+ "), PFN_DEV | PFN_MAP)) != VM_FAULT_NOPAGE)";
		case UNMAP_PAGE -> "zap_vma_ptes(vma, addr, PAGE_SIZE)";
		case UNMAP_MAPPING_RANGE -> "unmap_mapping_pages(" + expr(a.get(0)) + "->mapping, " + expr(a.get(0)) + "->index, 1, false)";
		case FOLIO_GET -> "folio_get(page_folio(" + expr(a.get(0)) + "))";
		case FOLIO_PUT -> "folio_put(page_folio(" + expr(a.get(0)) + "))";
		case UNPIN_USER_PAGE -> "unpin_user_page(" + expr(a.get(0)) + ")";
		case PAGE_MAPPED -> "page_mapped(" + expr(a.get(0)) + ")";
		case HAS_PAGE_FREE -> "(" + expr(a.get(0)) + "->pgmap->ops && " + expr(a.get(0)) + "->pgmap->ops->page_free)";
		case KREF_PUT -> tryCall(b);
		case KZALLOC -> "kzalloc(sizeof(struct " + objectType(objectOrFirst(a.get(0))) + "), GFP_KERNEL)";
		case PFN_TO_PAGE -> "pfn_to_page(PHYS_PFN(" + pagemapRef(a.get(0)) + "->range.start) + " + expr(a.get(1)) + ")";
		case ANY_PAGE -> "pfn_to_page(PHYS_PFN(" + pagemapRef(a.get(0)) + "->range.start))";
		case PAGE_TYPE -> expr(a.get(0)) + "->pgmap->type";
		default -> "/* " + b.getFn().getLiteral() + " */ 0";
		};
	}

	private String procCall(ProcCall p) {
		List<String> args = new ArrayList<>();
		for (Expression e : p.getArgs()) {
			args.add(expr(e));
		}
		Procedure proc = Actors.procedure(p);
		if (proc instanceof Helper h) {
			return helperCall(h.getName(), args);
		}
		if (proc != null && usesVma(proc)) {
			args.add("vma");
			args.add("addr");
		}
		return ident(proc == null ? "?" : proc.getName()) + "(" + String.join(", ", args) + ")";
	}

	/** A core helper becomes the kernel function of the era. */
	private static String helperCall(String name, List<String> args) {
		return switch (name) {
		case "zone_device_folio_init" -> "zone_device_folio_init(page_folio(" + args.get(0) + "), " + args.get(1) + ")";
		default -> ident(name) + "(" + String.join(", ", args) + ")";
		};
	}

	private String condition(Condition c) {
		String left = c.getLeft() instanceof BuiltinCall b && Builtins.of(b.getFn()).mayFail() ? tryCall(b) : expr(c.getLeft());
		String text = c.getRight() == null ? left : left + " " + c.getOp().getLiteral() + " " + expr(c.getRight());
		return c.isNegated() ? "!(" + text + ")" : text;
	}

	private String expr(Expression e) {
		if (e instanceof SymbolRef ref) {
			Symbol s = ref.getSymbol();
			String base;
			if (s instanceof Pagemap p) {
				base = "&" + dev + "." + ident(p.getName());
			} else if (s instanceof DriverObject o) {
				base = dev + "." + ident(o.getName());
			} else if (s instanceof Var v) {
				base = dev + "." + ident(v.getName());
			} else if (s instanceof Lock) {
				base = lockRef(ref);
			} else {
				base = ident(s == null ? "?" : s.getName());
			}
			PageField f = Kinds.field(ref);
			return f == null ? base : base + "->" + f.getLiteral();
		}
		if (e instanceof IntLiteral i) {
			return Integer.toString(i.getValue());
		}
		if (e instanceof NullLiteral || e instanceof NoneLiteral) {
			return "NULL";
		}
		if (e instanceof PrivateLiteral) {
			return "&" + dev;
		}
		if (e instanceof TypeLiteral t) {
			return t.getType().getLiteral();
		}
		if (e instanceof ModeLiteral m) {
			return m.getMode().getLiteral();
		}
		if (e instanceof BuiltinCall b) {
			return simpleCall(b);
		}
		if (e instanceof ProcCall p) {
			return procCall(p);
		}
		return "0";
	}

	private String lockRef(Expression e) {
		SymbolRef ref = (SymbolRef) e;
		String name = "&" + dev + "." + ident(ref.getSymbol().getName());
		return ref.getIndex() == null ? name : name + "[" + expr(ref.getIndex()) + "]";
	}

	private String pagemapRef(Expression e) {
		if (e instanceof SymbolRef ref && ref.getSymbol() instanceof Pagemap p) {
			return "&" + dev + "." + ident(p.getName());
		}
		return expr(e);
	}

	/** An object operand: the driver's object, an instance in a local, or the zone_device_data that points at it. */
	private String object(Expression e) {
		if (e instanceof SymbolRef ref && ref.getSymbol() instanceof DriverObject o && o.getCount() <= 0) {
			return dev + "." + ident(o.getName());
		}
		if (objectOf(e) != null) {
			return expr(e);
		}
		return "((struct " + objectType(objectOrFirst(e)) + " *)" + expr(e) + ")";
	}

	private DriverObject objectOrFirst(Expression e) {
		DriverObject o = objectOf(e);
		return o != null ? o : singleObject();
	}

	private Var driverVar(String name) {
		for (EObject m : driver.getMembers()) {
			if (m instanceof Var v && v.getName() != null && v.getName().equals(name)) {
				return v;
			}
		}
		return null;
	}

	private DriverObject singleObject() {
		List<DriverObject> objects = objects();
		return objects.isEmpty() ? null : objects.get(0);
	}

	private String objectType(DriverObject o) {
		return ident(driver.getName()) + "_" + (o == null ? "object" : ident(o.getName()));
	}

	private List<DriverObject> objects() {
		return EcoreUtil2.typeSelect(driver.getMembers(), DriverObject.class);
	}

	private List<Pagemap> pagemaps() {
		Set<Pagemap> result = new LinkedHashSet<>();
		for (Pagemap p : EcoreUtil2.typeSelect(spec.getElements(), Pagemap.class)) {
			if (p.getDriver() == driver) {
				result.add(p);
			}
		}
		for (EObject m : driver.getMembers()) {
			if (m instanceof FreeList f && f.getInitial() != null) {
				result.add(f.getInitial());
			} else if (m instanceof Bitmap b && b.getPagemap() != null) {
				result.add(b.getPagemap());
			} else if (m instanceof GenPool g && g.getPagemap() != null) {
				result.add(g.getPagemap());
			}
		}
		return new ArrayList<>(result);
	}

	private static int pages(Pagemap p) {
		return p == null ? 1 : Math.max(1, p.getPages());
	}

	/** Parameters used as pages are struct page *; the others are int. */
	private void inferPageTyped() {
		pageTyped.clear();
		for (BuiltinCall b : EcoreUtil2.getAllContentsOfType(driver, BuiltinCall.class)) {
			List<Kind> kinds = Builtins.of(b.getFn()).params();
			for (int i = 0; i < kinds.size() && i < b.getArgs().size(); i++) {
				if (kinds.get(i) == Kind.PAGE && b.getArgs().get(i) instanceof SymbolRef ref) {
					pageTyped.add(ref.getSymbol());
				}
			}
		}
		for (SymbolRef ref : EcoreUtil2.getAllContentsOfType(driver, SymbolRef.class)) {
			if (Kinds.field(ref) != null) {
				pageTyped.add(ref.getSymbol());
			}
		}
		for (FieldWrite w : EcoreUtil2.getAllContentsOfType(driver, FieldWrite.class)) {
			pageTyped.add(w.getTarget());
		}
		for (boolean changed = true; changed;) { // through calls: an argument and its parameter are alike
			changed = false;
			for (ProcCall c : EcoreUtil2.getAllContentsOfType(spec, ProcCall.class)) {
				Procedure callee = Actors.procedure(c);
				if (callee == null || callee instanceof Helper) {
					continue;
				}
				for (int i = 0; i < c.getArgs().size() && i < callee.getParams().size(); i++) {
					Param param = callee.getParams().get(i);
					if (c.getArgs().get(i) instanceof SymbolRef ref && Kinds.field(ref) == null && ref.getSymbol() != null) {
						if (pageTyped.contains(param) && pageTyped.add(ref.getSymbol())) {
							changed = true;
						} else if (pageTyped.contains(ref.getSymbol()) && pageTyped.add(param)) {
							changed = true;
						}
					}
				}
			}
		}
		for (ProcCall c : EcoreUtil2.getAllContentsOfType(driver, ProcCall.class)) {
			if (c.getProc() instanceof Helper) {
				for (Expression e : c.getArgs()) {
					if (e instanceof SymbolRef ref && Kinds.of(e) != Kind.INT) {
						pageTyped.add(ref.getSymbol());
					}
				}
			}
		}
	}

	/** file:line of a spec element, for a comment. */
	private String cite(EObject o) {
		var node = NodeModelUtils.findActualNodeFor(o);
		String file = o.eResource() == null ? specFile : org.eclipse.emf.common.util.URI.decode(o.eResource().getURI().lastSegment());
		return Escape.comment(file + ":" + (node == null ? 0 : node.getStartLine()));
	}
}
