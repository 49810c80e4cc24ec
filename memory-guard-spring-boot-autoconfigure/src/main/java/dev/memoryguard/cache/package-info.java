/**
 * Size-bounded Caffeine caches that shrink under memory pressure, and bounded maps.
 */
@NullMarked
package dev.memoryguard.cache;

import org.jspecify.annotations.NullMarked;
