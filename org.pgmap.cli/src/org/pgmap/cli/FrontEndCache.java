package org.pgmap.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.pgmap.dsl.check.Diagnostic;
import org.pgmap.dsl.check.SpecFiles;
import org.pgmap.engine.model.ExecModel;
import org.pgmap.engine.model.Instr;
import org.pgmap.engine.model.Loc;
import org.pgmap.engine.model.Op;
import org.pgmap.engine.model.Operand;

/**
 * Why: a check's front end (Xtext's setup, parsing the spec, its siblings and the library,
 * linking, validation, compilation) takes seconds of a cold JVM, the model check of a small spec
 * a fraction of one. Like ccache, this keeps each file's front-end result ({@link CheckFrontEnd.Result}:
 * its static findings, and its executable models or the problem that stopped their compilation)
 * under a key that is a SHA-256 of everything the result depends on: the format of this cache,
 * the build of pgmap (its class path and the jars or folders of the cli, dsl and engine bundles,
 * the library inside dsl's included), the working folder (reports name files relative to it), the
 * file's path and bytes, and the path and bytes of every .pgmap file of its folder (the names it
 * may resolve to). No option changes a front end that ran to its end, and only such a one is
 * kept. A check answered from here never loads Xtext or Guice, and still model-checks.
 * <p>
 * Entries are written to a temporary file and renamed, in a folder made 0700. An entry that
 * cannot be read, was cut short, was made by another format or build, or whose checksum does not
 * match is ignored (the file is checked again); a cache folder that cannot be made or written is
 * silently not used. The folder: {@code $PGMAP_CACHE_DIR}, else {@code $XDG_CACHE_HOME/pgmap},
 * else {@code ~/.cache/pgmap}.
 */
final class FrontEndCache {

	/** Changes whenever what is stored, or how, changes. */
	static final String FORMAT = "pgmap front-end cache 2";

	private static final byte[] MAGIC = FORMAT.getBytes(StandardCharsets.UTF_8);

	private final Path dir;

	FrontEndCache(Path dir) {
		this.dir = dir;
	}

	/** Where the cache lives, from the environment; null when no folder can be named. */
	static Path defaultDir(Map<String, String> env, String home) {
		try {
			String own = env.get("PGMAP_CACHE_DIR");
			if (own != null && !own.isEmpty()) {
				return Path.of(own);
			}
			String xdg = env.get("XDG_CACHE_HOME");
			if (xdg != null && xdg.startsWith("/")) {
				return Path.of(xdg, "pgmap");
			}
			return home == null || home.isEmpty() ? null : Path.of(home, ".cache", "pgmap");
		} catch (RuntimeException e) { // a name that is no path
			return null;
		}
	}

	// ------------------------------------------------------------------ the key

	private static String build;

	/** The build of pgmap, as bytes of the key; null when it cannot be told (then nothing is cached). */
	private static synchronized String build() {
		if (build == null) {
			try {
				StringBuilder b = new StringBuilder(String.valueOf(System.getProperty("java.class.path"))).append('\n');
				for (Class<?> c : List.of(FrontEndCache.class, Diagnostic.class, ExecModel.class)) {
					URL where = c.getProtectionDomain().getCodeSource().getLocation();
					Path p = Path.of(where.toURI());
					b.append(p).append('\n');
					if (Files.isDirectory(p)) { // a development build: every file of the folder
						try (Stream<Path> all = Files.walk(p)) {
							for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
								b.append(stamp(f)).append('\n');
							}
						}
					} else {
						b.append(stamp(p)).append('\n');
					}
				}
				build = b.toString();
			} catch (IOException | RuntimeException | java.net.URISyntaxException e) {
				build = "";
			}
		}
		return build.isEmpty() ? null : build;
	}

	private static String stamp(Path f) throws IOException {
		BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
		return f + " " + a.size() + " " + a.lastModifiedTime().toMillis();
	}

	/** The key of a file's front end (a file given absolute and normalized), or null when a file it depends on cannot be read. */
	String key(Path file) {
		String b = build();
		if (b == null) {
			return null;
		}
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			field(sha, MAGIC);
			field(sha, b.getBytes(StandardCharsets.UTF_8));
			field(sha, Path.of("").toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
			field(sha, file.toString().getBytes(StandardCharsets.UTF_8));
			field(sha, Files.readAllBytes(file));
			for (Path s : SpecFiles.siblingsOf(file)) {
				field(sha, s.toString().getBytes(StandardCharsets.UTF_8));
				field(sha, Files.readAllBytes(s));
			}
			return HexFormat.of().formatHex(sha.digest());
		} catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
			return null;
		}
	}

	/** A length, then the bytes: no two sequences of fields give the same input. */
	private static void field(MessageDigest sha, byte[] bytes) {
		long n = bytes.length;
		for (int i = 0; i < 8; i++) {
			sha.update((byte) (n >>> (8 * i)));
		}
		sha.update(bytes);
	}

	// ------------------------------------------------------------------ entries

	/** The entry of a key, or null when there is none that can be trusted. */
	CheckFrontEnd.Result read(String key) {
		try {
			byte[] bytes = Files.readAllBytes(dir.resolve(key));
			DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
			byte[] magic = new byte[MAGIC.length];
			in.readFully(magic);
			byte[] digest = new byte[32];
			in.readFully(digest);
			if (!Arrays.equals(magic, MAGIC) || !in.readUTF().equals(key)) {
				return null;
			}
			int start = bytes.length - in.available();
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(bytes, start, bytes.length - start);
			if (!MessageDigest.isEqual(digest, sha.digest())) {
				return null;
			}
			CheckFrontEnd.Result r = readResult(in);
			return in.available() == 0 && r.complete() ? r : null;
		} catch (IOException | RuntimeException | NoSuchAlgorithmException | StackOverflowError e) {
			return null; // none, unreadable, cut short, or not what this build writes: checked again
		}
	}

	/** Keeps an entry; a folder that cannot be made or written is not used, silently. */
	void write(String key, CheckFrontEnd.Result result) {
		Path tmp = null;
		try {
			ByteArrayOutputStream payload = new ByteArrayOutputStream();
			write(new DataOutputStream(payload), result);
			byte[] body = payload.toByteArray();
			ByteArrayOutputStream entry = new ByteArrayOutputStream();
			DataOutputStream out = new DataOutputStream(entry);
			out.write(MAGIC);
			out.write(MessageDigest.getInstance("SHA-256").digest(body));
			out.writeUTF(key);
			out.write(body);
			if (!Files.isDirectory(dir)) {
				try {
					Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
				} catch (UnsupportedOperationException e) { // not a POSIX file system
					Files.createDirectories(dir);
				}
			}
			tmp = Files.createTempFile(dir, ".entry-", ".tmp");
			Files.write(tmp, entry.toByteArray());
			Files.move(tmp, dir.resolve(key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			tmp = null;
		} catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
			// not kept: the next check computes it again
		} finally {
			if (tmp != null) {
				try {
					Files.deleteIfExists(tmp);
				} catch (IOException | RuntimeException e) {
					// left behind in the cache folder, never read as an entry
				}
			}
		}
	}

	// ------------------------------------------------------------------ the encoding

	/*
	 * Written out by hand, component by component, not by reflection: a reflective reader spins
	 * method handles for every record's constructor, a tenth of a second of a start. A component
	 * added to one of these records fails to compile here until it is written too; the entries
	 * of an older build are never read (the build is part of every key).
	 */

	private static void write(DataOutputStream out, CheckFrontEnd.Result r) throws IOException {
		string(out, r.displayName());
		diagnostics(out, r.diagnostics());
		out.writeBoolean(r.complete());
		out.writeBoolean(r.models() != null);
		if (r.models() != null) {
			out.writeInt(r.models().size());
			for (ExecModel m : r.models()) {
				model(out, m);
			}
		}
		diagnostics(out, r.problems());
	}

	private static CheckFrontEnd.Result readResult(DataInputStream in) throws IOException {
		String name = string(in);
		List<Diagnostic> diagnostics = diagnostics(in);
		boolean complete = in.readBoolean();
		List<ExecModel> models = null;
		if (in.readBoolean()) {
			int n = count(in);
			models = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				models.add(model(in));
			}
		}
		return new CheckFrontEnd.Result(name, diagnostics, complete, models, diagnostics(in));
	}

	private static void diagnostics(DataOutputStream out, List<Diagnostic> ds) throws IOException {
		out.writeInt(ds.size());
		for (Diagnostic d : ds) {
			if (d.rule() != null || !d.trace().isEmpty() || d.scenario() != null) {
				throw new IllegalArgumentException("a finding of the model checker is not the front end's");
			}
			string(out, d.file());
			out.writeInt(d.line());
			out.writeInt(d.column());
			out.writeInt(d.endLine());
			out.writeInt(d.endColumn());
			string(out, d.severity().name());
			string(out, d.id());
			string(out, d.message());
			out.writeBoolean(d.rootCause());
		}
	}

	private static List<Diagnostic> diagnostics(DataInputStream in) throws IOException {
		int n = count(in);
		List<Diagnostic> ds = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			ds.add(new Diagnostic(string(in), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
					Diagnostic.Severity.valueOf(string(in)), string(in), string(in), null, in.readBoolean(), null, List.of()));
		}
		return ds;
	}

	private static void model(DataOutputStream out, ExecModel m) throws IOException {
		string(out, m.spec());
		string(out, m.scenario());
		string(out, m.core());
		string(out, m.coreFile());
		out.writeInt(m.pagemaps().size());
		for (ExecModel.Pagemap p : m.pagemaps()) {
			string(out, p.name());
			string(out, p.type());
			string(out, p.initMode());
			ints(out, p.firstPage(), p.pages(), p.idleRefcount(), p.finalPutAt(), p.handoffRefcount());
			out.writeBoolean(p.coreFrees());
			out.writeBoolean(p.hasPageFree());
		}
		out.writeInt(m.locks().size());
		for (ExecModel.Lock l : m.locks()) {
			string(out, l.name());
			string(out, l.kind());
		}
		out.writeInt(m.pools().size());
		for (ExecModel.Pool p : m.pools()) {
			string(out, p.name());
			string(out, p.kind().name());
			out.writeInt(p.guard());
			out.writeBoolean(p.linkedByLru());
			out.writeInt(p.pagemap());
			out.writeInt(p.initial().size());
			for (int page : p.initial()) {
				out.writeInt(page);
			}
		}
		out.writeInt(m.objects().size());
		for (ExecModel.DriverObject o : m.objects()) {
			string(out, o.name());
			out.writeInt(o.kref());
			out.writeBoolean(o.dynamic());
			out.writeInt(o.covers());
		}
		out.writeInt(m.globals().size());
		for (ExecModel.Global g : m.globals()) {
			string(out, g.name());
			out.writeInt(g.initial());
		}
		strings(out, m.drivers());
		out.writeInt(m.lockOwners().size());
		for (ExecModel.LockOwnership o : m.lockOwners()) {
			ints(out, o.lock(), o.count(), o.pagemap());
		}
		out.writeInt(m.driverOwners().size());
		for (ExecModel.DriverOwnership o : m.driverOwners()) {
			ints(out, o.driver(), o.pagemap());
		}
		thread(out, m.setup());
		out.writeInt(m.threads().size());
		for (ExecModel.Thread t : m.threads()) {
			thread(out, t);
		}
	}

	private static ExecModel model(DataInputStream in) throws IOException {
		String spec = string(in);
		String scenario = string(in);
		String core = string(in);
		String coreFile = string(in);
		int n = count(in);
		List<ExecModel.Pagemap> pagemaps = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			pagemaps.add(new ExecModel.Pagemap(string(in), string(in), string(in), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
					in.readInt(), in.readBoolean(), in.readBoolean()));
		}
		n = count(in);
		List<ExecModel.Lock> locks = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			locks.add(new ExecModel.Lock(string(in), string(in)));
		}
		n = count(in);
		List<ExecModel.Pool> pools = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			String name = string(in);
			ExecModel.PoolKind kind = ExecModel.PoolKind.valueOf(string(in));
			int guard = in.readInt();
			boolean lru = in.readBoolean();
			int pagemap = in.readInt();
			int k = count(in);
			List<Integer> initial = new ArrayList<>(k);
			for (int j = 0; j < k; j++) {
				initial.add(in.readInt());
			}
			pools.add(new ExecModel.Pool(name, kind, guard, lru, pagemap, initial));
		}
		n = count(in);
		List<ExecModel.DriverObject> objects = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			objects.add(new ExecModel.DriverObject(string(in), in.readInt(), in.readBoolean(), in.readInt()));
		}
		n = count(in);
		List<ExecModel.Global> globals = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			globals.add(new ExecModel.Global(string(in), in.readInt()));
		}
		List<String> drivers = strings(in);
		n = count(in);
		List<ExecModel.LockOwnership> lockOwners = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			lockOwners.add(new ExecModel.LockOwnership(in.readInt(), in.readInt(), in.readInt()));
		}
		n = count(in);
		List<ExecModel.DriverOwnership> driverOwners = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			driverOwners.add(new ExecModel.DriverOwnership(in.readInt(), in.readInt()));
		}
		ExecModel.Thread setup = thread(in);
		n = count(in);
		List<ExecModel.Thread> threads = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			threads.add(thread(in));
		}
		return new ExecModel(spec, scenario, core, coreFile, pagemaps, locks, pools, objects, globals, drivers, lockOwners, driverOwners,
				setup, threads);
	}

	private static void thread(DataOutputStream out, ExecModel.Thread t) throws IOException {
		string(out, t.name());
		strings(out, t.slots());
		out.writeInt(t.program().size());
		for (Instr i : t.program()) {
			string(out, i.op().name());
			ints(out, i.a(), i.b(), i.slot(), i.target());
			out.writeInt(i.args().size());
			for (Operand o : i.args()) {
				operand(out, o, 0);
			}
			out.writeInt(i.atomic());
			out.writeBoolean(i.silent());
			out.writeBoolean(i.core());
			out.writeInt(i.driver());
			Loc l = i.loc();
			string(out, l.file());
			ints(out, l.line(), l.column());
			string(out, l.text());
		}
		out.writeInt(t.startLength());
		for (List<org.pgmap.engine.model.Call> calls : t.calls()) {
			out.writeInt(calls.size());
			for (org.pgmap.engine.model.Call c : calls) {
				string(out, c.function());
				Loc l = c.site();
				string(out, l.file());
				ints(out, l.line(), l.column());
				string(out, l.text());
			}
		}
	}

	private static ExecModel.Thread thread(DataInputStream in) throws IOException {
		String name = string(in);
		List<String> slots = strings(in);
		int n = count(in);
		List<Instr> program = new ArrayList<>(n);
		for (int k = 0; k < n; k++) {
			Op op = Op.valueOf(string(in));
			int a = in.readInt();
			int b = in.readInt();
			int slot = in.readInt();
			int target = in.readInt();
			int m = count(in);
			List<Operand> args = new ArrayList<>(m);
			for (int j = 0; j < m; j++) {
				args.add(operand(in, 0));
			}
			int atomic = in.readInt();
			boolean silent = in.readBoolean();
			boolean core = in.readBoolean();
			int driver = in.readInt();
			Loc loc = new Loc(string(in), in.readInt(), in.readInt(), string(in));
			program.add(new Instr(op, a, b, slot, target, args, atomic, silent, core, driver, loc));
		}
		int startLength = in.readInt();
		List<List<org.pgmap.engine.model.Call>> calls = new ArrayList<>(n);
		for (int k = 0; k < n; k++) {
			int m = count(in);
			List<org.pgmap.engine.model.Call> chain = new ArrayList<>(m);
			for (int j = 0; j < m; j++) {
				chain.add(new org.pgmap.engine.model.Call(string(in), new Loc(string(in), in.readInt(), in.readInt(), string(in))));
			}
			calls.add(List.copyOf(chain));
		}
		return new ExecModel.Thread(name, slots, program, startLength, calls);
	}

	private static void operand(DataOutputStream out, Operand o, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("an operand nested too deeply");
		}
		string(out, o.kind().name());
		out.writeInt(o.value());
		out.writeBoolean(o.inner() != null);
		if (o.inner() != null) {
			operand(out, o.inner(), depth + 1);
		}
	}

	private static Operand operand(DataInputStream in, int depth) throws IOException {
		if (depth > MAX_DEPTH) {
			throw new IOException("not an entry");
		}
		Operand.Kind kind = Operand.Kind.valueOf(string(in));
		int value = in.readInt();
		return new Operand(kind, value, in.readBoolean() ? operand(in, depth + 1) : null);
	}

	private static final int MAX_DEPTH = 64;

	private static void ints(DataOutputStream out, int... values) throws IOException {
		for (int v : values) {
			out.writeInt(v);
		}
	}

	private static void strings(DataOutputStream out, List<String> list) throws IOException {
		out.writeInt(list.size());
		for (String s : list) {
			string(out, s);
		}
	}

	private static List<String> strings(DataInputStream in) throws IOException {
		int n = count(in);
		List<String> list = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			list.add(string(in));
		}
		return list;
	}

	/** A string or null: its length + 1 (0 for null), then its UTF-8 bytes. */
	private static void string(DataOutputStream out, String s) throws IOException {
		if (s == null) {
			out.writeInt(0);
			return;
		}
		byte[] b = s.getBytes(StandardCharsets.UTF_8);
		out.writeInt(b.length + 1);
		out.write(b);
	}

	private static String string(DataInputStream in) throws IOException {
		int n = in.readInt() - 1;
		if (n < 0) {
			if (n == -1) {
				return null;
			}
			throw new IOException("not an entry");
		}
		if (n > in.available()) {
			throw new IOException("cut short");
		}
		return new String(in.readNBytes(n), StandardCharsets.UTF_8);
	}

	/** A count of items that follow, each at least a byte long. */
	private static int count(DataInputStream in) throws IOException {
		int n = in.readInt();
		if (n < 0 || n > in.available()) {
			throw new IOException("cut short");
		}
		return n;
	}
}
