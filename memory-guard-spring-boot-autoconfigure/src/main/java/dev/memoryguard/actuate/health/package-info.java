/**
 * The {@code memory} health contributor and the readiness state under pressure.
 */
@NullMarked
package dev.memoryguard.actuate.health;

import org.jspecify.annotations.NullMarked;
