package org.pgmap.cli;

/** Prints what {@code pgmap check} found: as text ({@link TextReporter}) or as one JSON document ({@link JsonReporter}). */
interface Reporter {
	void report(CheckReport report);
}
