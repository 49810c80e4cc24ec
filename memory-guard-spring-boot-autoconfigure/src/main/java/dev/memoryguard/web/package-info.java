/**
 * Shedding load at the HTTP edge: 503 refusals with Retry-After and a problem body, an
 * admission check with in-flight body accounting, and the refusal counts.
 */
@NullMarked
package dev.memoryguard.web;

import org.jspecify.annotations.NullMarked;
