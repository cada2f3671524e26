package org.pgmap.cli;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.pgmap.engine.Explorer.Limits;
import org.pgmap.engine.Explorer.Options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The model check's limits and reductions, as check and generate take them: each limit defaults
 * to {@link Limits#DEFAULT}'s, the reductions to {@link Options#DEFAULT}. {@code --max-seconds}
 * bounds each phase of each file on its own ({@link #phases()}). No Xtext type in here: picocli
 * reflects on this class for every check, also one its front-end cache answers without Xtext.
 */
public final class ModelCheckOptions {

	/** 1 TiB in MiB: a bound well past any machine this runs on, and far from overflowing as bytes. */
	static final long MAX_MEMORY_MIB = 1L << 20;

	/** --workers above this are taken as this many. */
	static final int MAX_WORKERS = 64;

	/** The largest bit array: a Java array of longs holds at most 2^31 - 1 of them (16 GiB). */
	static final long MAX_BITSTATE_MIB = 16383;

	@Spec(Spec.Target.MIXEE)
	private CommandSpec command;

	private long maxStates = Limits.DEFAULT.maxStates();
	private double maxSeconds = Limits.DEFAULT.maxSeconds();
	private long maxBytes = Limits.DEFAULT.maxBytes();
	private Options options = Options.DEFAULT;
	private boolean bitstate;
	private long bitstateMib;

	@Option(names = "--max-states", paramLabel = "N")
	void maxStates(String value) {
		maxStates = positive(wholeNumber(value, "--max-states"), "--max-states");
	}

	@Option(names = "--max-seconds", paramLabel = "S")
	void maxSeconds(String value) {
		double seconds;
		try {
			seconds = Double.parseDouble(value);
		} catch (NumberFormatException e) {
			throw notANumber("--max-seconds", value);
		}
		if (!(seconds > 0)) {
			throw error("--max-seconds must be positive");
		}
		maxSeconds = seconds;
	}

	@Option(names = "--max-memory", paramLabel = "MIB")
	void maxMemory(String value) {
		long mib = positive(wholeNumber(value, "--max-memory"), "--max-memory");
		if (mib > MAX_MEMORY_MIB) {
			throw error("--max-memory must be at most " + MAX_MEMORY_MIB);
		}
		maxBytes = mib << 20;
	}

	@Option(names = "--workers", paramLabel = "N")
	void workers(String value) {
		options = options.withWorkers((int) Math.min(MAX_WORKERS, positive(wholeNumber(value, "--workers"), "--workers")));
	}

	@Option(names = "--no-partial-order", arity = "0")
	void noPartialOrder(boolean off) {
		options = options.withPartialOrder(!off);
	}

	@Option(names = "--no-symmetry", arity = "0")
	void noSymmetry(boolean off) {
		options = options.withSymmetry(!off);
	}

	@Option(names = "--hash-compaction", arity = "0")
	void hashCompaction(boolean on) {
		options = options.withHashCompaction(on);
	}

	@Option(names = "--bitstate", arity = "0")
	void bitstate(boolean on) {
		bitstate = on;
	}

	@Option(names = "--bitstate-mib", paramLabel = "MIB")
	void bitstateMib(String value) {
		long mib = positive(wholeNumber(value, "--bitstate-mib"), "--bitstate-mib");
		if (mib > MAX_BITSTATE_MIB) {
			throw error("--bitstate-mib must be at most " + MAX_BITSTATE_MIB);
		}
		bitstateMib = mib;
	}

	Limits limits() {
		return new Limits(maxStates, maxSeconds, maxBytes);
	}

	/**
	 * The reductions and the visited set. A bitstate search (--bitstate, or --bitstate-mib alone)
	 * takes its bit array from the memory limit: --bitstate-mib MiB, by default
	 * {@link Options#DEFAULT_BITSTATE_MIB} or half of --max-memory when that is less; the rest of
	 * the limit holds the parents of the states and the frontier. A bit array of the whole limit
	 * or more is a usage error.
	 */
	Options options() {
		if (!bitstate && bitstateMib == 0) {
			return options;
		}
		long limitMib = maxBytes >> 20;
		long mib = bitstateMib > 0 ? bitstateMib : Math.max(1, Math.min(Options.DEFAULT_BITSTATE_MIB, limitMib / 2));
		if (mib >= limitMib) {
			throw error("--bitstate-mib (" + mib + ") must be less than --max-memory (" + limitMib
					+ "): the limit also holds the states' parents and the frontier");
		}
		return options.withBitstate(mib);
	}

	/** A fresh time limit of --max-seconds for each phase (a file's static checks, its compilation, each scenario). */
	Supplier<BooleanSupplier> phases() {
		return () -> {
			long end = System.nanoTime() + (long) (Math.min(maxSeconds, 1e7) * 1e9); // 1e7 s: no overflow
			return () -> System.nanoTime() - end > 0;
		};
	}

	/** How a stop at the time limit is named in a finding. */
	String timeLimitName() {
		return "the time limit of " + PgmapCommand.seconds(maxSeconds) + " s (--max-seconds)";
	}

	private long wholeNumber(String value, String name) {
		try {
			return Long.parseLong(value);
		} catch (NumberFormatException e) {
			throw notANumber(name, value);
		}
	}

	private ParameterException notANumber(String name, String value) {
		return error(name + " needs a number" + (value.matches("[0-9]{10,}") ? " of a sensible size" : "") + ", not '" + value + "'");
	}

	private long positive(long v, String name) {
		if (v <= 0) {
			throw error(name + " must be positive");
		}
		return v;
	}

	private ParameterException error(String message) {
		return new ParameterException(command.commandLine(), message);
	}
}
