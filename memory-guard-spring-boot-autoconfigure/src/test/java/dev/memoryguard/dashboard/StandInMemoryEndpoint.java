package dev.memoryguard.dashboard;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.actuate.history.MemoryHistory;
import dev.memoryguard.cache.GuardedCacheRegistry;
import dev.memoryguard.job.JobStats;
import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.leak.LeakReport;

/**
 * Test stand-in for the memory endpoint, shaped like the contract's JSON, so that the
 * dashboard can be tested on its own. Registered only while the real endpoint class is
 * absent from the classpath.
 */
@Endpoint(id = "memory")
class StandInMemoryEndpoint {

	private final MemoryGuard guard;

	private final ObjectProvider<MemoryHistory> history;

	private final ObjectProvider<GuardedCacheRegistry> caches;

	private final ObjectProvider<LeakMonitor> leak;

	StandInMemoryEndpoint(MemoryGuard guard, ObjectProvider<MemoryHistory> history,
			ObjectProvider<GuardedCacheRegistry> caches, ObjectProvider<LeakMonitor> leak) {
		this.guard = guard;
		this.history = history;
		this.caches = caches;
		this.leak = leak;
	}

	@ReadOperation
	Map<String, Object> memory() {
		MemorySnapshot snapshot = this.guard.snapshot();
		MemoryReading r = snapshot.reading();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("pressure", snapshot.pressure().name());
		document.put("timestamp", snapshot.timestamp().toString());
		document.put("uptime", Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime()).toString());
		document.put("thresholds", map("warning", snapshot.warningThreshold(), "critical", snapshot.criticalThreshold()));
		document.put("heap", map("used", r.heapUsed(), "committed", r.heapCommitted(), "max", r.heapMax(), "usedRatio",
				r.usedRatio(), "liveAfterGc", r.liveHeap(), "liveRatio", r.liveRatio()));
		document.put("nonHeap", map("used", r.nonHeapUsed(), "committed", r.nonHeapCommitted()));
		document.put("directBuffers", map("used", r.directUsed(), "count", r.directCount()));
		boolean limited = !Double.isNaN(r.rssRatio());
		document.put("process", map("rss", r.rss(), "limit", limited ? r.containerLimit() : null, "ratio",
				limited ? r.rssRatio() : null));
		document.put("gc", map("collections", r.gcCount(), "pauseTotal", r.gcPauseTotal().toString(), "overhead",
				r.gcOverhead()));
		Map<String, Object> caches = new LinkedHashMap<>();
		this.caches.ifAvailable((registry) -> registry.reports()
			.forEach((name, report) -> caches.put(name,
					map("size", report.size(), "weightedSize", report.weightedSize(), "maxEntries",
							report.maxEntries(), "maxSize", report.maxSize(), "hitRatio", report.hitRatio(),
							"evictions", report.evictions()))));
		document.put("caches", caches);
		Map<String, Object> jobs = new LinkedHashMap<>();
		this.guard.jobs().stats().forEach((name, stats) -> jobs.put(name, job(stats)));
		document.put("jobs", jobs);
		LeakReport report = this.leak.getIfAvailable(() -> () -> new LeakReport(false, 0.0, Duration.ofHours(1), null))
			.report();
		document.put("leak", map("suspected", report.suspected(), "growthRatio", report.growthRatio(), "window",
				report.window().toString(), "exhaustionForecast",
				(report.exhaustionForecast() != null) ? report.exhaustionForecast().toString() : null));
		return document;
	}

	@ReadOperation
	@Nullable Object section(@Selector String section) {
		if ("history".equals(section)) {
			MemoryHistory history = this.history.getIfAvailable();
			return (history != null) ? history.points() : null;
		}
		return memory().get(section);
	}

	private static Map<String, Object> job(JobStats stats) {
		return map("runs", stats.runs(), "skipped", stats.skipped(), "deferred", stats.deferred(), "failed",
				stats.failed(), "lastAllocated", stats.lastAllocated(), "maxAllocated", stats.maxAllocated(),
				"lastDuration", stats.lastDuration().toString());
	}

	private static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
