/**
 * Shedding load in servlet web applications: the admission filter and the handler for
 * {@link dev.memoryguard.MemoryPressureException}.
 */
@NullMarked
package dev.memoryguard.web.servlet;

import org.jspecify.annotations.NullMarked;
