package dev.memoryguard.cache;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReliefAction;

/**
 * The {@link MemoryReliefAction} named {@code caches}: empties every guarded cache (or,
 * with clearing off, evicts each down to its shrink fraction), except those excluded with
 * {@code memory-guard.relief.exclude-caches}.
 */
public class GuardedCachesReliefAction implements MemoryReliefAction {

	private final CaffeineGuardedCacheRegistry registry;

	/**
	 * Creates an action that relieves the caches of {@code registry}.
	 * @param registry the guarded caches
	 */
	public GuardedCachesReliefAction(CaffeineGuardedCacheRegistry registry) {
		this.registry = registry;
	}

	@Override
	public long relieve(MemoryPressure pressure) {
		return this.registry.relieve();
	}

	@Override
	public String name() {
		return "caches";
	}

}
