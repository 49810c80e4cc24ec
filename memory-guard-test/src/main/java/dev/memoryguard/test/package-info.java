/**
 * Test support for memory-guard: memory budgets and leak assertions for JUnit Jupiter
 * tests, simulated memory pressure and job assertions for Spring tests.
 */
@NullMarked
package dev.memoryguard.test;

import org.jspecify.annotations.NullMarked;
