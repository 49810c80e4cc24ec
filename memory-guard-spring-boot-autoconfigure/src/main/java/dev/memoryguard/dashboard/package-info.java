/**
 * The live dashboard page: a static page that reads the memory endpoint.
 */
@NullMarked
package dev.memoryguard.dashboard;

import org.jspecify.annotations.NullMarked;
