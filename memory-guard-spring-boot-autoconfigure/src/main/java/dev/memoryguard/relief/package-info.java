/**
 * Relief: running every {@link dev.memoryguard.MemoryReliefAction} when memory is critical.
 */
@NullMarked
package dev.memoryguard.relief;

import org.jspecify.annotations.NullMarked;
