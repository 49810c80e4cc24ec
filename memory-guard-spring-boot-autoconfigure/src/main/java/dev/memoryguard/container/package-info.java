/**
 * Container memory as the kernel counts it: the process's memory cgroup (v1, v2 or hybrid),
 * found the way the JDK finds it, and its limit, usage and OOM kills.
 */
@NullMarked
package dev.memoryguard.container;

import org.jspecify.annotations.NullMarked;
