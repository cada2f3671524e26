package org.pgmap.dsl.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.pgmap.dsl.pgmap.Actor;
import org.pgmap.dsl.pgmap.Atomic;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.Core;
import org.pgmap.dsl.pgmap.Builtin;
import org.pgmap.dsl.pgmap.BuiltinCall;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Driver;
import org.pgmap.dsl.pgmap.Either;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.FreeList;
import org.pgmap.dsl.pgmap.FinalPutRule;
import org.pgmap.dsl.pgmap.HandoffRule;
import org.pgmap.dsl.pgmap.Hook;
import org.pgmap.dsl.pgmap.HookKind;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.LinkField;
import org.pgmap.dsl.pgmap.Model;
import org.pgmap.dsl.pgmap.Op;
import org.pgmap.dsl.pgmap.OpRole;
import org.pgmap.dsl.pgmap.Pagemap;
import org.pgmap.dsl.pgmap.PgmapPackage.Literals;
import org.pgmap.dsl.pgmap.PgmapType;
import org.pgmap.dsl.pgmap.ProcCall;
import org.pgmap.dsl.pgmap.Procedure;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Scenario;
import org.pgmap.dsl.pgmap.SpecHeader;
import org.pgmap.dsl.pgmap.Start;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Thread;
import org.pgmap.dsl.semantics.Actors;
import org.pgmap.dsl.semantics.Eras;

/**
 * The shape of a spec: unique names, a core to run against, pagemaps with the ops their type
 * needs, cores that define an era completely, reachable statements, and scenarios small enough
 * to explore.
 */
public class StructureValidator extends AbstractDeclarativeValidator {

	/** Past these a scenario is reported as too large to explore on save. */
	public static final int MAX_THREADS = 8;
	public static final int MAX_REPEAT = 16;
	public static final int MAX_PAGES = 16;
	public static final int MAX_REPEAT_PRODUCT = 1024;

	@Override
	public void register(EValidatorRegistrar registrar) {
		// composed into PgmapValidator
	}

	// ------------------------------------------------------------ names

	@Check
	public void checkUniqueTopLevel(Model model) {
		unique(model.getElements(), "in this file");
	}

	@Check
	public void checkUniqueMembers(Driver driver) {
		unique(driver.getMembers(), "in driver " + driver.getName());
	}

	@Check
	public void checkUniqueHelpers(Core core) {
		unique(core.getHelpers(), "in core " + core.getName());
		unique(core.getActors(), "in core " + core.getName());
	}

	@Check
	public void checkUniqueParams(Actor actor) {
		unique(actor.getParams(), "in the parameters of " + actor.getName());
	}

	@Check
	public void checkUniqueThreads(Scenario scenario) {
		unique(scenario.getThreads(), "in scenario " + scenario.getName());
	}

	@Check
	public void checkUniqueParams(Procedure procedure) {
		unique(procedure.getParams(), "in the parameters of " + procedure.getName());
	}

	private void unique(List<? extends EObject> elements, String where) {
		Map<String, EObject> seen = new HashMap<>();
		for (EObject e : elements) {
			EStructuralFeature nameFeature = e.eClass().getEStructuralFeature("name");
			if (nameFeature == null || !(e.eGet(nameFeature) instanceof String name)) {
				continue;
			}
			EObject first = seen.putIfAbsent(name, e);
			if (first != null) {
				error("'" + name + "' is declared twice " + where + " (first on line " + Bodies.line(first) + ")", e,
						nameFeature, IssueCodes.DUPLICATE_NAME);
			}
		}
	}

	// ------------------------------------------------------------ the spec and its core

	@Check
	public void checkHasCore(Model model) {
		boolean needsCore = model.getElements().stream()
				.anyMatch(e -> e instanceof Pagemap || e instanceof Driver || e instanceof Scenario);
		SpecHeader header = model.getHeader();
		if (needsCore && (header == null || header.getCore() == null)) {
			EObject where = header != null ? header : model.getElements().get(0);
			error("this spec names no core: add 'uses core <era>' after its spec line (cores: "
					+ String.join(", ", org.pgmap.dsl.library.PgmapLibrary.FILES) + ")",
					where, null, IssueCodes.MISSING_CORE);
		}
	}

	@Check
	public void checkUsedCoreStaticRaces(SpecHeader header) {
		Core core = header.getCore();
		if (core == null || core.eIsProxy()) {
			return;
		}
		Model model = EcoreUtil2.getContainerOfType(header, Model.class);
		Set<PublishValidator.Finding> findings = new LinkedHashSet<>();
		for (Pagemap pagemap : EcoreUtil2.typeSelect(model.getElements(), Pagemap.class)) {
			for (Hook hook : core.getHooks()) {
				findings.addAll(PublishValidator.findings(hook, pagemap));
			}
		}
		for (Hook hook : core.getHooks()) {
			for (PublishValidator.Finding f : findings) {
				if (!EcoreUtil2.isAncestor(hook, f.statement())) {
					continue;
				}
				String file = f.statement().eResource() == null ? "" : f.statement().eResource().getURI().lastSegment();
				warning("core " + core.getName() + ", " + hook.getKind().getLiteral() + " (" + file + " line "
						+ Bodies.line(f.statement()) + "): " + f.message(), header, Literals.SPEC_HEADER__CORE, f.code());
			}
		}
	}

	@Check
	public void checkCore(Core core) {
		if (core.getIdle().isEmpty()) {
			error("core " + core.getName() + " gives no idle refcount: add 'idle refcount 0' or 'idle refcount 1'", core,
					Literals.CORE__NAME, IssueCodes.CORE_INCOMPLETE);
		}
		Set<HookKind> seen = new LinkedHashSet<>();
		for (Hook hook : core.getHooks()) {
			if (!seen.add(hook.getKind())) {
				error("core " + core.getName() + " defines 'on " + hook.getKind().getLiteral() + "' twice", hook,
						Literals.HOOK__KIND, IssueCodes.DUPLICATE_NAME);
			}
		}
		if (!seen.contains(HookKind.FINAL_PUT)) {
			error("core " + core.getName() + " has no 'on final_put(page) { ... }': what does the last put_page do?",
					core, Literals.CORE__NAME, IssueCodes.CORE_INCOMPLETE);
		}
		for (FinalPutRule rule : core.getFinals()) {
			if (rule.getValue() > 1) {
				error("final put at " + rule.getValue() + ": the kernel frees a page when its count drops to 0 (or to 1 before v5.18)",
						rule, Literals.FINAL_PUT_RULE__VALUE, IssueCodes.CORE_INCOMPLETE);
			}
		}
		for (HandoffRule rule : core.getHandoffs()) {
			if (rule.getValue() > 2) {
				error("handoff refcount " + rule.getValue() + ": an allocator hands a page out at 1 (2 in v5.17)", rule,
						Literals.HANDOFF_RULE__VALUE, IssueCodes.CORE_INCOMPLETE);
			}
		}
	}

	// ------------------------------------------------------------ pagemaps and drivers

	@Check
	public void checkPagemap(Pagemap pagemap) {
		PgmapType type = pagemap.getType();
		boolean needsFree = type == PgmapType.MEMORY_DEVICE_PRIVATE || type == PgmapType.MEMORY_DEVICE_COHERENT;
		Driver driver = pagemap.getDriver();
		boolean hasFree = driver != null && !driver.eIsProxy() && hasOp(driver, OpRole.PAGE_FREE, OpRole.FOLIO_FREE);
		if (needsFree && !hasFree) {
			error(type.getLiteral() + " pages need a page_free op: memremap_pages() refuses the pagemap without one ("
					+ (driver == null ? "add 'ops <driver>' and " : "") + "declare 'op page_free <name>(page) { ... }' in the driver)",
					pagemap, driver == null ? Literals.PAGEMAP__TYPE : Literals.PAGEMAP__DRIVER, IssueCodes.MISSING_OP);
		}
		if (type == PgmapType.MEMORY_DEVICE_PRIVATE && driver != null && !driver.eIsProxy()
				&& !hasOp(driver, OpRole.MIGRATE_TO_RAM)) {
			warning("MEMORY_DEVICE_PRIVATE pages need a migrate_to_ram op for CPU faults: memremap_pages() warns and fails without one",
					pagemap, Literals.PAGEMAP__DRIVER, IssueCodes.MISSING_OP);
		}
		if (pagemap.getPages() < 1) {
			error("a pagemap needs at least 1 page", pagemap, Literals.PAGEMAP__PAGES, IssueCodes.UNBOUNDED);
		} else if (pagemap.getPages() > MAX_PAGES && pagemap.getPages() <= LimitsValidator.MAX_PAGES) {
			warning(pagemap.getPages() + " pages: every interleaving is explored per page; " + MAX_PAGES
					+ " or fewer keeps the check fast (races need 1 or 2)", pagemap, Literals.PAGEMAP__PAGES,
					IssueCodes.UNBOUNDED);
		}
		Model model = EcoreUtil2.getContainerOfType(pagemap, Model.class);
		Core core = model == null || model.getHeader() == null ? null : model.getHeader().getCore();
		if (core != null && !core.eIsProxy() && !needsFree && !hasFree && Eras.callsPageFree(core, pagemap)) {
			warning("core " + core.getName() + " calls page_free for " + type.getLiteral() + " pages, but "
					+ (driver == null || driver.eIsProxy() ? "this pagemap names no driver ('ops <driver>')"
							: "driver " + driver.getName() + " has no page_free op")
					+ ": like the kernel (it tests ops->page_free), the model runs nothing there", pagemap,
					driver == null ? Literals.PAGEMAP__TYPE : Literals.PAGEMAP__DRIVER, IssueCodes.NO_PAGE_FREE);
		}
		if (core != null && !core.eIsProxy() && Eras.idleRefcount(core, pagemap) == null) {
			error("core " + core.getName() + " gives no idle refcount for " + type.getLiteral()
					+ (pagemap.getMode() != null && pagemap.eIsSet(Literals.PAGEMAP__MODE) ? " with " + pagemap.getMode().getLiteral() : ""),
					pagemap, Literals.PAGEMAP__TYPE, IssueCodes.NO_IDLE_REFCOUNT);
		}
	}

	private static boolean hasOp(Driver driver, OpRole... roles) {
		for (EObject m : driver.getMembers()) {
			if (m instanceof Op op) {
				for (OpRole r : roles) {
					if (op.getRole() == r) {
						return true;
					}
				}
			}
		}
		return false;
	}

	@Check
	public void checkFreeListLink(FreeList list) {
		if (list.getLink() == LinkField.LRU) {
			warning("free list " + list.getName() + " is linked through page->lru, which aliases page->pgmap on ZONE_DEVICE "
					+ "pages: link it through zone_device_data (R10)", list, Literals.FREE_LIST__LINK,
					IssueCodes.LRU_LINKED);
		}
	}

	// ------------------------------------------------------------ statements

	@Check
	public void checkReachable(Block block) {
		Statement terminator = null;
		for (Statement s : block.getStatements()) {
			if (terminator != null) {
				warning("unreachable: " + describe(terminator) + " on line " + Bodies.line(terminator)
						+ " always leaves before this statement", s, null, IssueCodes.UNREACHABLE);
				return;
			}
			if (alwaysLeaves(s)) {
				terminator = s;
			}
		}
	}

	private static String describe(Statement s) {
		return s instanceof Return ? "the return" : "the code";
	}

	public static boolean alwaysLeaves(Statement s) {
		if (s instanceof Return) {
			return true;
		}
		if (s instanceof Block b) {
			return b.getStatements().stream().anyMatch(StructureValidator::alwaysLeaves);
		}
		if (s instanceof Atomic a) {
			return alwaysLeaves(a.getBody());
		}
		if (s instanceof Either e) {
			return e.getBranches().stream().allMatch(StructureValidator::alwaysLeaves);
		}
		if (s instanceof If i) {
			Statement otherwise = i.getElseIf() != null ? i.getElseIf() : i.getElse();
			return otherwise != null && alwaysLeaves(i.getThen()) && alwaysLeaves(otherwise);
		}
		return false;
	}

	// ------------------------------------------------------------ scenarios

	@Check
	public void checkScenario(Scenario scenario) {
		if (scenario.getThreads().isEmpty()) {
			warning("scenario " + scenario.getName() + " has no threads: nothing to check", scenario,
					Literals.SCENARIO__NAME, IssueCodes.UNBOUNDED);
			return;
		}
		int threads = 0;
		for (Thread t : scenario.getThreads()) {
			threads += org.pgmap.dsl.semantics.SourceText.written(t, Literals.THREAD__COUNT) ? t.getCount() : 1;
		}
		if (threads > MAX_THREADS && threads <= LimitsValidator.MAX_THREADS) {
			warning("scenario " + scenario.getName() + " runs " + threads + " threads: the interleavings grow "
					+ "exponentially with each one; " + MAX_THREADS + " or fewer (races need 2 or 3)", scenario,
					Literals.SCENARIO__NAME, IssueCodes.UNBOUNDED);
		}
	}

	/** A start block is a thread's first statement, and deterministic: it is the history, not a race. */
	@Check
	public void checkStart(Start start) {
		EObject block = start.eContainer();
		boolean first = block instanceof Block b && (block.eContainer() instanceof Thread || block.eContainer() instanceof Actor)
				&& b.getStatements().indexOf(start) == 0;
		if (!first) {
			error("a start block is the first statement of a thread: it says what happened before the scenario starts",
					start, null, IssueCodes.START_BLOCK);
			return;
		}
		for (var it = start.eAllContents(); it.hasNext();) {
			EObject e = it.next();
			String what = null;
			if (e instanceof Either) {
				what = "either";
			} else if (e instanceof BuiltinCall call && call.getFn() == Builtin.ANY_PAGE) {
				what = "any_page";
			}
			if (what != null) {
				error("the start block runs one history, so it has no choices: move " + what
						+ " after it (there, calls that may fail succeed)", e, null, IssueCodes.START_BLOCK);
			}
		}
	}

	@Check
	public void checkRepeatBound(Repeat repeat) {
		if (repeat.getCount() < 1) {
			error("repeat needs a count of at least 1", repeat, Literals.REPEAT__COUNT, IssueCodes.UNBOUNDED);
			return;
		}
		long product = repeat.getCount();
		for (EObject c = repeat.eContainer(); c != null; c = c.eContainer()) {
			if (c instanceof Repeat outer) {
				product = Math.min(Long.MAX_VALUE / 1_000_000, product * Math.max(1, outer.getCount()));
			}
		}
		if (product > MAX_REPEAT_PRODUCT) {
			error("unbounded: nested repeats run their body " + product + " times, past " + MAX_REPEAT_PRODUCT
					+ " no model check can finish", repeat, Literals.REPEAT__COUNT, IssueCodes.UNBOUNDED);
		} else if (product > MAX_REPEAT) {
			warning("repeat runs its body " + product + " times: the state space grows with every round; " + MAX_REPEAT
					+ " or fewer", repeat, Literals.REPEAT__COUNT, IssueCodes.UNBOUNDED);
		}
	}

	@Check
	public void checkRecursion(Procedure procedure) {
		List<Procedure> path = new ArrayList<>();
		path.add(procedure);
		List<Procedure> cycle = findCycle(procedure, procedure, path, new LinkedHashSet<>());
		if (cycle != null) {
			StringBuilder sb = new StringBuilder();
			for (Procedure p : cycle) {
				sb.append(p.getName()).append(" -> ");
			}
			sb.append(procedure.getName());
			error("unbounded: " + procedure.getName() + " calls itself (" + sb + "); the model needs every call to return",
					procedure, Literals.CALLABLE__NAME, IssueCodes.RECURSION);
		}
	}

	private static List<Procedure> findCycle(Procedure start, Procedure current, List<Procedure> path, Set<Procedure> visited) {
		if (!visited.add(current) || current.getBody() == null) {
			return null;
		}
		for (var it = current.getBody().eAllContents(); it.hasNext();) {
			if (it.next() instanceof ProcCall call && Actors.procedure(call) != null) {
				Procedure callee = Actors.procedure(call);
				if (callee == start) {
					return new ArrayList<>(path);
				}
				path.add(callee);
				List<Procedure> found = findCycle(start, callee, path, visited);
				if (found != null) {
					return found;
				}
				path.remove(path.size() - 1);
			}
		}
		return null;
	}
}
