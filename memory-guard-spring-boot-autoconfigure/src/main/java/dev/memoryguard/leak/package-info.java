/**
 * Leak suspicion on the live-heap series, with a forecast of time to exhaustion, and heap dumps.
 */
@NullMarked
package dev.memoryguard.leak;

import org.jspecify.annotations.NullMarked;
