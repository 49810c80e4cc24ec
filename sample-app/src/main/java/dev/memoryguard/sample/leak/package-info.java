/**
 * Demo: a slow, switchable memory leak to watch leak suspicion and its forecast.
 */
@NullMarked
package dev.memoryguard.sample.leak;

import org.jspecify.annotations.NullMarked;
