package dev.memoryguard.web;

import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;

/**
 * A service whose method refuses to run at CRITICAL with a
 * {@link dev.memoryguard.MemoryPressureException}, as request paths should.
 */
public class Exports {

	@MemorySafe(name = "export", onPressure = OnPressure.FAIL)
	public String export() {
		return "exported";
	}

}
