package dev.memoryguard.sample.jobs;

import java.util.HashMap;
import java.util.Map;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.MemorySafe;

/**
 * Rebuilds a small search index every minute. A missed refresh costs nothing (the next
 * one comes soon), so it simply skips its runs from WARNING on, leaving memory to the
 * requests.
 */
@Component
class SearchIndexRefreshJob {

	private volatile Map<String, Integer> index = Map.of();

	@Scheduled(fixedRateString = "${sample.jobs.index-interval:1m}")
	@MemorySafe(name = "search-index-refresh", threshold = MemoryPressure.WARNING)
	public void refresh() {
		Map<String, Integer> fresh = new HashMap<>();
		for (int i = 0; i < 50_000; i++) {
			fresh.put("term-" + i, i % 97);
		}
		this.index = fresh;
	}

	int size() {
		return this.index.size();
	}

}
