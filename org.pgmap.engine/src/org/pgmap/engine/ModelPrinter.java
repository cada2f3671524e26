package org.pgmap.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Operand;

/** The executable model as text for people and as plain maps and lists for JSON. */
public final class ModelPrinter {
	private ModelPrinter() {
	}

	public static String text(ExecModel m) {
		StringBuilder sb = new StringBuilder();
		sb.append("model ").append(m.spec()).append(" / scenario ").append(m.scenario()).append('\n');
		sb.append("core ").append(m.core()).append(" (").append(m.coreFile()).append(")\n");
		for (ExecModel.Pagemap p : m.pagemaps()) {
			sb.append("pagemap ").append(p.name()).append(' ').append(p.type()).append(' ').append(p.initMode())
					.append(": pages ").append(p.firstPage()).append("..").append(p.firstPage() + p.pages() - 1)
					.append(", idle refcount ").append(p.idleRefcount()).append(", final put at ").append(p.finalPutAt())
					.append(", hand-off refcount ").append(p.handoffRefcount())
					.append(p.coreFrees() ? ", freed by page_free" : ", no page_free").append('\n');
		}
		for (ExecModel.Global g : m.globals()) {
			sb.append("var ").append(g.name()).append(" = ").append(g.initial()).append('\n');
		}
		for (ExecModel.LockOwnership o : m.lockOwners()) {
			sb.append("lock ").append(o.lock()).append(o.count() > 1 ? ".." + (o.lock() + o.count() - 1) : "")
					.append(" owns pagemap ").append(m.pagemaps().get(o.pagemap()).name()).append('\n');
		}
		for (ExecModel.DriverOwnership o : m.driverOwners()) {
			sb.append("driver ").append(m.drivers().get(o.driver())).append(" owns pagemap ")
					.append(m.pagemaps().get(o.pagemap()).name()).append('\n');
		}
		for (int i = 0; i < m.locks().size(); i++) {
			sb.append("lock ").append(i).append(' ').append(m.locks().get(i).name()).append(" (").append(m.locks().get(i).kind())
					.append(")\n");
		}
		for (int i = 0; i < m.pools().size(); i++) {
			ExecModel.Pool q = m.pools().get(i);
			sb.append("pool ").append(i).append(' ').append(q.name()).append(" (").append(q.kind().name().toLowerCase())
					.append(q.guard() >= 0 ? ", guarded by " + m.locks().get(q.guard()).name() : "")
					.append(q.linkedByLru() ? ", linked by lru" : "").append("): initially ").append(pages(m, q.initial()))
					.append('\n');
		}
		for (int i = 0; i < m.objects().size(); i++) {
			ExecModel.DriverObject o = m.objects().get(i);
			sb.append("object ").append(i).append(' ').append(o.name())
					.append(o.dynamic() ? " (allocated by kzalloc)" : " kref " + o.kref())
					.append(o.covers() >= 0 ? " covers " + m.pagemaps().get(o.covers()).name() : "").append('\n');
		}
		thread(sb, m.setup());
		for (ExecModel.Thread t : m.threads()) {
			thread(sb, t);
		}
		return sb.toString();
	}

	private static void thread(StringBuilder sb, ExecModel.Thread t) {
		sb.append("thread ").append(t.name());
		if (t.startLength() > 0) {
			sb.append(" start 0..").append(t.startLength() - 1);
		}
		if (!t.slots().isEmpty()) {
			sb.append(" slots ");
			for (int i = 0; i < t.slots().size(); i++) {
				sb.append(i == 0 ? "" : ", ").append('$').append(i).append('=').append(t.slots().get(i));
			}
		}
		sb.append('\n');
		for (int pc = 0; pc < t.program().size(); pc++) {
			Instr in = t.program().get(pc);
			sb.append(String.format("  %3d  %-40s", pc, instruction(in)));
			if (in.loc().line() > 0) {
				sb.append(" ").append(in.loc().file().replaceAll(".*/", "")).append(':').append(in.loc().line()).append("  ")
						.append(in.loc().text().replaceAll("\\s+", " "));
			}
			sb.append('\n');
		}
	}

	static String instruction(Instr in) {
		StringBuilder sb = new StringBuilder(in.op().name().toLowerCase());
		switch (in.op()) {
		case LOCK, UNLOCK -> sb.append(" #").append(in.lock());
		case POOL_PUT, POOL_TAKE, CLAIM, RELEASE_BACKING -> sb.append(" #").append(in.pool());
		case ANY_PAGE -> sb.append(" #").append(in.pagemap());
		case GLOBAL_SET -> sb.append(" #").append(in.global());
		case KZALLOC -> sb.append(" #").append(in.firstObject()).append("..").append(in.firstObject() + in.objectCount() - 1);
		case FIELD_WRITE -> sb.append(' ').append(in.field().name().toLowerCase());
		case BRANCH, WAIT, ASSERT -> sb.append(' ').append(in.compare().symbol);
		case NOP -> sb.append(in.nop() == Instr.Nop.FAILS ? " fails" : "");
		default -> {
		}
		}
		for (Operand o : in.args()) {
			sb.append(' ').append(o);
		}
		if (in.op() == org.pgmap.engine.model.Op.POOL_TAKE || in.op() == org.pgmap.engine.model.Op.LET
				|| in.op() == org.pgmap.engine.model.Op.ANY_PAGE || in.op() == org.pgmap.engine.model.Op.KZALLOC) {
			sb.append(" -> $").append(in.slot());
		}
		if (in.target() >= 0) {
			sb.append(" else ").append(in.target());
		}
		if (in.atomic() != 0) {
			sb.append(" +atomic").append(in.atomic());
		}
		if (in.driver() >= 0) {
			sb.append(" +driver").append(in.driver());
		}
		if (in.silent()) {
			sb.append(" +silent");
		}
		return sb.toString();
	}

	private static String pages(ExecModel m, List<Integer> pages) {
		List<String> names = new ArrayList<>();
		for (int p : pages) {
			names.add(m.pageName(p));
		}
		return "[" + String.join(", ", names) + "]";
	}

	/**
	 * The model JSON generate writes for a spec: the spec, its title and file, the verdict, the
	 * warning (null when proven) and the model of each scenario.
	 */
	public static Map<String, Object> generated(String title, String file, List<ExecModel> models, ProofWarning warning) {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("tool", "pgmap");
		doc.put("spec", warning.spec());
		doc.put("title", title);
		doc.put("file", file);
		doc.put("verdict", warning.failing() ? "fail" : warning.proven() ? "pass" : "incomplete");
		doc.put("warning", warning.proven() ? null : warning.text());
		List<Object> scenarios = new ArrayList<>();
		for (ExecModel m : models) {
			scenarios.add(json(m));
		}
		doc.put("scenarios", scenarios);
		return doc;
	}

	public static Map<String, Object> json(ExecModel m) {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("spec", m.spec());
		doc.put("scenario", m.scenario());
		Map<String, Object> core = new LinkedHashMap<>();
		core.put("name", m.core());
		core.put("file", m.coreFile());
		doc.put("core", core);
		List<Object> pagemaps = new ArrayList<>();
		for (ExecModel.Pagemap p : m.pagemaps()) {
			Map<String, Object> o = new LinkedHashMap<>();
			o.put("name", p.name());
			o.put("type", p.type());
			o.put("initMode", p.initMode());
			o.put("firstPage", p.firstPage());
			o.put("pages", p.pages());
			o.put("idleRefcount", p.idleRefcount());
			o.put("finalPutAt", p.finalPutAt());
			o.put("handoffRefcount", p.handoffRefcount());
			o.put("coreFrees", p.coreFrees());
			o.put("hasPageFree", p.hasPageFree());
			pagemaps.add(o);
		}
		doc.put("pagemaps", pagemaps);
		List<Object> locks = new ArrayList<>();
		for (ExecModel.Lock l : m.locks()) {
			locks.add(fields("name", l.name(), "kind", l.kind()));
		}
		doc.put("locks", locks);
		List<Object> pools = new ArrayList<>();
		for (ExecModel.Pool q : m.pools()) {
			Map<String, Object> o = new LinkedHashMap<>();
			o.put("name", q.name());
			o.put("kind", q.kind().name().toLowerCase());
			o.put("guard", q.guard());
			o.put("linkedByLru", q.linkedByLru());
			o.put("pagemap", q.pagemap());
			o.put("initial", q.initial());
			pools.add(o);
		}
		doc.put("pools", pools);
		List<Object> objects = new ArrayList<>();
		for (ExecModel.DriverObject o : m.objects()) {
			objects.add(fields("name", o.name(), "kref", o.kref(), "dynamic", o.dynamic(), "covers", o.covers()));
		}
		doc.put("objects", objects);
		List<Object> globals = new ArrayList<>();
		for (ExecModel.Global g : m.globals()) {
			globals.add(fields("name", g.name(), "initial", g.initial()));
		}
		doc.put("globals", globals);
		doc.put("drivers", m.drivers());
		List<Object> owners = new ArrayList<>();
		for (ExecModel.LockOwnership o : m.lockOwners()) {
			owners.add(fields("lock", o.lock(), "count", o.count(), "pagemap", o.pagemap()));
		}
		for (ExecModel.DriverOwnership o : m.driverOwners()) {
			owners.add(fields("driver", o.driver(), "pagemap", o.pagemap()));
		}
		doc.put("owners", owners);
		doc.put("setup", threadJson(m.setup()));
		List<Object> threads = new ArrayList<>();
		for (ExecModel.Thread t : m.threads()) {
			threads.add(threadJson(t));
		}
		doc.put("threads", threads);
		return doc;
	}

	/** A JSON object with its keys in the order given (Map.of would order them differently on each run). */
	private static Map<String, Object> fields(Object... keysAndValues) {
		Map<String, Object> o = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			o.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return o;
	}

	private static Map<String, Object> threadJson(ExecModel.Thread t) {
		Map<String, Object> o = new LinkedHashMap<>();
		o.put("name", t.name());
		o.put("slots", t.slots());
		o.put("startLength", t.startLength());
		List<Object> program = new ArrayList<>();
		for (Instr in : t.program()) {
			Map<String, Object> i = new LinkedHashMap<>();
			i.put("op", in.op().name().toLowerCase());
			i.put("a", in.a()); // the raw codes: the model JSON is the interchange format
			i.put("b", in.b());
			i.put("slot", in.slot());
			i.put("target", in.target());
			List<String> args = new ArrayList<>();
			for (Operand a : in.args()) {
				args.add(a.toString());
			}
			i.put("args", args);
			i.put("atomic", in.atomic());
			i.put("silent", in.silent());
			i.put("core", in.core());
			i.put("driver", in.driver());
			i.put("file", in.loc().file());
			i.put("line", in.loc().line());
			i.put("column", in.loc().column());
			i.put("text", in.loc().text());
			program.add(i);
		}
		o.put("program", program);
		return o;
	}
}
