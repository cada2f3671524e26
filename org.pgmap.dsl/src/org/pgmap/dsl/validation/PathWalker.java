package org.pgmap.dsl.validation;

import java.util.LinkedHashSet;
import java.util.Set;

import org.pgmap.dsl.pgmap.Assert;
import org.pgmap.dsl.pgmap.Atomic;
import org.pgmap.dsl.pgmap.Block;
import org.pgmap.dsl.pgmap.CallStatement;
import org.pgmap.dsl.pgmap.Condition;
import org.pgmap.dsl.pgmap.Either;
import org.pgmap.dsl.pgmap.If;
import org.pgmap.dsl.pgmap.Let;
import org.pgmap.dsl.pgmap.OpCall;
import org.pgmap.dsl.pgmap.Repeat;
import org.pgmap.dsl.pgmap.Return;
import org.pgmap.dsl.pgmap.Start;
import org.pgmap.dsl.pgmap.Statement;
import org.pgmap.dsl.pgmap.Wait;
import org.pgmap.dsl.pgmap.Warn;

/**
 * Walks every path through a body (both sides of each if and of each "else" of a call that can
 * fail), carrying a set of abstract states. The analyses (locks held, pages published) define
 * what one simple statement does to one state and what happens at a return.
 */
abstract class PathWalker<S> {

	/** What a simple statement (assignment, call, field write, op call) does to one state. */
	protected abstract S step(Statement statement, S state);

	/** A path leaves the body here. */
	protected void onReturn(Return statement, Set<S> states) {
	}

	/** The body of a repeat ran once from {@code before} and ended in {@code after}. */
	protected void onRepeat(Repeat repeat, Set<S> before, Set<S> after) {
	}

	/** Whether a condition is known to hold on every path (TRUE), on none (FALSE), or either (null). */
	protected Boolean decide(Condition condition) {
		return null;
	}

	/** Runs a block; the result is the set of states that fall through its end. */
	Set<S> block(Block block, Set<S> in) {
		Set<S> states = in;
		if (block == null) {
			return states;
		}
		for (Statement statement : block.getStatements()) {
			if (states.isEmpty()) {
				break;
			}
			states = statement(statement, states);
		}
		return states;
	}

	Set<S> statement(Statement statement, Set<S> in) {
		if (statement instanceof Block b) {
			return block(b, in);
		}
		if (statement instanceof If i) {
			Boolean decided = decide(i.getCond());
			Set<S> out = new LinkedHashSet<>();
			if (decided != Boolean.FALSE) {
				out.addAll(block(i.getThen(), in));
			}
			if (decided == Boolean.TRUE) {
				return out;
			}
			if (i.getElseIf() != null) {
				out.addAll(statement(i.getElseIf(), in));
			} else if (i.getElse() != null) {
				out.addAll(block(i.getElse(), in));
			} else {
				out.addAll(in);
			}
			return out;
		}
		if (statement instanceof Return r) {
			onReturn(r, in);
			return Set.of();
		}
		if (statement instanceof Atomic a) {
			return block(a.getBody(), in);
		}
		if (statement instanceof Start st) {
			return block(st.getBody(), in);
		}
		if (statement instanceof Either e) {
			Set<S> out = new LinkedHashSet<>();
			for (Block branch : e.getBranches()) {
				out.addAll(block(branch, in));
			}
			return out;
		}
		if (statement instanceof Repeat r) {
			Set<S> after = block(r.getBody(), in);
			onRepeat(r, in, after);
			return after;
		}
		if (statement instanceof Warn || statement instanceof Assert || statement instanceof Wait) {
			return in;
		}
		Set<S> out = new LinkedHashSet<>();
		for (S state : in) {
			out.add(step(statement, state));
		}
		Statement orElse = statement instanceof Let l ? l.getOrElse()
				: statement instanceof CallStatement c ? c.getOrElse()
				: statement instanceof OpCall o ? o.getOrElse() : null;
		if (orElse != null) {
			out.addAll(statement(orElse, in));
		}
		return out;
	}
}
