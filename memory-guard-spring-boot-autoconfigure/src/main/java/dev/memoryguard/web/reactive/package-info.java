/**
 * Shedding load in reactive web applications: the admission web filter and the web
 * exception handler for {@link dev.memoryguard.MemoryPressureException}.
 */
@NullMarked
package dev.memoryguard.web.reactive;

import org.jspecify.annotations.NullMarked;
