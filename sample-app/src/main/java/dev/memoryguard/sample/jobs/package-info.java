/**
 * Scheduled jobs and an on-demand export guarded with {@code @MemorySafe}.
 */
@NullMarked
package dev.memoryguard.sample.jobs;

import org.jspecify.annotations.NullMarked;
