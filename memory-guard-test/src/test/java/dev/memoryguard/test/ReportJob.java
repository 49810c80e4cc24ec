package dev.memoryguard.test;

import dev.memoryguard.annotation.MemorySafe;

/**
 * A guarded job that allocates 2 MB a run and is skipped when memory is critical.
 */
class ReportJob {

	static final String NAME = "report";

	@MemorySafe(name = NAME)
	public void run() {
		Allocate.megabytes(2);
	}

}
