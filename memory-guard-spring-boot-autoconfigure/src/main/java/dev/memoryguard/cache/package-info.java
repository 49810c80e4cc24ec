/**
 * Guarded caches: size-bounded Caffeine caches and bounded maps, and the in-heap caches
 * an application already has (Caffeine, Spring's simple maps, JCache), shrunk and
 * emptied under memory pressure.
 */
@NullMarked
package dev.memoryguard.cache;

import org.jspecify.annotations.NullMarked;
