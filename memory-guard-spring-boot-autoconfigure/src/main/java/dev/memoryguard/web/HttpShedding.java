package dev.memoryguard.web;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryPressureListener;

/**
 * Counts the requests refused with 503 because memory is short, by {@link ShedSource
 * where} they were refused. Refusals are never logged one by one: each change of level
 * logs one line with what the episode that ended refused.
 */
public class HttpShedding implements MemoryPressureListener, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(HttpShedding.class);

	private final boolean admissionEnabled;

	private final LongAdder admission = new LongAdder();

	private final LongAdder handler = new LongAdder();

	private final LongAdder episodeAdmission = new LongAdder();

	private final LongAdder episodeHandler = new LongAdder();

	private final Object episodeLock = new Object();

	private MemoryPressure episodeLevel;

	private long episodeStart = System.nanoTime();

	/**
	 * Creates a new instance.
	 * @param admissionEnabled whether an admission filter refuses requests
	 * @param level the level in force now
	 */
	public HttpShedding(boolean admissionEnabled, MemoryPressure level) {
		this.admissionEnabled = admissionEnabled;
		this.episodeLevel = level;
	}

	/**
	 * Counts one refused request.
	 * @param source where it was refused
	 */
	public void refused(ShedSource source) {
		if (source == ShedSource.ADMISSION) {
			this.admission.increment();
			this.episodeAdmission.increment();
		}
		else {
			this.handler.increment();
			this.episodeHandler.increment();
		}
	}

	/**
	 * Returns the requests refused since start.
	 * @return the refusal count, both sources
	 */
	public long shed() {
		return this.admission.sum() + this.handler.sum();
	}

	/**
	 * Returns the requests refused since start at one source.
	 * @param source where they were refused
	 * @return the refusal count
	 */
	public long shed(ShedSource source) {
		return (source == ShedSource.ADMISSION) ? this.admission.sum() : this.handler.sum();
	}

	/**
	 * Returns whether an admission filter refuses requests before they are read.
	 * @return {@code true} when {@code memory-guard.web.shed.enabled} is set
	 */
	public boolean isAdmissionEnabled() {
		return this.admissionEnabled;
	}

	@Override
	public void onPressureChanged(MemoryPressureChangedEvent event) {
		endEpisode(event.current());
	}

	/**
	 * Logs what the last episode refused, if anything, when the application stops.
	 */
	@Override
	public void destroy() {
		endEpisode(null);
	}

	private void endEpisode(@Nullable MemoryPressure next) {
		synchronized (this.episodeLock) {
			long admitted = this.episodeAdmission.sumThenReset();
			long handled = this.episodeHandler.sumThenReset();
			long now = System.nanoTime();
			if (admitted + handled > 0) {
				Duration lasted = Duration.ofSeconds(Math.round((now - this.episodeStart) / 1e9));
				logger.warn("Refused {} request{} with 503 while memory pressure was {} (for {}): {} at admission, {} in handlers{}",
						admitted + handled, (admitted + handled == 1) ? "" : "s", this.episodeLevel,
						lasted.toString().substring(2).toLowerCase(Locale.ROOT), admitted, handled,
						(next != null) ? "; pressure is now " + next : "");
			}
			if (next != null) {
				this.episodeLevel = next;
			}
			this.episodeStart = now;
		}
	}

}
