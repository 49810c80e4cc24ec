/**
 * A bounded, evenly spaced history of the guard's readings, for charts.
 */
@NullMarked
package dev.memoryguard.actuate.history;

import org.jspecify.annotations.NullMarked;
