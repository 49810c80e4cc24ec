/**
 * The {@code memory} actuator endpoint: the guard's readings, caches, jobs and leak suspicion.
 */
@NullMarked
package dev.memoryguard.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
