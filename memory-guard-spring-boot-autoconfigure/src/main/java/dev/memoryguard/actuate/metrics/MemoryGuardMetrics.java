package dev.memoryguard.actuate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.job.JobAccounting;
import dev.memoryguard.job.JobOutcome;

/**
 * {@link MeterBinder} for the {@link MemoryGuard}:
 * <ul>
 * <li>{@code memory.guard.pressure}: the level, 0 (NORMAL), 1 (WARNING) or 2
 * (CRITICAL);</li>
 * <li>{@code memory.guard.heap.usage}: the live heap after GC as a fraction of max
 * heap;</li>
 * <li>{@code memory.guard.heap.live}: the live heap after GC, in bytes;</li>
 * <li>{@code memory.guard.transitions}: level changes, tagged {@code from} and
 * {@code to};</li>
 * <li>{@code memory.guard.jobs}: guarded job calls, tagged {@code job} and
 * {@code outcome} ({@code ran}, {@code skipped}, {@code deferred} or {@code failed});</li>
 * <li>{@code memory.guard.job.allocated}: bytes each run of a guarded job allocated,
 * tagged {@code job}.</li>
 * </ul>
 * Transition counters and the counters of jobs known when binding are registered at
 * zero, so that dashboards and alerts see them before the first event.
 */
public class MemoryGuardMetrics implements MeterBinder {

	static final String PRESSURE = "memory.guard.pressure";

	static final String HEAP_USAGE = "memory.guard.heap.usage";

	static final String HEAP_LIVE = "memory.guard.heap.live";

	static final String TRANSITIONS = "memory.guard.transitions";

	static final String JOBS = "memory.guard.jobs";

	static final String JOB_ALLOCATED = "memory.guard.job.allocated";

	private final MemoryGuard guard;

	/**
	 * Creates a new binder.
	 * @param guard the guard to measure; its {@link MemoryGuard#jobs() job accounting}
	 * feeds the job meters
	 */
	public MemoryGuardMetrics(MemoryGuard guard) {
		this.guard = guard;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(PRESSURE, this.guard, (guard) -> guard.pressure().ordinal())
			.description("Memory pressure level: 0 NORMAL, 1 WARNING, 2 CRITICAL")
			.register(registry);
		Gauge.builder(HEAP_USAGE, this.guard, (guard) -> guard.snapshot().liveRatio())
			.description("Live heap after GC as a fraction of max heap")
			.register(registry);
		Gauge.builder(HEAP_LIVE, this.guard, (guard) -> guard.snapshot().reading().liveHeap())
			.description("Live heap after GC")
			.baseUnit(BaseUnits.BYTES)
			.register(registry);
		bindTransitions(registry);
		bindJobs(registry, this.guard.jobs());
	}

	private void bindTransitions(MeterRegistry registry) {
		for (MemoryPressure from : MemoryPressure.values()) {
			for (MemoryPressure to : MemoryPressure.values()) {
				if (from != to) {
					transitions(registry, from, to);
				}
			}
		}
		this.guard.addListener((change) -> transitions(registry, change.previous(), change.current()).increment());
	}

	private static Counter transitions(MeterRegistry registry, MemoryPressure from, MemoryPressure to) {
		return Counter.builder(TRANSITIONS)
			.description("Memory pressure level changes")
			.tag("from", from.name())
			.tag("to", to.name())
			.register(registry);
	}

	private static void bindJobs(MeterRegistry registry, JobAccounting accounting) {
		for (String job : accounting.stats().keySet()) {
			for (JobOutcome outcome : JobOutcome.values()) {
				jobs(registry, job, outcome);
			}
			allocated(registry, job);
		}
		accounting.addListener((job, outcome, allocatedBytes, duration) -> {
			jobs(registry, job, outcome).increment();
			if (outcome == JobOutcome.RAN && allocatedBytes >= 0) {
				allocated(registry, job).record(allocatedBytes);
			}
		});
	}

	private static Counter jobs(MeterRegistry registry, String job, JobOutcome outcome) {
		return Counter.builder(JOBS)
			.description("Calls of guarded jobs by outcome")
			.tag("job", job)
			.tag("outcome", outcome.tagValue())
			.register(registry);
	}

	private static DistributionSummary allocated(MeterRegistry registry, String job) {
		return DistributionSummary.builder(JOB_ALLOCATED)
			.description("Bytes allocated by each run of a guarded job")
			.baseUnit(BaseUnits.BYTES)
			.tag("job", job)
			.register(registry);
	}

}
