package dev.memoryguard.sample.jobs;

import org.springframework.stereotype.Service;

import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;

/**
 * Renders a CSV export on demand. Callers wait for the answer, so under pressure the
 * export is refused at once with a {@link dev.memoryguard.MemoryPressureException}
 * instead of being skipped, and the starter answers it with 503.
 */
@Service
public class ExportService {

	/**
	 * Renders {@code rows} rows of CSV.
	 * @param rows the number of rows
	 * @return the CSV text
	 */
	@MemorySafe(name = "csv-export", requires = "32MB", onPressure = OnPressure.FAIL)
	public String export(int rows) {
		StringBuilder csv = new StringBuilder("id,amount\n");
		for (int i = 0; i < rows; i++) {
			csv.append(i).append(',').append(i * 3 % 1000).append('\n');
		}
		return csv.toString();
	}

}
