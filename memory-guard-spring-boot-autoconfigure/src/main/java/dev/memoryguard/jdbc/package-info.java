/**
 * Memory-aware batches: JDBC cursors, keyset pages and in-memory sources handed over in batches whose size follows memory pressure.
 */
@NullMarked
package dev.memoryguard.jdbc;

import org.jspecify.annotations.NullMarked;
