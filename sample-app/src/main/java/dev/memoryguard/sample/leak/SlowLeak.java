package dev.memoryguard.sample.leak;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReliefAction;

/**
 * A deliberate leak: every second it keeps {@code sample.leak.bytes-per-second} more
 * bytes, so that memory-guard's leak suspicion and exhaustion forecast can be watched
 * in {@code /actuator/memory/leak}. As a {@link MemoryReliefAction} it lets go of
 * everything it holds when relief runs (on entering CRITICAL or
 * {@code POST /actuator/memory/relieve}).
 */
public class SlowLeak implements MemoryReliefAction {

	private static final Logger logger = LoggerFactory.getLogger(SlowLeak.class);

	private static final int CHUNK = 64 * 1024;

	private final List<byte[]> retained = new ArrayList<>();

	private final int chunksPerSecond;

	/**
	 * Creates a leak.
	 * @param bytesPerSecond how much it grows every second
	 */
	public SlowLeak(long bytesPerSecond) {
		this.chunksPerSecond = (int) Math.max(1, bytesPerSecond / CHUNK);
		logger.warn("Demo leak on: retaining {} KB a second until relief runs", this.chunksPerSecond * CHUNK / 1024);
	}

	/**
	 * Retains another second's worth of bytes.
	 */
	@Scheduled(fixedRate = 1000)
	public synchronized void leak() {
		for (int i = 0; i < this.chunksPerSecond; i++) {
			this.retained.add(new byte[CHUNK]);
		}
	}

	/**
	 * Returns the bytes currently retained.
	 * @return the retained bytes
	 */
	public synchronized long retained() {
		return (long) this.retained.size() * CHUNK;
	}

	@Override
	public synchronized long relieve(MemoryPressure pressure) {
		long freed = retained();
		this.retained.clear();
		logger.info("Demo leak let go of {} KB on relief at {}", freed / 1024, pressure);
		return freed;
	}

	@Override
	public String name() {
		return "sample-leak";
	}

}
