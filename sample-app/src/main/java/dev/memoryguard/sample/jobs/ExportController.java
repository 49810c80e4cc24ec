package dev.memoryguard.sample.jobs;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.memoryguard.MemoryPressureException;

/**
 * {@code GET /export?rows=1000}: a CSV export that answers 503 with
 * {@code Retry-After} while memory is short.
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

	@ExceptionHandler(MemoryPressureException.class)
	ResponseEntity<String> memoryShort(MemoryPressureException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "30")
			.contentType(MediaType.TEXT_PLAIN)
			.body("Export refused while memory is short (" + ex.getSnapshot().pressure() + "); try again later.\n");
	}

}
