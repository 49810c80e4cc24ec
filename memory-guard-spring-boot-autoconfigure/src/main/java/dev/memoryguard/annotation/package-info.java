/**
 * Annotations for guarding methods: {@link dev.memoryguard.annotation.MemorySafe}.
 */
@NullMarked
package dev.memoryguard.annotation;

import org.jspecify.annotations.NullMarked;
