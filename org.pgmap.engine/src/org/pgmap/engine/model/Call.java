package org.pgmap.engine.model;

/**
 * One inlined call an instruction runs inside: the function (a driver procedure, an op such as
 * {@code dmirror_devmem_free}, a builtin whose core hook runs, such as {@code put_page}, or the
 * hook itself, such as {@code free_zone_device_page}) and where it was called from. A trace step
 * carries the calls of its statement outermost first, which is what a race diagram indents by.
 */
public record Call(String function, Loc site) {
}
