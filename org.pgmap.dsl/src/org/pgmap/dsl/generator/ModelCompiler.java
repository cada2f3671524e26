package org.pgmap.dsl.generator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Alloc;
import org.pgmap.dsl.semantics.SourceText;
import org.pgmap.dsl.validation.LimitsValidator;
import org.pgmap.dsl.pgmap.Assert;
import org.pgmap.dsl.pgmap.Atomic;
import org.pgmap.dsl.pgmap.Bitmap;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Bookkeeping;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Callable;
import org.pgmap.dsl.pgmap.CompareOp;
import org.pgmap.dsl.pgmap.Condition;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.DriverObject;
import org.pgmap.dsl.pgmap.Either;
import org.pgmap.dsl.pgmap.Expression;
import org.pgmap.dsl.pgmap.FieldWrite;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.GenPool;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.HookKind;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.IntLiteral;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.LinkField;
import org.pgmap.dsl.pgmap.Lock;
import org.pgmap.dsl.pgmap.ModeLiteral;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.NoneLiteral;
import org.pgmap.dsl.pgmap.NullLiteral;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.Owns;
import org.pgmap.dsl.pgmap.PageField;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.Param;
import org.pgmap.dsl.pgmap.PgmapPackage;
import org.pgmap.dsl.pgmap.PrivateLiteral;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.Start;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Symbol;
import org.pgmap.dsl.pgmap.SymbolRef;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.pgmap.TypeLiteral;
import org.pgmap.dsl.pgmap.Var;
import org.pgmap.dsl.pgmap.Wait;
import org.pgmap.dsl.pgmap.Warn;
import org.pgmap.dsl.semantics.Eras;
import org.pgmap.dsl.semantics.Kind;
import org.pgmap.dsl.semantics.Kinds;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Instr.Accessed;
import org.pgmap.engine.model.Instr.Compare;
import org.pgmap.engine.model.Instr.Field;
import org.pgmap.engine.model.Instr.Nop;
import org.pgmap.engine.model.Instr.TryGet;
import org.pgmap.engine.model.Loc;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * Compiles a spec and its core into the executable model of each scenario: pages numbered
 * pagemap by pagemap, lock and object arrays expanded, and every procedure, helper, op and core
 * hook a thread reaches inlined into that thread's program (specs have no recursion), so that
 * each statement becomes one instruction, or a few where the kernel does several things at once.
 * <p>
 * One file on purpose: it is one translation, statement by statement, from the AST into the
 * instructions of the executable model, with the shared state (ids of pages, locks, pools,
 * slots) that every statement's translation reads; splitting it would scatter that state.
 */
public final class ModelCompiler {

	/** A spec the model cannot be built from; names the statement. */
	public static final class CompileError extends RuntimeException {
		private static final long serialVersionUID = 1L;
		public final transient EObject where;

		CompileError(EObject where, String message) {
			super(message);
			this.where = where;
		}
	}

	static final int MAX_INLINE_DEPTH = 12;

	/** Past these the state vector alone is too large to explore (LimitsValidator says so first). */
	static final int MAX_PAGES = LimitsValidator.MAX_PAGES;
	static final int MAX_THREADS = LimitsValidator.MAX_THREADS;
	static final int MAX_OBJECTS = LimitsValidator.MAX_OBJECTS;
	static final int MAX_LOCKS = LimitsValidator.MAX_LOCKS;

	/** Past this many instructions in one thread the scenario is too large to explore. */
	static final int MAX_PROGRAM = 50_000;

	private final Model spec;
	private final Core core;
	private final List<Pagemap> pagemaps;
	private final List<Driver> drivers;
	private final Map<Pagemap, Integer> firstPage = new HashMap<>();
	private final Map<Lock, Integer> lockBase = new HashMap<>();
	private final List<ExecModel.Lock> locks = new ArrayList<>();
	private final Map<EObject, Integer> poolIds = new HashMap<>();
	private final List<ExecModel.Pool> pools = new ArrayList<>();
	private final Map<DriverObject, Integer> objectIds = new HashMap<>();
	private final List<ExecModel.DriverObject> objects = new ArrayList<>();
	private final Map<Var, Integer> globalIds = new HashMap<>();
	private final List<ExecModel.Global> globals = new ArrayList<>();
	private final List<ExecModel.LockOwnership> lockOwners = new ArrayList<>();
	private final List<ExecModel.DriverOwnership> driverOwners = new ArrayList<>();
	private final List<ExecModel.Pagemap> modelPagemaps = new ArrayList<>();

	private java.util.function.BooleanSupplier stop = () -> false;

	private ModelCompiler(Model spec) {
		this.spec = spec;
		this.core = spec.getHeader() == null ? null : spec.getHeader().getCore();
		if (core == null || core.eIsProxy()) {
			throw new CompileError(spec, "the spec names no core to check against ('uses core ...')");
		}
		this.pagemaps = EcoreUtil2.typeSelect(spec.getElements(), Pagemap.class);
		this.drivers = EcoreUtil2.typeSelect(spec.getElements(), Driver.class);
		int page = 0;
		for (Pagemap m : pagemaps) {
			Integer idle = Eras.idleRefcount(core, m);
			if (idle == null) {
				throw new CompileError(m, "core " + core.getName() + " gives no idle refcount for " + m.getType().getLiteral());
			}
			if (m.getPages() < 1 || page + m.getPages() > MAX_PAGES) {
				throw new CompileError(m, "the model explores at most " + MAX_PAGES + " pages in all; pagemap "
						+ m.getName() + " brings it to " + ((long) page + m.getPages()));
			}
			firstPage.put(m, page);
			Driver d = m.getDriver();
			boolean hasPageFree = d != null && !d.eIsProxy() && op(d, OpRole.PAGE_FREE) != null;
			modelPagemaps.add(new ExecModel.Pagemap(m.getName(), m.getType().getLiteral(), Eras.initMode(m).getLiteral(),
					page, m.getPages(), idle, Eras.finalPutAt(core, m), Eras.handoffRefcount(core, m),
					Eras.callsPageFree(core, m) && hasPageFree, hasPageFree));
			page += m.getPages();
		}
		for (Driver d : drivers) {
			for (EObject member : d.getMembers()) {
				if (member instanceof Lock l) {
					lockBase.put(l, locks.size());
					int n = Math.max(1, l.getCount());
					if (locks.size() + n > MAX_LOCKS) {
						throw new CompileError(l, "the model holds at most " + MAX_LOCKS + " locks");
					}
					if (l.getOwns() != null && pagemaps.contains(l.getOwns())) {
						lockOwners.add(new ExecModel.LockOwnership(locks.size(), n, pagemaps.indexOf(l.getOwns())));
					}
					for (int i = 0; i < n; i++) {
						locks.add(new ExecModel.Lock(l.getCount() > 0 ? l.getName() + "[" + i + "]" : l.getName(),
								l.getKind().getLiteral()));
					}
				} else if (member instanceof Owns o && pagemaps.contains(o.getPagemap())) {
					driverOwners.add(new ExecModel.DriverOwnership(drivers.indexOf(d), pagemaps.indexOf(o.getPagemap())));
				} else if (member instanceof Var v) {
					globalIds.put(v, globals.size());
					globals.add(new ExecModel.Global(v.getName(), v.getValue()));
				}
			}
		}
		for (Driver d : drivers) {
			for (EObject member : d.getMembers()) {
				if (member instanceof FreeList f) {
					addPool(f, f.getName(), ExecModel.PoolKind.FREELIST, f.getGuard(), f.getLink() == LinkField.LRU,
							f.getInitial(), f.getInitial());
				} else if (member instanceof Bitmap b) {
					addPool(b, b.getName(), ExecModel.PoolKind.BITMAP, b.getGuard(), false, b.getPagemap(), b.getPagemap());
				} else if (member instanceof GenPool g) {
					addPool(g, g.getName(), ExecModel.PoolKind.GENPOOL, null, false, g.getPagemap(), g.getPagemap());
				} else if (member instanceof Bookkeeping k) {
					addPool(k, k.getName(), ExecModel.PoolKind.BOOKKEEPING, k.getGuard(), false, k.getPagemap(),
							k.getPagemap());
				} else if (member instanceof DriverObject o) {
					objectIds.put(o, objects.size());
					int kref = o.eIsSet(PgmapPackage.Literals.DRIVER_OBJECT__KREF) ? o.getKref() : 1;
					int covers = o.getPagemap() == null ? -1 : pagemaps.indexOf(o.getPagemap());
					if (o.getCount() > 0) {
						if (objects.size() + o.getCount() > MAX_OBJECTS) {
							throw new CompileError(o, "the model holds at most " + MAX_OBJECTS + " driver objects");
						}
						for (int i = 0; i < o.getCount(); i++) {
							objects.add(new ExecModel.DriverObject(o.getName() + "[" + i + "]", 0, true, covers));
						}
					} else {
						objects.add(new ExecModel.DriverObject(o.getName(), kref, false, covers));
					}
				}
			}
		}
	}

	private void addPool(EObject pool, String name, ExecModel.PoolKind kind, Lock guard, boolean lru, Pagemap initial,
			Pagemap of) {
		List<Integer> pages = new ArrayList<>();
		if (initial != null && firstPage.containsKey(initial)) {
			for (int i = 0; i < initial.getPages(); i++) {
				pages.add(firstPage.get(initial) + i);
			}
		}
		int guardId = guard == null || guard.eIsProxy() || !lockBase.containsKey(guard) ? -1 : lockBase.get(guard);
		poolIds.put(pool, pools.size());
		pools.add(new ExecModel.Pool(name, kind, guardId, lru, of == null ? -1 : pagemaps.indexOf(of), pages));
	}

	/** One executable model per scenario of the spec. */
	public static List<ExecModel> compile(Model spec) {
		return compile(spec, () -> false);
	}

	/** As compile(spec), stopping with a CompileError once {@code stop} says so (a time limit). */
	public static List<ExecModel> compile(Model spec, java.util.function.BooleanSupplier stop) {
		ModelCompiler c = new ModelCompiler(spec);
		c.stop = stop;
		List<ExecModel> result = new ArrayList<>();
		for (Scenario s : EcoreUtil2.typeSelect(spec.getElements(), Scenario.class)) {
			result.add(c.scenario(s));
		}
		return result;
	}

	private ExecModel scenario(Scenario scenario) {
		ProgramBuilder setup = new ProgramBuilder("memremap_pages");
		Hook init = hook(HookKind.INIT);
		if (init != null && !init.getParams().isEmpty()) {
			int total = modelPagemaps.stream().mapToInt(ExecModel.Pagemap::pages).sum();
			for (int p = 0; p < total; p++) {
				Map<Symbol, Operand> env = new HashMap<>();
				env.put(init.getParams().get(0), Operand.constant(Operand.page(p)));
				setup.block(init.getBody(), env, null, 0);
			}
		}
		setup.end();
		List<ExecModel.Thread> threads = new ArrayList<>();
		long total = 0;
		for (Thread t : scenario.getThreads()) {
			total += threadCount(t);
		}
		if (total > MAX_THREADS) {
			throw new CompileError(scenario, "scenario " + scenario.getName() + " runs " + total
					+ " threads; the model explores at most " + MAX_THREADS);
		}
		for (Thread t : scenario.getThreads()) {
			int n = threadCount(t);
			boolean group = SourceText.written(t, PgmapPackage.Literals.THREAD__COUNT);
			for (int i = 0; i < n; i++) {
				ProgramBuilder b = new ProgramBuilder(group ? t.getName() + "[" + i + "]" : t.getName());
				Frame frame = new Frame(null, false);
				if (t.getActor() != null) {
					b.actorBody(t, frame); // each instance inlines the actor anew: its own locals
				} else {
					b.threadBody(t.getBody(), new HashMap<>(), frame);
				}
				frame.patchExits(b, b.size());
				b.end();
				threads.add(b.build());
			}
		}
		String specName = spec.getHeader().getName() != null ? spec.getHeader().getName() : "spec";
		List<String> driverNames = drivers.stream().map(Driver::getName).toList();
		return new ExecModel(specName, scenario.getName(), core.getName(), fileOf(core), modelPagemaps, locks, pools, objects, globals,
				driverNames, lockOwners, driverOwners, setup.build(), threads);
	}

	/** thread NAME runs one thread, thread NAME[N] runs N (none for [0]). */
	private static int threadCount(Thread t) {
		return SourceText.written(t, PgmapPackage.Literals.THREAD__COUNT) ? t.getCount() : 1;
	}

	private Hook hook(HookKind kind) {
		for (Hook h : core.getHooks()) {
			if (h.getKind() == kind) {
				return h;
			}
		}
		return null;
	}

	/** The driver's op of a role; page_free and folio_free stand in for each other. */
	private static org.pgmap.dsl.pgmap.Op op(Driver driver, OpRole role) {
		org.pgmap.dsl.pgmap.Op found = find(driver, role);
		if (found == null && role == OpRole.PAGE_FREE) {
			found = find(driver, OpRole.FOLIO_FREE);
		} else if (found == null && role == OpRole.FOLIO_FREE) {
			found = find(driver, OpRole.PAGE_FREE);
		}
		return found;
	}

	private static org.pgmap.dsl.pgmap.Op find(Driver driver, OpRole role) {
		for (EObject m : driver.getMembers()) {
			if (m instanceof org.pgmap.dsl.pgmap.Op op && op.getRole() == role) {
				return op;
			}
		}
		return null;
	}

	/**
	 * An inlined procedure: where its returns go and, for a call with a result, its slot. A proc
	 * called with an else fails with a bare {@code return} or {@code return 0}; an alloc fails by
	 * returning none.
	 */
	private static final class Frame {
		final Integer resultSlot;
		final boolean alloc;
		final List<Integer> exits = new ArrayList<>();

		Frame(Integer resultSlot, boolean alloc) {
			this.resultSlot = resultSlot;
			this.alloc = alloc;
		}

		void patchExits(ProgramBuilder b, int target) {
			for (int at : exits) {
				b.patch(at, target);
			}
		}
	}

	/** Emits one thread's program. */
	private final class ProgramBuilder {
		private final String name;
		private final List<Instr> code = new ArrayList<>();
		/** Per instruction: the inlined calls it runs inside, outermost first. */
		private final List<List<org.pgmap.engine.model.Call>> calls = new ArrayList<>();
		private List<org.pgmap.engine.model.Call> chain = List.of();
		private final List<String> slots = new ArrayList<>();
		private int atomicRegion;
		private int regions;
		private int startLength;
		/** While an actor's body is emitted: the procedure the scenario gave each of its parameters. */
		private Map<Param, Procedure> actorArgs = Map.of();

		ProgramBuilder(String name) {
			this.name = name;
		}

		int size() {
			return code.size();
		}

		ExecModel.Thread build() {
			return new ExecModel.Thread(name, List.copyOf(slots), List.copyOf(code), startLength, List.copyOf(calls));
		}

		int slot(String slotName) {
			slots.add(slotName);
			return slots.size() - 1;
		}

		int emit(Op op, int a, int b, int slot, List<Operand> args, EObject source) {
			// an actor's own statements are a caller's, as a thread's are; what it calls of the core is the core's
			boolean inCore = EcoreUtil2.getContainerOfType(source, Core.class) != null
					&& EcoreUtil2.getContainerOfType(source, Actor.class) == null;
			Driver driver = EcoreUtil2.getContainerOfType(source, Driver.class);
			if ((code.size() & 1023) == 1023 && stop.getAsBoolean()) {
				throw new CompileError(source, "compilation stopped at the time limit (--max-seconds)");
			}
			if (code.size() >= MAX_PROGRAM) {
				throw new CompileError(source, "thread " + name + " runs more than " + MAX_PROGRAM
						+ " statements once its calls and repeats are unrolled: the scenario is too large to explore");
			}
			code.add(new Instr(op, a, b, slot, -1, args, atomicRegion, op == Op.JUMP, inCore,
					driver == null ? -1 : drivers.indexOf(driver), loc(source)));
			calls.add(chain);
			return code.size() - 1;
		}

		int emit(Op op, EObject source, Operand... args) {
			return emit(op, 0, 0, 0, List.of(args), source);
		}

		int jump(EObject source) {
			return emit(Op.JUMP, source);
		}

		/** Marks the instruction at {@code at} as bookkeeping that is part of the step before it. */
		int silent(int at) {
			code.set(at, code.get(at).asSilent());
			return at;
		}

		void patch(int at, int target) {
			code.set(at, code.get(at).withTarget(target));
		}

		void end() {
			code.add(new Instr(Op.END, 0, 0, 0, -1, List.of(), 0, true, false, -1, Loc.NONE));
			calls.add(List.of());
		}

		/** Emits {@code body} as running inside a call of {@code function} from {@code site}. */
		private void inside(String function, EObject site, Runnable body) {
			List<org.pgmap.engine.model.Call> outer = chain;
			List<org.pgmap.engine.model.Call> inner = new ArrayList<>(outer);
			inner.add(new org.pgmap.engine.model.Call(function, loc(site)));
			chain = List.copyOf(inner);
			try {
				body.run();
			} finally {
				chain = outer;
			}
		}

		/**
		 * thread NAME = ACTOR(ARGS): the actor's body as this thread's, its parameters bound to the
		 * arguments (a pagemap is a value, a procedure is what the parameter's calls run), inside
		 * a frame named after the actor for the race diagrams.
		 */
		void actorBody(Thread t, Frame frame) {
			Actor actor = t.getActor();
			if (actor == null || actor.eIsProxy() || actor.getBody() == null) {
				throw new CompileError(t, "thread " + t.getName() + " names no actor of core " + core.getName());
			}
			if (actor.getParams().size() != t.getArgs().size()) {
				throw new CompileError(t, actor.getName() + " takes " + actor.getParams().size() + " arguments, not "
						+ t.getArgs().size());
			}
			Map<Symbol, Operand> scope = new HashMap<>();
			Map<Param, Procedure> bound = new HashMap<>();
			for (int i = 0; i < actor.getParams().size(); i++) {
				Param param = actor.getParams().get(i);
				Callable arg = t.getArgs().get(i).getTarget();
				if (arg instanceof Procedure proc && !proc.eIsProxy()) {
					bound.put(param, proc);
				} else if (arg instanceof Pagemap m && pagemaps.contains(m)) {
					scope.put(param, Operand.constant(pagemaps.indexOf(m)));
				} else {
					throw new CompileError(t.getArgs().get(i), "argument " + (i + 1) + " of " + actor.getName()
							+ " is neither a procedure of the drivers nor a pagemap");
				}
			}
			Map<Param, Procedure> outer = actorArgs;
			actorArgs = bound;
			try {
				inside(actor.getName(), t, () -> threadBody(actor.getBody(), scope, frame));
			} finally {
				actorArgs = outer;
			}
		}

		/** A thread's body: its start block (the scenario's starting state) first, then the rest. */
		void threadBody(Block body, Map<Symbol, Operand> scope, Frame frame) {
			List<Statement> statements = body.getStatements();
			for (int i = 0; i < statements.size(); i++) {
				if (i == 0 && statements.get(i) instanceof Start start) {
					if (start.getBody() != null) {
						statements(start.getBody(), scope, frame, 0); // its variables stay visible after it
					}
					startLength = code.size();
				} else {
					statement(statements.get(i), scope, frame, 0);
				}
			}
		}

		void block(Block block, Map<Symbol, Operand> env, Frame frame, int depth) {
			if (block == null) {
				return;
			}
			statements(block, new HashMap<>(env), frame, depth);
		}

		/** The statements of a block in the given scope (atomic { } and start { } share the enclosing scope). */
		void statements(Block block, Map<Symbol, Operand> scope, Frame frame, int depth) {
			for (Statement s : block.getStatements()) {
				statement(s, scope, frame, depth);
			}
		}

		void statement(Statement s, Map<Symbol, Operand> env, Frame frame, int depth) {
			if (s instanceof Block b) {
				block(b, env, frame, depth);
			} else if (s instanceof Let let) {
				let(let, env, frame, depth);
			} else if (s instanceof FieldWrite w) {
				if (w.getField() == PageField.PGMAP) {
					throw new CompileError(w, "page->pgmap is constant: the model cannot write it");
				}
				Field field = w.getField() == PageField.ZONE_DEVICE_DATA ? Field.ZONE_DEVICE_DATA : Field.MAPPING;
				emit(Op.FIELD_WRITE, 0, field.code(), 0,
						List.of(symbol(w.getTarget(), env, w), operand(w.getValue(), env)), w);
			} else if (s instanceof CallStatement c) {
				if (c.getCall() instanceof BuiltinCall b) {
					builtin(b, null, c.getOrElse(), env, frame, depth, c);
				} else if (c.getCall() instanceof ProcCall p) {
					Integer result = c.getOrElse() != null ? slot("result of " + callee(p, c).getName()) : null;
					call(p, env, result, depth, c);
					if (result != null) {
						int test = silent(emit(Op.BRANCH, 0, Compare.TRUTH.code(), 0, List.of(Operand.slot(result)), c));
						elseBranch(test, c.getOrElse(), env, frame, depth);
					}
				}
			} else if (s instanceof OpCall op) {
				opCall(op, env, frame, depth);
			} else if (s instanceof If i) {
				ifStatement(i, env, frame, depth);
			} else if (s instanceof Return r) {
				ret(r, env, frame);
			} else if (s instanceof Atomic a) {
				boolean outer = atomicRegion == 0;
				if (outer) {
					atomicRegion = ++regions;
				}
				if (a.getBody() != null) {
					statements(a.getBody(), env, frame, depth); // variables assigned inside stay visible after it
				}
				if (outer) {
					atomicRegion = 0;
				}
			} else if (s instanceof Assert a) {
				if (test(Op.ASSERT, a.getCond(), env, a) < 0) {
					throw new CompileError(a, "assert needs a test without side effects");
				}
			} else if (s instanceof Wait w) {
				if (test(Op.WAIT, w.getCond(), env, w) < 0) {
					throw new CompileError(w, "wait_var_event needs a condition without side effects");
				}
			} else if (s instanceof Repeat r) {
				for (int i = 0; i < r.getCount(); i++) {
					block(r.getBody(), env, frame, depth);
				}
			} else if (s instanceof Either e) {
				either(e, env, frame, depth);
			} else if (s instanceof Start st) {
				throw new CompileError(st, "a start block is the first statement of a thread");
			} else if (s instanceof Warn w) {
				emit(Op.WARN, w);
			}
		}

		/** either { A } or { B } or { C }: CHOICE A | (CHOICE B | C). */
		private void either(Either e, Map<Symbol, Operand> env, Frame frame, int depth) {
			List<Integer> ends = new ArrayList<>();
			List<Block> branches = e.getBranches();
			for (int i = 0; i < branches.size(); i++) {
				int choice = i < branches.size() - 1 ? silent(emit(Op.CHOICE, e)) : -1;
				block(branches.get(i), env, frame, depth);
				if (choice >= 0) {
					ends.add(jump(e));
					patch(choice, code.size());
				}
			}
			for (int at : ends) {
				patch(at, code.size());
			}
		}

		/** A variable visible here with the name a Let assigns: the Let assigns it instead of declaring a new one. */
		private Symbol assigned(Let let, Map<Symbol, Operand> env) {
			for (Symbol s : env.keySet()) {
				if ((s instanceof Let || s instanceof Param) && s != let && let.getName() != null
						&& let.getName().equals(s.getName())) {
					return s;
				}
			}
			for (Var v : globalIds.keySet()) {
				if (v.getName() != null && v.getName().equals(let.getName())) {
					return v;
				}
			}
			return null;
		}

		private void let(Let let, Map<Symbol, Operand> env, Frame frame, int depth) {
			Symbol earlier = assigned(let, env);
			if (earlier instanceof Var v) {
				Expression value = let.getValue();
				if (value instanceof ProcCall || (value instanceof BuiltinCall b && acts(b.getFn()))) {
					int tmp = slot(let.getName());
					letInto(let, tmp, env, frame, depth);
					emit(Op.GLOBAL_SET, globalIds.get(v), 0, 0, List.of(Operand.slot(tmp)), let);
				} else {
					emit(Op.GLOBAL_SET, globalIds.get(v), 0, 0, List.of(operand(value, env)), let);
				}
				return;
			}
			int slot;
			if (earlier != null && env.get(earlier).kind() == Operand.Kind.SLOT) {
				slot = env.get(earlier).value();
			} else {
				slot = slot(let.getName());
			}
			letInto(let, slot, env, frame, depth);
			env.put(let, Operand.slot(slot));
			if (earlier != null) {
				env.put(earlier, Operand.slot(slot));
			}
		}

		private void letInto(Let let, int slot, Map<Symbol, Operand> env, Frame frame, int depth) {
			Expression value = let.getValue();
			if (value instanceof ProcCall p) {
				call(p, env, slot, depth, let);
				if (let.getOrElse() != null) {
					int test = silent(emit(Op.BRANCH, 0, Compare.TRUTH.code(), 0, List.of(Operand.slot(slot)), let));
					elseBranch(test, let.getOrElse(), env, frame, depth);
				}
			} else if (value instanceof BuiltinCall b && acts(b.getFn())) {
				builtin(b, slot, let.getOrElse(), env, frame, depth, let);
			} else {
				emit(Op.LET, 0, 0, slot, List.of(operand(value, env)), let);
			}
		}

		private boolean acts(Builtin fn) {
			return switch (fn) {
			case POP, ALLOC_BIT, GEN_POOL_ALLOC, ANY_PAGE, GET_PAGE_UNLESS_ZERO, TRYLOCK_PAGE, PGMAP_TRYGET_LIVE, KZALLOC,
					PIN_USER_PAGES, KREF_GET_UNLESS_ZERO, CLAIM_PAGE, KREF_PUT -> true;
			default -> false;
			};
		}

		/** Emits the else branch of the failing test at {@code test}; the success path jumps over it. */
		private void elseBranch(int test, Statement orElse, Map<Symbol, Operand> env, Frame frame, int depth) {
			if (orElse == null) {
				patch(test, code.size());
				return;
			}
			int skip = jump(orElse);
			patch(test, code.size());
			statement(orElse, new HashMap<>(env), frame, depth);
			patch(skip, code.size());
		}

		/** The instruction of a call that tests and acts (target on failure), or null. */
		private Op tryOp(Builtin fn) {
			return switch (fn) {
			case TRYLOCK_PAGE -> Op.PAGE_TRYLOCK;
			case GET_PAGE_UNLESS_ZERO, PIN_USER_PAGES -> Op.TRY_GET;
			case PGMAP_TRYGET_LIVE -> Op.PGMAP_TRYGET;
			case KREF_GET_UNLESS_ZERO -> Op.KREF_TRY_GET;
			case KREF_PUT -> Op.KREF_PUT;
			case CLAIM_PAGE -> Op.CLAIM;
			default -> null;
			};
		}

		/** Emits a call that tests and acts; returns the instruction whose target is its failure. */
		private int emitTry(BuiltinCall b, Map<Symbol, Operand> env, EObject source) {
			List<Expression> a = b.getArgs();
			if (b.getFn() == Builtin.CLAIM_PAGE) {
				return emit(Op.CLAIM, pool(a.get(0)), 0, 0, List.of(operand(a.get(1), env)), source);
			}
			Op op = tryOp(b.getFn());
			int call = op != Op.TRY_GET ? 0 : (b.getFn() == Builtin.PIN_USER_PAGES ? TryGet.PIN : TryGet.UNLESS_ZERO).code();
			return emit(op, 0, call, 0, List.of(operand(a.get(0), env)), source);
		}

		private void builtin(BuiltinCall b, Integer slot, Statement orElse, Map<Symbol, Operand> env, Frame frame,
				int depth, EObject source) {
			List<Expression> a = b.getArgs();
			switch (b.getFn()) {
			case SPIN_LOCK, MUTEX_LOCK -> emit(Op.LOCK, lock(a.get(0), env), 0, 0, List.of(), source);
			case SPIN_UNLOCK, MUTEX_UNLOCK -> emit(Op.UNLOCK, lock(a.get(0), env), 0, 0, List.of(), source);
			case LOCK_PAGE -> emit(Op.PAGE_LOCK, source, operand(a.get(0), env));
			case UNLOCK_PAGE -> emit(Op.PAGE_UNLOCK, source, operand(a.get(0), env));
			case GET_PAGE, FOLIO_GET -> emit(Op.GET, source, operand(a.get(0), env));
			case FOLIO_REF_INC -> emit(Op.REF_INC, source, operand(a.get(0), env));
			case VM_INSERT_PAGE -> {
				mayFail(Op.MAP, b, orElse, env, frame, depth, source);
				return;
			}
			case VMF_INSERT_MIXED -> emit(Op.MAP_PFN, source, operand(a.get(0), env));
			case SET_PAGE_COUNT -> emit(Op.SET_COUNT, source, operand(a.get(0), env), operand(a.get(1), env));
			case PUT_PAGE, FOLIO_PUT, UNPIN_USER_PAGE -> put(Op.PUT, b.getFn().getLiteral(), operand(a.get(0), env), depth, source);
			case UNMAP_PAGE -> put(Op.UNMAP, b.getFn().getLiteral(), operand(a.get(0), env), depth, source);
			case UNMAP_MAPPING_RANGE -> put(Op.UNMAP_ALL, b.getFn().getLiteral(), operand(a.get(0), env), depth, source);
			case PUSH, CLEAR_BIT, GEN_POOL_FREE, RELEASE_PAGE -> emit(Op.POOL_PUT, pool(a.get(0)), 0, 0,
					List.of(operand(a.get(1), env)), source);
			case RELEASE_BACKING -> emit(Op.RELEASE_BACKING, pool(a.get(0)), 0, 0, List.of(operand(a.get(1), env)), source);
			case KREF_INIT -> emit(Op.KREF_INIT, source, operand(a.get(0), env));
			case KREF_GET -> emit(Op.KREF_GET, source, operand(a.get(0), env));
			case KFREE -> emit(Op.KFREE, source, operand(a.get(0), env));
			case ACCESS -> emit(Op.ACCESS, 0, (Kinds.of(a.get(0)) == Kind.OBJECT ? Accessed.OBJECT : Accessed.PAGE).code(), 0,
					List.of(operand(a.get(0), env)), source);
			case PGMAP_GET -> emit(Op.PGMAP_GET, source, operand(a.get(0), env));
			case PGMAP_PUT -> emit(Op.PGMAP_PUT, source, operand(a.get(0), env));
			case MEMUNMAP_PAGES -> emit(Op.MEMUNMAP, source, operand(a.get(0), env));
			case WAKE_UP_VAR -> emit(Op.NOP, 0, Nop.NO_EFFECT.code(), 0, List.of(), source);
			case POP, ALLOC_BIT, GEN_POOL_ALLOC -> {
				int dest = slot != null ? slot : slot("taken page");
				int at = emit(Op.POOL_TAKE, pool(a.get(0)), 0, dest, List.of(), source);
				elseBranch(at, orElse, env, frame, depth);
				return;
			}
			case KZALLOC -> {
				DriverObject o = objectArray(a.get(0));
				int dest = slot != null ? slot : slot("allocated object");
				int choice = orElse != null ? silent(emit(Op.CHOICE, source)) : -1;
				int at = emit(Op.KZALLOC, objectIds.get(o), o.getCount(), dest, List.of(), source);
				if (orElse == null) {
					patch(at, code.size());
					return;
				}
				int skip = jump(source);
				patch(choice, code.size());
				patch(at, code.size());
				silent(emit(Op.LET, 0, 0, dest, List.of(Operand.constant(Operand.NULL)), source));
				emit(Op.NOP, 0, Nop.FAILS.code(), 0, List.of(), source); // the allocation fails
				statement(orElse, new HashMap<>(env), frame, depth);
				patch(skip, code.size());
				return;
			}
			case ANY_PAGE -> {
				int dest = slot != null ? slot : slot("any page");
				emit(Op.ANY_PAGE, pagemapConst(a.get(0), env), 0, dest, List.of(), source);
			}
			case TRYLOCK_PAGE, GET_PAGE_UNLESS_ZERO, PIN_USER_PAGES, PGMAP_TRYGET_LIVE, KREF_GET_UNLESS_ZERO, CLAIM_PAGE,
					KREF_PUT -> {
				if (slot == null) {
					int at = emitTry(b, env, source);
					if (b.getFn() == Builtin.KREF_PUT && orElse == null) {
						patch(at, code.size()); // a plain kref_put: the last and the other puts go on alike
						return;
					}
					elseBranch(at, orElse, env, frame, depth);
					return;
				}
				silent(emit(Op.LET, 0, 0, slot, List.of(Operand.constant(1)), source));
				int at = emitTry(b, env, source);
				int skip = jump(source);
				patch(at, code.size());
				silent(emit(Op.LET, 0, 0, slot, List.of(Operand.constant(0)), source));
				patch(skip, code.size());
				if (orElse != null) {
					int test = silent(emit(Op.BRANCH, 0, Compare.TRUTH.code(), 0, List.of(Operand.slot(slot)), source));
					elseBranch(test, orElse, env, frame, depth);
				}
				return;
			}
			case PAGE_REF_COUNT, PAGE_TYPE, PAGE_INIT_MODE, HAS_PAGE_FREE, PAGE_MAPPED, PFN_TO_PAGE -> {
				if (slot != null) {
					emit(Op.LET, 0, 0, slot, List.of(operand(b, env)), source);
				}
			}
			}
			if (orElse != null) {
				throw new CompileError(source, b.getFn().getLiteral() + " cannot fail: its else branch never runs");
			}
		}

		/** A call that may fail (vm_insert_page): with an else, both outcomes are explored. */
		private void mayFail(Op op, BuiltinCall b, Statement orElse, Map<Symbol, Operand> env, Frame frame, int depth,
				EObject source) {
			Operand page = operand(b.getArgs().get(0), env);
			if (orElse == null) {
				emit(op, source, page);
				return;
			}
			int choice = silent(emit(Op.CHOICE, source));
			emit(op, source, page);
			int skip = jump(source);
			patch(choice, code.size());
			emit(Op.NOP, 0, Nop.FAILS.code(), 0, List.of(), source); // the call fails
			statement(orElse, new HashMap<>(env), frame, depth);
			patch(skip, code.size());
		}

		/** put_page: when the count reaches the free threshold, the core's final_put runs in this thread. */
		private void put(Op op, String function, Operand page, int depth, EObject source) {
			Operand p = stable(page, "put page", source);
			int at = emit(op, source, p);
			Hook finalPut = hook(HookKind.FINAL_PUT);
			if (finalPut != null && !finalPut.getParams().isEmpty()) {
				checkDepth(depth, source);
				Map<Symbol, Operand> env = new HashMap<>();
				env.put(finalPut.getParams().get(0), p);
				Frame frame = new Frame(null, false);
				// put_page() -> the core's function of its final put (free_zone_device_page)
				inside(function, source, () -> inside(finalPut.getFunction() != null ? finalPut.getFunction() : "final_put", finalPut,
						() -> block(finalPut.getBody(), env, frame, depth + 1)));
				frame.patchExits(this, code.size());
				silent(emit(Op.FINAL_PUT_END, finalPut, p));
			}
			patch(at, code.size());
		}

		/**
		 * call page_free(page): the op of the page's pagemap, chosen at run time when there are
		 * several; like the kernel it runs nothing (or the else branch) for a pagemap whose driver
		 * has no such op.
		 */
		private void opCall(OpCall call, Map<Symbol, Operand> env, Frame outer, int depth) {
			if (call.getArgs().isEmpty()) {
				throw new CompileError(call, "call " + call.getRole().getLiteral() + " needs the page");
			}
			Operand page = stable(operand(call.getArgs().get(0), env), "page of " + call.getRole().getLiteral(), call);
			boolean frees = call.getRole() == OpRole.PAGE_FREE || call.getRole() == OpRole.FOLIO_FREE;
			List<Integer> ends = new ArrayList<>();
			for (int m = 0; m < pagemaps.size(); m++) {
				Driver driver = pagemaps.get(m).getDriver();
				org.pgmap.dsl.pgmap.Op op = driver == null || driver.eIsProxy() ? null : op(driver, call.getRole());
				int test = pagemaps.size() == 1 ? -1
						: silent(emit(Op.BRANCH, 0, Compare.EQ.code(), 0,
								List.of(Operand.of(Operand.Kind.PGMAP_OF, page), Operand.constant(m)), call));
				if (op == null) {
					if (call.getOrElse() != null) {
						statement(call.getOrElse(), new HashMap<>(env), outer, depth);
					}
				} else {
					if (frees) {
						emit(Op.PAGE_FREE_BEGIN, call, page);
					}
					checkDepth(depth, call);
					Map<Symbol, Operand> inner = new HashMap<>();
					if (!op.getParams().isEmpty()) {
						inner.put(op.getParams().get(0), page);
					}
					Frame frame = new Frame(null, false);
					inside(op.getName(), call, () -> block(op.getBody(), inner, frame, depth + 1));
					frame.patchExits(this, code.size());
				}
				if (test >= 0) {
					ends.add(jump(call));
					patch(test, code.size());
				}
			}
			for (int at : ends) {
				patch(at, code.size());
			}
		}

		/** Inlines a call of a procedure, helper or op; its result (if wanted) goes to {@code result}. */
		private void call(ProcCall call, Map<Symbol, Operand> env, Integer result, int depth, EObject source) {
			Procedure proc = callee(call, source);
			checkDepth(depth, source);
			Set<String> assignedNames = assignedNames(proc);
			Map<Symbol, Operand> inner = new HashMap<>();
			for (int i = 0; i < proc.getParams().size() && i < call.getArgs().size(); i++) {
				Param param = proc.getParams().get(i);
				Operand arg = operand(call.getArgs().get(i), env);
				if (assignedNames.contains(param.getName())) {
					int s = slot(param.getName());
					emit(Op.LET, 0, 0, s, List.of(arg), source);
					arg = Operand.slot(s);
				}
				inner.put(param, stable(arg, param.getName(), source));
			}
			boolean alloc = proc instanceof Alloc;
			Integer resultSlot = result;
			if (alloc && resultSlot == null) {
				resultSlot = slot("result of " + proc.getName());
			}
			if (resultSlot != null) {
				// an alloc that falls off its end returned none; a proc that does succeeded
				silent(emit(Op.LET, 0, 0, resultSlot, List.of(Operand.constant(alloc ? Operand.NULL : 1)), source));
			}
			Frame frame = new Frame(resultSlot, alloc);
			inside(proc.getName(), source, () -> block(proc.getBody(), inner, frame, depth + 1));
			frame.patchExits(this, code.size());
		}

		/** The procedure a call runs: the one it names, or the one the scenario gave the actor's parameter it names. */
		private Procedure callee(ProcCall call, EObject source) {
			Callable c = call.getProc();
			if (c instanceof Param param && actorArgs.containsKey(param)) {
				return actorArgs.get(param);
			}
			if (c instanceof Procedure proc && !proc.eIsProxy()) {
				return proc;
			}
			throw new CompileError(source, c instanceof Param ? "'" + c.getName() + "' is no procedure here"
					: "call of an undefined procedure");
		}

		/** Names a procedure's body assigns (so parameters of those names need a slot of their own). */
		private Set<String> assignedNames(Procedure proc) {
			Set<String> names = new HashSet<>();
			for (Let let : EcoreUtil2.getAllContentsOfType(proc, Let.class)) {
				names.add(let.getName());
			}
			return names;
		}

		private void ret(Return r, Map<Symbol, Operand> env, Frame frame) {
			if (frame == null) {
				throw new CompileError(r, "return outside a procedure or thread");
			}
			if (frame.resultSlot != null) {
				Operand value;
				if (r.getValue() == null) {
					value = frame.alloc ? Operand.constant(Operand.NULL) : Operand.constant(0); // a bare return: failure
				} else if (r.getValue() instanceof NoneLiteral) {
					value = Operand.constant(Operand.NULL);
				} else {
					value = operand(r.getValue(), env);
				}
				silent(emit(Op.LET, 0, 0, frame.resultSlot, List.of(value), r));
				if (frame.alloc && r.getValue() != null && !(r.getValue() instanceof NoneLiteral)) {
					emit(Op.HANDOFF, r, Operand.slot(frame.resultSlot));
				}
			}
			frame.exits.add(jump(r));
		}

		private void ifStatement(If i, Map<Symbol, Operand> env, Frame frame, int depth) {
			Condition c = i.getCond();
			int test = test(Op.BRANCH, c, env, i);
			if (test < 0) {
				// a test that acts: trylock_page, get_page_unless_zero, kref_put, claim_page, ...
				BuiltinCall b = (BuiltinCall) c.getLeft();
				test = emitTry(b, env, i);
				if (c.isNegated()) {
					// if !trylock_page(p) { A } else { B }: the failure runs A
					int success = jump(i);
					patch(test, code.size());
					block(i.getThen(), env, frame, depth);
					int skipElse = jump(i);
					patch(success, code.size());
					elsePart(i, env, frame, depth);
					patch(skipElse, code.size());
					return;
				}
			}
			block(i.getThen(), env, frame, depth);
			if (i.getElseIf() == null && i.getElse() == null) {
				patch(test, code.size());
				return;
			}
			int skip = jump(i);
			patch(test, code.size());
			elsePart(i, env, frame, depth);
			patch(skip, code.size());
		}

		private void elsePart(If i, Map<Symbol, Operand> env, Frame frame, int depth) {
			if (i.getElseIf() != null) {
				statement(i.getElseIf(), env, frame, depth);
			} else if (i.getElse() != null) {
				block(i.getElse(), env, frame, depth);
			}
		}

		/** A side-effect-free test; returns the instruction, or -1 for a test that acts. */
		private int test(Op op, Condition c, Map<Symbol, Operand> env, EObject source) {
			if (c.getRight() == null && c.getLeft() instanceof BuiltinCall b && tryOp(b.getFn()) != null) {
				return -1;
			}
			Operand left = operand(c.getLeft(), env);
			Compare cmp;
			List<Operand> args;
			if (c.getRight() == null) {
				cmp = Compare.TRUTH;
				args = List.of(left);
			} else {
				cmp = compare(c.getOp());
				args = List.of(left, operand(c.getRight(), env));
			}
			if (c.isNegated()) {
				if (cmp == Compare.TRUTH) {
					cmp = Compare.EQ; // !x is x == 0
					args = List.of(left, Operand.constant(0));
				} else {
					cmp = cmp.negated();
				}
			}
			int at = emit(op, 0, cmp.code(), 0, args, source);
			return op == Op.BRANCH && args.stream().allMatch(ModelCompiler::constantInfo) ? silent(at) : at;
		}

		private static Compare compare(CompareOp op) {
			return switch (op) {
			case EQ -> Compare.EQ;
			case NE -> Compare.NE;
			case LT -> Compare.LT;
			case LE -> Compare.LE;
			case GT -> Compare.GT;
			case GE -> Compare.GE;
			};
		}

		/** An operand that keeps its value while the callee runs: a slot or a constant. */
		private Operand stable(Operand o, String slotName, EObject source) {
			if (o.kind() == Operand.Kind.CONST || o.kind() == Operand.Kind.SLOT) {
				return o;
			}
			int s = slot(slotName);
			emit(Op.LET, 0, 0, s, List.of(o), source);
			return Operand.slot(s);
		}

		private void checkDepth(int depth, EObject source) {
			if (depth >= MAX_INLINE_DEPTH) {
				throw new CompileError(source,
						"calls nest deeper than " + MAX_INLINE_DEPTH + " (put_page inside page_free inside ...)");
			}
		}

		private int lock(Expression e, Map<Symbol, Operand> env) {
			if (!(e instanceof SymbolRef ref) || !(ref.getSymbol() instanceof Lock l) || !lockBase.containsKey(l)) {
				throw new CompileError(e, "'" + text(e) + "' is not a lock");
			}
			int index = 0;
			if (ref.getIndex() != null) {
				Operand i = operand(ref.getIndex(), env);
				if (i.kind() != Operand.Kind.CONST) {
					throw new CompileError(ref, "the index of " + l.getName()
							+ " must be known when the scenario starts (a number, or a parameter given one)");
				}
				index = i.value();
				if (index < 0 || index >= Math.max(1, l.getCount())) {
					throw new CompileError(ref, l.getName() + "[" + index + "] is outside the array of " + l.getCount());
				}
			}
			return lockBase.get(l) + index;
		}

		private int pool(Expression e) {
			if (e instanceof SymbolRef ref && poolIds.containsKey(ref.getSymbol())) {
				return poolIds.get(ref.getSymbol());
			}
			throw new CompileError(e, "'" + text(e) + "' is not a pool");
		}

		private DriverObject objectArray(Expression e) {
			if (e instanceof SymbolRef ref && ref.getSymbol() instanceof DriverObject o && objectIds.containsKey(o)) {
				if (o.getCount() <= 0) {
					throw new CompileError(e, "kzalloc allocates an instance of an object array: declare 'object "
							+ o.getName() + "[N]' (N instances), or use the object " + o.getName() + " itself");
				}
				return o;
			}
			throw new CompileError(e, "kzalloc needs a driver object array, 'object NAME[N]'");
		}

		private int pagemapConst(Expression e, Map<Symbol, Operand> env) {
			Operand o = operand(e, env);
			if (o.kind() != Operand.Kind.CONST) {
				throw new CompileError(e, "name the pagemap");
			}
			return o.value();
		}

		private Operand symbol(Symbol s, Map<Symbol, Operand> env, EObject source) {
			Operand o = env.get(s);
			if (o != null) {
				return o;
			}
			if (s instanceof Pagemap m && pagemaps.contains(m)) {
				return Operand.constant(pagemaps.indexOf(m));
			}
			if (s instanceof DriverObject d && objectIds.containsKey(d)) {
				if (d.getCount() > 0) {
					throw new CompileError(source, d.getName() + " is an array of objects: kzalloc(" + d.getName()
							+ ") hands out an instance");
				}
				return Operand.constant(Operand.object(objectIds.get(d)));
			}
			if (s instanceof Var v && globalIds.containsKey(v)) {
				return Operand.global(globalIds.get(v));
			}
			if (s instanceof Param || s instanceof Let) {
				throw new CompileError(source, "'" + s.getName() + "' has no value here");
			}
			throw new CompileError(source, "'" + (s == null ? "?" : s.getName()) + "' cannot be used as a value");
		}

		Operand operand(Expression e, Map<Symbol, Operand> env) {
			if (e instanceof SymbolRef ref) {
				Operand base = symbol(ref.getSymbol(), env, ref);
				PageField f = Kinds.field(ref);
				if (f == null) {
					return base;
				}
				return Operand.of(f == PageField.ZONE_DEVICE_DATA ? Operand.Kind.ZONE_DEVICE_DATA
						: f == PageField.MAPPING ? Operand.Kind.MAPPING : Operand.Kind.PGMAP_OF, base);
			}
			if (e instanceof IntLiteral i) {
				return Operand.constant(i.getValue());
			}
			if (e instanceof NullLiteral || e instanceof NoneLiteral) {
				return Operand.constant(Operand.NULL);
			}
			if (e instanceof PrivateLiteral) {
				return Operand.constant(Operand.PRIVATE);
			}
			if (e instanceof TypeLiteral t) {
				return Operand.constant(ExecModel.TYPES.indexOf(t.getType().getLiteral()));
			}
			if (e instanceof ModeLiteral m) {
				return Operand.constant(ExecModel.MODES.indexOf(m.getMode().getLiteral()));
			}
			if (e instanceof BuiltinCall b) {
				switch (b.getFn()) {
				case PAGE_REF_COUNT:
					return Operand.of(Operand.Kind.REFCOUNT, operand(b.getArgs().get(0), env));
				case PAGE_TYPE:
					return Operand.of(Operand.Kind.TYPE, operand(b.getArgs().get(0), env));
				case PAGE_INIT_MODE:
					return Operand.of(Operand.Kind.INIT_MODE, operand(b.getArgs().get(0), env));
				case HAS_PAGE_FREE:
					return Operand.of(Operand.Kind.HAS_PAGE_FREE, operand(b.getArgs().get(0), env));
				case PAGE_MAPPED:
					return Operand.of(Operand.Kind.MAPPED, operand(b.getArgs().get(0), env));
				case PFN_TO_PAGE: {
					Operand m = operand(b.getArgs().get(0), env);
					Operand i = operand(b.getArgs().get(1), env);
					if (m.kind() != Operand.Kind.CONST || i.kind() != Operand.Kind.CONST) {
						throw new CompileError(b, "pfn_to_page needs a pagemap and a number");
					}
					Pagemap pm = pagemaps.get(m.value());
					if (i.value() < 0 || i.value() >= pm.getPages()) {
						throw new CompileError(b, pm.getName() + " has " + pm.getPages() + " pages: no page " + i.value());
					}
					return Operand.constant(Operand.page(firstPage.get(pm) + i.value()));
				}
				default:
					break;
				}
			}
			throw new CompileError(e, "'" + text(e) + "' has no value: use it as a statement");
		}
	}

	/** Whether an operand reads nothing that can change: constants, a page's type or init mode. */
	static boolean constantInfo(Operand o) {
		return switch (o.kind()) {
		case CONST -> true;
		case TYPE, INIT_MODE, PGMAP_OF, HAS_PAGE_FREE -> true;
		default -> false;
		};
	}

	static Loc loc(EObject o) {
		ICompositeNode node = NodeModelUtils.findActualNodeFor(o);
		String file = fileOf(o);
		if (node == null) {
			return new Loc(file, 0, 0, "");
		}
		int column = 1 + node.getOffset() - lineStart(node);
		return new Loc(file, node.getStartLine(), column, SourceText.of(node, SourceText.SHOWN));
	}

	/** A file's path for reports: the local path, or library/NAME for the shipped library. */
	static String fileOf(EObject o) {
		if (o.eResource() == null) {
			return "";
		}
		org.eclipse.emf.common.util.URI uri = o.eResource().getURI();
		if (uri.isFile()) {
			return uri.toFileString();
		}
		return "library/" + uri.lastSegment();
	}

	private static int lineStart(ICompositeNode node) {
		String all = node.getRootNode().getText();
		int i = node.getOffset();
		while (i > 0 && all.charAt(i - 1) != '\n') {
			i--;
		}
		return i;
	}

	static String text(EObject o) {
		return SourceText.of(o);
	}
}
