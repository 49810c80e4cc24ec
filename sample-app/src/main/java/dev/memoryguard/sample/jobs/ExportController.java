package dev.memoryguard.sample.jobs;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /export?rows=1000}: a CSV export. While memory is short the starter answers
 * it with 503, {@code Retry-After} and a problem body: the admission filter at CRITICAL
 * before the request is read, and below CRITICAL the {@code MemoryPressureException} of
 * {@link ExportService} when the export's 32 MB do not fit.
 */
@RestController
class ExportController {

	private final ExportService exports;

	ExportController(ExportService exports) {
		this.exports = exports;
	}

	@GetMapping(path = "/export", produces = "text/csv")
	String export(@RequestParam(defaultValue = "1000") int rows) {
		return this.exports.export(Math.min(rows, 100_000));
	}

}
