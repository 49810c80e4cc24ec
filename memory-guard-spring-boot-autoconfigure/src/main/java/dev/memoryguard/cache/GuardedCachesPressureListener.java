package dev.memoryguard.cache;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryPressureListener;

/**
 * Applies every change of the pressure level to the guarded caches. It listens to the
 * {@link MemoryGuard} itself rather than to application events, so that no slow
 * application listener stands between a change and the caches' relief. Once every
 * singleton exists it starts listening, and applies the level the guard is at if that is
 * not NORMAL already: a guard under pressure at startup sends no change.
 */
public class GuardedCachesPressureListener implements MemoryPressureListener, SmartInitializingSingleton,
		DisposableBean {

	private final CaffeineGuardedCacheRegistry registry;

	private final MemoryGuard guard;

	/**
	 * Creates a listener that applies the level of {@code guard} to {@code registry}.
	 * @param registry the guarded caches
	 * @param guard the guard
	 */
	public GuardedCachesPressureListener(CaffeineGuardedCacheRegistry registry, MemoryGuard guard) {
		this.registry = registry;
		this.guard = guard;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.guard.addListener(this);
		MemoryPressure pressure = this.guard.pressure();
		if (pressure != MemoryPressure.NORMAL) {
			this.registry.onPressure(pressure);
		}
	}

	@Override
	public void onPressureChanged(MemoryPressureChangedEvent event) {
		this.registry.onPressure(event.current());
	}

	@Override
	public void destroy() {
		this.guard.removeListener(this);
	}

}
