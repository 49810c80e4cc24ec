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
import dev.memoryguard.cache.CacheReport;
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
 * @param http the requests refused because memory was short
 */
@JsonInclude(Include.ALWAYS)
public record MemoryDescriptor(MemoryPressure pressure, String timestamp, String uptime,
		ThresholdsDescriptor thresholds, HeapDescriptor heap, NonHeapDescriptor nonHeap,
		DirectBuffersDescriptor directBuffers, ProcessDescriptor process, GcDescriptor gc,
		Map<String, CacheDescriptor> caches, Map<String, JobDescriptor> jobs,
		LeakDescriptor leak, HttpDescriptor http) implements OperationResponseBody {

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
	 * The process against its container limit.
	 *
	 * @param rss resident set size in bytes, {@code null} when unknown
	 * @param limit memory limit of the container in bytes, {@code null} when there is none
	 * @param ratio {@code rss} over {@code limit}, {@code null} when either is missing
	 */
	@JsonInclude(Include.ALWAYS)
	public record ProcessDescriptor(@Nullable Long rss, @Nullable Long limit,
			@Nullable Double ratio) implements OperationResponseBody {

		static ProcessDescriptor of(MemoryReading reading) {
			double ratio = reading.rssRatio();
			return new ProcessDescriptor((reading.rss() >= 0) ? reading.rss() : null,
					(reading.containerLimit() > 0) ? reading.containerLimit() : null,
					Double.isNaN(ratio) ? null : ratio);
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
	 * One guarded cache. Never holds keys or values.
	 *
	 * @param size number of entries
	 * @param weightedSize estimated bytes held by the entries
	 * @param maxEntries bound in entries, {@code null} when bounded by size only
	 * @param maxSize bound in bytes, {@code null} when bounded by entries only
	 * @param hitRatio hits over requests since start
	 * @param evictions entries evicted since start
	 */
	@JsonInclude(Include.ALWAYS)
	public record CacheDescriptor(long size, long weightedSize, @Nullable Long maxEntries, @Nullable Long maxSize,
			double hitRatio, long evictions) {

		static Map<String, CacheDescriptor> of(Map<String, CacheReport> reports) {
			Map<String, CacheDescriptor> caches = new LinkedHashMap<>();
			reports.forEach((name, report) -> caches.put(name, new CacheDescriptor(report.size(),
					report.weightedSize(), report.maxEntries(), report.maxSize(), report.hitRatio(),
					report.evictions())));
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
	 * @param lastAllocated bytes the last run allocated
	 * @param maxAllocated most bytes any run allocated
	 * @param lastDuration how long the last run took
	 */
	public record JobDescriptor(long runs, long skipped, long deferred, long failed, long lastAllocated,
			long maxAllocated, String lastDuration) {

		static Map<String, JobDescriptor> of(Map<String, JobStats> stats) {
			Map<String, JobDescriptor> jobs = new LinkedHashMap<>();
			stats.forEach((name, job) -> jobs.put(name, new JobDescriptor(job.runs(), job.skipped(), job.deferred(),
					job.failed(), job.lastAllocated(), job.maxAllocated(), job.lastDuration().toString())));
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
