package org.pgmap.cli;

import java.math.BigDecimal;
import java.util.concurrent.Callable;

import org.pgmap.engine.Explorer.Limits;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pgmap}: the commands, each a class of its own (registered by {@link PgmapCli}). Without a command it prints the usage
 * (on stderr, exit 2; with {@code -h}/{@code --help} on stdout, exit 0).
 */
@Command(name = "pgmap") // the commands: PgmapCli.commands()
public final class PgmapCommand implements Callable<Integer> {

	private final Session session;

	@Option(names = { "-h", "--help" })
	private boolean help;

	PgmapCommand(Session session) {
		this.session = session;
	}

	Session session() {
		return session;
	}

	@Override
	public Integer call() {
		if (help) {
			session.out.print(usage());
			return PgmapCli.OK;
		}
		session.err.print(usage());
		return PgmapCli.USAGE;
	}

	/** The usage text; the limits' defaults are those of {@link Limits#DEFAULT}. */
	static String usage() {
		Limits limits = Limits.DEFAULT;
		return """
				usage: pgmap <command> [options] PATH...

				commands:
				  check PATH...     parse and validate specs (files, or folders searched recursively),
				                    then model-check every scenario of the specs without errors;
				                    prints file:line:col: severity: [id] message per finding, and
				                    each violated rule with its shortest trace
				  diff BEFORE AFTER two specs, or two folders (specs paired by path), or one spec
				                    with --core A --vs-core B: per scenario both have, the
				                    violations the change removes, adds (each with its shortest
				                    trace) and keeps, and the change in states; exit 1 when it
				                    adds a violation
				  model FILE        print the executable model of each scenario of a spec
				  generate --out DIR PATH...
				                    write, for every spec, DIR/<spec>/: reference driver C (a kernel
				                    module: <driver>_pgmap.c, .h, Kbuild), the model as JSON; a spec
				                    that fails its model check is refused unless --force
				  language-server   speak LSP over stdin/stdout (diagnostics with rule ids, the model
				                    check of every scenario, completion, hover, definition, formatting)
				  format FILE...    print each file as the formatter lays it out (Ctrl+Shift+F in Eclipse);
				                    writes nothing
				  extract FILE.c... --out DIR [--era NAME] [--type TYPE] [--pages N]
				                    read a driver's C with Coccinelle (spatch) and write
				                    DIR/<file>.pgmap: its pagemap, locks, allocators, ops and
				                    allocation as steps citing their C lines, what it cannot map
				                    as 'unknown:' comments and warnings, scenarios of the era's
				                    actors; exit 2 on C spatch cannot parse or without
				                    dev_pagemap_ops (--allow-no-ops); --from-json FILE.json
				                    takes extract.py's output instead of running spatch
				  conform SPEC FILE.c...
				                    hold a driver's C to the spec of its intended protocol: each
				                    step the C orders differently, a path of the C without a step
				                    every path of the spec has, a page step the spec lacks, as
				                    FILE.c:LINE: warning: [conform-...]; exit 1 with findings
				  help              this text

				options:
				  --format text|json     output as text (default) or as one JSON document
				  --format diagram       check, diff: each trace as a race diagram (one column per
				                         CPU, calls indented, refcounts in the margin, 80 columns)
				  --format mail          diff: a reply to the patch (what the change breaks, the race
				                         diagram, the rule, the suggested order when a quick fix has one)
				  --format sarif         check, diff: one SARIF 2.1.0 log (code scanning: each finding and
				                         violation a result, each trace a code flow; diff: the
				                         violations the change adds)
				  --max-states N         stop a model check after N states (default %d)
				  --max-seconds S        stop a model check after S seconds (default %s)
				  --max-memory MIB       stop a model check when its state store passes MIB MiB (default %d)
				  --no-partial-order     model check without partial-order reduction (thread-local steps)
				  --no-symmetry          model check without symmetry reduction (identical threads, pages)
				  --hash-compaction      store a 64-bit hash per state instead of the state (less memory;
				                         the report gives the probability that a state was missed)
				  --workers N            threads that expand states (default: 2, or 1 on a 1-core machine)
				  --bitstate             bitstate (supertrace) search: the visited set is a bit array, 3 bits
				                         per state; reaches far more states, but may miss some: a violation
				                         found is real, a run without one is INCOMPLETE (exit 3), never a pass
				  --bitstate-mib MIB     the bit array's size (implies --bitstate; default 512, at most half
				                         of --max-memory, which also holds the states' parents)
				  --trace-dir DIR        write each violation's trace as DIR/<spec>.<scenario>.<rule>.txt and .svg
				  --static               check: parse and validate only, no model check
				  --no-cache             check: neither use nor fill the front-end cache (the parsed,
				                         validated and compiled specs, kept in $PGMAP_CACHE_DIR, else
				                         $XDG_CACHE_HOME/pgmap, else ~/.cache/pgmap)
				  --core NAME --vs-core NAME
				                         diff: one spec under two cores (the spec is not changed)
				  --out DIR              generate: where to write
				  --force                generate: write the code of a failing spec too, marked as such
				  --debug                print the stack trace of an internal error

				--max-seconds bounds each phase of each file: its static checks, its compilation, and
				the model check of each of its scenarios.

				exit codes: 0 no errors, 1 errors or a failing scenario, 2 usage error, unreadable path
				or output that could not be written, 3 a check stopped at a limit (incomplete), 4 an
				internal error of pgmap (not a finding: please report it with the spec attached)
				""".formatted(limits.maxStates(), seconds(limits.maxSeconds()), limits.maxBytes() >> 20);
	}

	/** Seconds as a user writes them: 60, 0.5. */
	static String seconds(double s) {
		return BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
	}
}
