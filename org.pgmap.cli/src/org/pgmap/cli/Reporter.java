package org.pgmap.cli;

/**
 * Prints what {@code pgmap check} found: as text ({@link TextReporter}), as one JSON document
 * ({@link JsonReporter}) or as one SARIF log ({@link SarifReporter}).
 */
interface Reporter {
	void report(CheckReport report);
}
