/**
 * Guarded jobs: the {@code @MemorySafe} interceptor, deferral and per-job memory accounting.
 */
@NullMarked
package dev.memoryguard.job;

import org.jspecify.annotations.NullMarked;
