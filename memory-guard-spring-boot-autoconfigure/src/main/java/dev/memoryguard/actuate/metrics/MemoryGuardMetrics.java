package dev.memoryguard.actuate.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.RequestedCollections;
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
 * <li>{@code memory.guard.jobs}: guarded job calls, tagged {@code name} and
 * {@code outcome} ({@code ran}, {@code skipped}, {@code deferred} or {@code failed});</li>
 * <li>{@code memory.guard.job.allocated}: bytes each run of a guarded job allocated,
 * tagged {@code name};</li>
 * <li>{@code memory.guard.container.usage}: the container signal (memory outside the heap
 * over the room the limit leaves beyond max heap) and
 * {@code memory.guard.container.oom.kills}: the OOM kills in the process's cgroup, where
 * a memory limit exists;</li>
 * <li>{@code memory.guard.gc.requested} and {@code memory.guard.gc.requested.pause}: the
 * collections the guard itself requested and their pauses.</li>
 * </ul>
 * Transition counters and the counters of jobs known when binding are registered at
 * zero, so that dashboards and alerts see them before the first event. The job meters are
 * tagged {@code name}, not {@code job}: Prometheus keeps {@code job} for the scrape job and
 * would rename a scraped {@code job} label to {@code exported_job}.
 */
public class MemoryGuardMetrics implements MeterBinder {

	static final String PRESSURE = "memory.guard.pressure";

	static final String HEAP_USAGE = "memory.guard.heap.usage";

	static final String HEAP_LIVE = "memory.guard.heap.live";

	static final String TRANSITIONS = "memory.guard.transitions";

	static final String JOBS = "memory.guard.jobs";

	static final String JOB_ALLOCATED = "memory.guard.job.allocated";

	static final String CONTAINER_USAGE = "memory.guard.container.usage";

	static final String CONTAINER_OOM_KILLS = "memory.guard.container.oom.kills";

	static final String GC_REQUESTED = "memory.guard.gc.requested";

	static final String GC_REQUESTED_PAUSE = "memory.guard.gc.requested.pause";

	private final MemoryGuard guard;

	private final @Nullable RequestedCollections collections;

	/**
	 * Creates a new binder.
	 * @param guard the guard to measure; its {@link MemoryGuard#jobs() job accounting}
	 * feeds the job meters
	 */
	public MemoryGuardMetrics(MemoryGuard guard) {
		this(guard, null);
	}

	/**
	 * Creates a new binder.
	 * @param guard the guard to measure; its {@link MemoryGuard#jobs() job accounting}
	 * feeds the job meters
	 * @param collections the collections the guard requests, if measured
	 */
	public MemoryGuardMetrics(MemoryGuard guard, @Nullable RequestedCollections collections) {
		this.guard = guard;
		this.collections = collections;
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
		bindContainer(registry);
		if (this.collections != null) {
			bindRequestedCollections(registry, this.collections);
		}
	}

	private void bindContainer(MeterRegistry registry) {
		if (!this.guard.snapshot().reading().container().isLimited()) {
			return;
		}
		Gauge.builder(CONTAINER_USAGE, this.guard, (guard) -> guard.snapshot().reading().containerRatio())
			.description("Memory outside the heap as a fraction of what the container limit leaves beyond max heap")
			.register(registry);
		Gauge.builder(CONTAINER_OOM_KILLS, this.guard, (guard) -> {
			long kills = guard.snapshot().reading().container().oomKills();
			return (kills >= 0) ? kills : Double.NaN;
		}).description("Processes the kernel's OOM killer ended in the process's memory cgroup").register(registry);
	}

	private static void bindRequestedCollections(MeterRegistry registry, RequestedCollections collections) {
		FunctionCounter.builder(GC_REQUESTED, collections, RequestedCollections::count)
			.description("Garbage collections the guard itself requested")
			.register(registry);
		FunctionTimer
			.builder(GC_REQUESTED_PAUSE, collections, RequestedCollections::count,
					(requested) -> requested.pauseTotal().toNanos(), TimeUnit.NANOSECONDS)
			.description("Pauses of the garbage collections the guard itself requested")
			.register(registry);
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
			.tag("name", job)
			.tag("outcome", outcome.tagValue())
			.register(registry);
	}

	private static DistributionSummary allocated(MeterRegistry registry, String job) {
		return DistributionSummary.builder(JOB_ALLOCATED)
			.description("Bytes allocated by each run of a guarded job")
			.baseUnit(BaseUnits.BYTES)
			.tag("name", job)
			.register(registry);
	}

}
