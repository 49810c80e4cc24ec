/**
 * Micrometer meters of the guard: pressure level, live heap, transitions and guarded jobs.
 */
@NullMarked
package dev.memoryguard.actuate.metrics;

import org.jspecify.annotations.NullMarked;
