/**
 * Auto-configuration for memory-guard, its properties and their failure analysis.
 */
@NullMarked
package dev.memoryguard.autoconfigure;

import org.jspecify.annotations.NullMarked;
