package dev.memoryguard.sample.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;

/**
 * Builds a sales report in memory every few minutes. It needs room for its rows, so it
 * asks for 64 MB of headroom and, when memory is short, waits for it: the run is
 * deferred until memory recovers (or re-checked every 30 seconds, three times at most).
 */
@Component
class NightlyReportJob {

	private static final Logger logger = LoggerFactory.getLogger(NightlyReportJob.class);

	@Scheduled(fixedDelayString = "${sample.jobs.report-interval:5m}", initialDelayString = "30s")
	@MemorySafe(name = "nightly-report", requires = "64MB", onPressure = OnPressure.DEFER, deferDelay = "30s",
			maxDeferrals = 3)
	public void buildReport() {
		List<double[]> rows = new ArrayList<>();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < 200_000; i++) {
			rows.add(new double[] { random.nextDouble(), random.nextDouble(), random.nextDouble() });
		}
		double total = 0;
		for (double[] row : rows) {
			total += row[0] * row[1] + row[2];
		}
		logger.info("Nightly report: {} rows, total {}", rows.size(), String.format("%.2f", total));
	}

}
