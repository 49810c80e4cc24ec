package dev.memoryguard.actuate.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.RequestedCollections;
import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.container.ContainerUsage;
import dev.memoryguard.job.JobStats;
import dev.memoryguard.leak.LeakReport;
import dev.memoryguard.web.HttpShedding;

/**
 * The document {@code GET /actuator/memory} returns. Sizes are in bytes, ratios between
 * {@code 0} and {@code 1}, instants and durations ISO-8601 strings; a value that does not
 * exist is written as {@code null}, never left out.
 *
 * @param pressure the current level
 * @param timestamp when the reading was taken
 * @param uptime how long the JVM has been running
 * @param thresholds the heap thresholds in effect
 * @param heap the heap
 * @param nonHeap the non-heap memory
 * @param directBuffers the direct byte buffers
 * @param process the process and its container limit
 * @param gc the garbage collector
 * @param caches every guarded cache, by name
 * @param jobs every guarded job, by name
 * @param leak the leak suspicion
 * @param gcSelf the collections the guard itself requested
 * @param http the requests refused because memory was short
 */
@JsonInclude(Include.ALWAYS)
public record MemoryDescriptor(MemoryPressure pressure, String timestamp, String uptime,
		ThresholdsDescriptor thresholds, HeapDescriptor heap, NonHeapDescriptor nonHeap,
		DirectBuffersDescriptor directBuffers, ProcessDescriptor process, GcDescriptor gc,
		Map<String, CacheDescriptor> caches, Map<String, JobDescriptor> jobs, LeakDescriptor leak,
		GcSelfDescriptor gcSelf, HttpDescriptor http) implements OperationResponseBody {

	/**
	 * The thresholds, as fractions of max heap.
	 *
	 * @param warning the live heap ratio at which WARNING starts
	 * @param critical the live heap ratio at which CRITICAL starts
	 */
	public record ThresholdsDescriptor(double warning, double critical) implements OperationResponseBody {

		static ThresholdsDescriptor of(MemorySnapshot snapshot) {
			return new ThresholdsDescriptor(snapshot.warningThreshold(), snapshot.criticalThreshold());
		}

	}

	/**
	 * The heap.
	 *
	 * @param used bytes in use, garbage included
	 * @param committed bytes committed
	 * @param max max heap in bytes (the committed heap when the JVM sets no maximum)
	 * @param usedRatio {@code used} over {@code max}
	 * @param liveAfterGc estimate of what a full collection would leave, in bytes
	 * @param liveRatio {@code liveAfterGc} over {@code max}
	 */
	public record HeapDescriptor(long used, long committed, long max, double usedRatio, long liveAfterGc,
			double liveRatio) implements OperationResponseBody {

		static HeapDescriptor of(MemoryReading reading) {
			return new HeapDescriptor(reading.heapUsed(), reading.heapCommitted(), reading.heapCapacity(),
					reading.usedRatio(), reading.liveHeap(), reading.liveRatio());
		}

	}

	/**
	 * Memory outside the heap (metaspace, code cache, ...).
	 *
	 * @param used bytes in use
	 * @param committed bytes committed
	 */
	public record NonHeapDescriptor(long used, long committed) implements OperationResponseBody {

	}

	/**
	 * Direct byte buffers.
	 *
	 * @param used bytes in use
	 * @param count number of buffers
	 */
	public record DirectBuffersDescriptor(long used, long count) implements OperationResponseBody {

	}

	/**
	 * The process and its memory cgroup, as the kernel counts it. Every figure of the
	 * cgroup is {@code null} outside a cgroup with a memory limit.
	 *
	 * @param rss resident set size of the process in bytes, {@code null} when unknown
	 * @param limit lowest memory limit on the process's cgroup path, in bytes
	 * @param ratio the container signal that drives the level: {@code outsideHeap}, or
	 * {@code workingSet} over {@code limit} where the limit leaves no room beyond the heap
	 * @param workingSet the cgroup's usage less inactive file pages (the kubelet's figure),
	 * in bytes
	 * @param outsideHeap memory outside the heap as a fraction of what the limit leaves
	 * beyond max heap, {@code null} also where it leaves nothing
	 * @param high the cgroup v2 {@code memory.high} in bytes, {@code null} where none is set
	 * @param oomKills processes the kernel's OOM killer ended in the cgroup
	 * @param pressureStall share of the last 10 seconds some task of the cgroup stalled on
	 * memory (PSI {@code some avg10}), {@code null} where the kernel reports none
	 * @param cgroup the cgroup the figures come from
	 */
	@JsonInclude(Include.ALWAYS)
	public record ProcessDescriptor(@Nullable Long rss, @Nullable Long limit, @Nullable Double ratio,
			@Nullable Long workingSet, @Nullable Double outsideHeap, @Nullable Long high, @Nullable Long oomKills,
			@Nullable Double pressureStall, @Nullable CgroupDescriptor cgroup) implements OperationResponseBody {

		static ProcessDescriptor of(MemoryReading reading) {
			Long rss = (reading.rss() >= 0) ? reading.rss() : null;
			ContainerUsage container = reading.container();
			if (!container.isLimited()) {
				return new ProcessDescriptor(rss, null, null, null, null, null, null, null, null);
			}
			return new ProcessDescriptor(rss, container.limit(), orNull(reading.containerRatio()),
					orNull(container.workingSet()), orNull(reading.outsideHeapRatio()), orNull(container.high()),
					orNull(container.oomKills()), container.pressureStallOrNull(),
					(container.version() > 0) ? new CgroupDescriptor(container.version(), container.path()) : null);
		}

		private static @Nullable Long orNull(long bytes) {
			return (bytes >= 0) ? bytes : null;
		}

		private static @Nullable Double orNull(double ratio) {
			return Double.isNaN(ratio) ? null : ratio;
		}

	}

	/**
	 * The memory cgroup of the process.
	 *
	 * @param version the cgroup version, {@code 1} or {@code 2}
	 * @param path the cgroup's path in its hierarchy
	 */
	public record CgroupDescriptor(int version, String path) {

	}

	/**
	 * The collections the guard itself requested (to confirm a level, and for relief).
	 *
	 * @param requested how many it requested
	 * @param pauseTotal how long they paused the application in all
	 * @param share that pause as a share of the JVM's uptime
	 * @param explicitGcDisabled whether the JVM ignores {@code System.gc()}
	 * ({@code -XX:+DisableExplicitGC}): the guard then requests none
	 */
	public record GcSelfDescriptor(long requested, String pauseTotal, double share,
			boolean explicitGcDisabled) implements OperationResponseBody {

		static GcSelfDescriptor of(RequestedCollections collections) {
			return new GcSelfDescriptor(collections.count(), collections.pauseTotal().toString(), collections.share(),
					collections.isExplicitGcDisabled());
		}

	}

	/**
	 * The garbage collector.
	 *
	 * @param collections collections since the JVM started
	 * @param pauseTotal time spent in collections since the JVM started
	 * @param overhead fraction of recent wall-clock time spent in collections
	 * @param collector where the readings come from: the collector and the probe
	 */
	public record GcDescriptor(long collections, String pauseTotal, double overhead,
			String collector) implements OperationResponseBody {

		static GcDescriptor of(MemoryReading reading, String collector) {
			return new GcDescriptor(reading.gcCount(), reading.gcPauseTotal().toString(), reading.gcOverhead(),
					collector);
		}

	}

	/**
	 * One guarded cache, an in-heap cache of the application. Never holds keys or values;
	 * a figure the cache cannot tell is {@code null}.
	 *
	 * @param manager name of the cache manager bean that holds it, {@code null} for a
	 * cache built through the registry
	 * @param kind {@code caffeine}, {@code map} (Spring's simple cache) or {@code jcache}
	 * @param size number of entries, {@code null} where the cache cannot tell
	 * @param weightedSize estimated bytes held by the entries, {@code null} where they
	 * cannot be estimated
	 * @param maxEntries bound in entries, {@code null} for none
	 * @param maxSize bound in bytes, {@code null} for none
	 * @param hitRatio hits over requests since start, {@code null} where the cache records
	 * no statistics
	 * @param evictions entries evicted since start, {@code null} where the cache records no
	 * statistics
	 */
	@JsonInclude(Include.ALWAYS)
	public record CacheDescriptor(@Nullable String manager, String kind, @Nullable Long size,
			@Nullable Long weightedSize, @Nullable Long maxEntries, @Nullable Long maxSize, @Nullable Double hitRatio,
			@Nullable Long evictions) {

		static Map<String, CacheDescriptor> of(Map<String, CacheReport> reports) {
			Map<String, CacheDescriptor> caches = new LinkedHashMap<>();
			reports.forEach((name, report) -> caches.put(name,
					new CacheDescriptor(report.manager(), report.kind().value(), report.size(), report.weightedSize(),
							report.maxEntries(), report.maxSize(), report.hitRatio(), report.evictions())));
			return caches;
		}

	}

	/**
	 * One guarded job.
	 *
	 * @param runs calls that ran
	 * @param skipped calls that did not run
	 * @param deferred calls that were put off
	 * @param failed calls refused with an exception
	 * @param lastAllocated bytes the last run allocated, {@code null} where the JVM could
	 * not measure it (a virtual thread)
	 * @param maxAllocated most bytes any measured run allocated, {@code null} when no run
	 * could be measured
	 * @param lastDuration how long the last run took
	 */
	@JsonInclude(Include.ALWAYS)
	public record JobDescriptor(long runs, long skipped, long deferred, long failed, @Nullable Long lastAllocated,
			@Nullable Long maxAllocated, String lastDuration) {

		static Map<String, JobDescriptor> of(Map<String, JobStats> stats) {
			Map<String, JobDescriptor> jobs = new LinkedHashMap<>();
			stats.forEach((name, job) -> jobs.put(name,
					new JobDescriptor(job.runs(), job.skipped(), job.deferred(), job.failed(),
							ProcessDescriptor.orNull(job.lastAllocated()), ProcessDescriptor.orNull(job.maxAllocated()),
							job.lastDuration().toString())));
			return jobs;
		}

	}

	/**
	 * The leak suspicion.
	 *
	 * @param suspected whether a leak is suspected
	 * @param growthRatio growth of the live heap over the window, relative to its start
	 * @param window the window the growth is measured over
	 * @param exhaustionForecast time until the live heap would reach max heap at the
	 * current trend, {@code null} when it is not rising
	 */
	@JsonInclude(Include.ALWAYS)
	public record LeakDescriptor(boolean suspected, double growthRatio, String window,
			@Nullable String exhaustionForecast) implements OperationResponseBody {

		static LeakDescriptor of(LeakReport report) {
			Duration forecast = report.exhaustionForecast();
			return new LeakDescriptor(report.suspected(), report.growthRatio(), report.window().toString(),
					(forecast != null) ? forecast.toString() : null);
		}

	}

	/**
	 * Requests refused with 503 because memory was short.
	 *
	 * @param shed requests refused since start, at admission and in handlers
	 * @param admissionEnabled whether the admission filter refuses new requests
	 */
	public record HttpDescriptor(long shed, boolean admissionEnabled) implements OperationResponseBody {

		static HttpDescriptor of(@Nullable HttpShedding shedding) {
			return (shedding != null) ? new HttpDescriptor(shedding.shed(), shedding.isAdmissionEnabled())
					: new HttpDescriptor(0, false);
		}

	}

}
