/**
 * Core of memory-guard: the {@link dev.memoryguard.MemoryGuard} bean, its readings and its probes.
 */
@NullMarked
package dev.memoryguard;

import org.jspecify.annotations.NullMarked;
