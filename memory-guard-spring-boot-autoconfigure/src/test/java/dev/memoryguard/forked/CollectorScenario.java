package dev.memoryguard.forked;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.memoryguard.GarbageCollector;
import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;

/**
 * One scenario of the collector matrix, run in a JVM of its own ({@code -Xmx256m} and one
 * collector) through the real probe with the thresholds the auto-configuration would put
 * in effect on that collector. The true live heap is known because the program holds it:
 * the JVM's own baseline (measured after a full collection at start), the retained set and
 * the medium-lived objects still referenced. Prints {@code EVENT} lines for level changes,
 * {@code TRACE} lines twice a second and one {@code RESULT} line of {@code key=value}
 * pairs.
 * <ul>
 * <li>{@code churn <seconds>}: a live set at 50% of the heap, heavy short-lived garbage and
 * objects living three seconds.</li>
 * <li>{@code plateau <seconds> <live>}: the same with the live set at the given fraction of
 * the heap.</li>
 * <li>{@code growth <seconds>}: retained memory rising by 3% of the heap a second with
 * light churn until OutOfMemoryError or 6% of the heap past the critical threshold
 * (93% at most); then everything is released and the program
 * allocates lightly until the level is NORMAL again (at most 60 s).</li>
 * <li>{@code quiet-release <seconds>}: a live set 4% past the critical threshold, held until
 * the guard, told of every collection so far, is CRITICAL, then released with nothing
 * allocated afterwards; reports when NORMAL came back and how many collections (and
 * confirming collections) ran after the release. Confirming collections are on unless
 * {@code -Dconfirm-with-gc=false}.</li>
 * <li>{@code humongous <seconds>}: 8MB arrays retained every 300 ms (about 10% of the heap a
 * second), nothing else allocated, until CRITICAL or 95% of the heap.</li>
 * </ul>
 */
public final class CollectorScenario {

	private static final int CHUNK = 64 * 1024;

	private static final long HEAVY_CHURN_PER_SECOND = 150L * 1024 * 1024;

	private static final long LIGHT_CHURN_PER_SECOND = 20L * 1024 * 1024;

	private static final long MEDIUM_PER_SECOND = 4L * 1024 * 1024;

	private static final long MEDIUM_LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(3);

	static volatile Object sink;

	private final long start = System.nanoTime();

	private final List<byte[]> retained = new ArrayList<>();

	private final ArrayDeque<Medium> medium = new ArrayDeque<>();

	private final MemoryGuard guard;

	private final long capacity;

	private final long baseline;

	private volatile long retainedBytes;

	private volatile long mediumBytes;

	private long mediumOwed;

	private volatile double highestRatio;

	private double ratioSum;

	private long ratioCount;

	private volatile MemoryPressure worst = MemoryPressure.NORMAL;

	private volatile long warningEvents;

	private volatile long criticalEvents;

	private volatile long criticalAtMillis = -1;

	private volatile double criticalAtTrue = -1;

	private CollectorScenario() {
		GarbageCollector collector = GarbageCollector.current();
		MemoryThresholds thresholds = collector.effectiveThresholds(MemoryThresholds.DEFAULTS, false, false);
		JvmMemoryProbe probe = new JvmMemoryProbe(thresholds,
				Boolean.parseBoolean(System.getProperty("confirm-with-gc", "true")));
		this.guard = new MemoryGuard(probe, thresholds, Duration.ofMillis(250));
		this.capacity = this.guard.snapshot().reading().heapCapacity();
		System.gc();
		this.baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		System.out.printf(Locale.ROOT, "COLLECTOR %s warning=%.2f critical=%.2f capacity=%d baseline=%.3f%n",
				collector.displayName(), thresholds.warning(), thresholds.critical(), this.capacity,
				(double) this.baseline / this.capacity);
		this.guard.addListener((event) -> {
			double truth = trueRatio();
			MemoryPressure level = event.current();
			this.worst = MemoryPressure.worst(this.worst, level);
			if (event.isWorsening() && level == MemoryPressure.WARNING) {
				this.warningEvents++;
			}
			if (level == MemoryPressure.CRITICAL) {
				this.criticalEvents++;
				if (this.criticalAtMillis < 0) {
					this.criticalAtMillis = millis();
					this.criticalAtTrue = truth;
				}
			}
			System.out.printf(Locale.ROOT, "EVENT %d %s->%s estimate=%.3f true=%.3f%n", millis(), event.previous(),
					level, event.snapshot().liveRatio(), truth);
		});
	}

	public static void main(String[] args) throws Exception {
		String scenario = args[0];
		int seconds = Integer.parseInt(args[1]);
		CollectorScenario program = new CollectorScenario();
		Thread tracer = new Thread(program::trace, "tracer");
		tracer.setDaemon(true);
		program.guard.start();
		tracer.start();
		try {
			switch (scenario) {
				case "churn" -> program.steady(0.50, seconds);
				case "plateau" -> program.steady(Double.parseDouble(args[2]), seconds);
				case "growth" -> program.growth(seconds);
				case "humongous" -> program.humongous(seconds);
				case "quiet-release" -> program.quietRelease(seconds);
				default -> throw new IllegalArgumentException(scenario);
			}
		}
		finally {
			program.guard.stop();
		}
		System.exit(0);
	}

	private void steady(double live, int seconds) throws InterruptedException {
		fill(live);
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long last = System.nanoTime();
		while (System.nanoTime() < end) {
			long now = System.nanoTime();
			allocate(HEAVY_CHURN_PER_SECOND, now - last);
			ageMedium(now, now - last);
			last = now;
			Thread.sleep(5);
		}
		System.out.printf(Locale.ROOT,
				"RESULT worst=%s warnings=%d criticals=%d live=%.3f meanRatio=%.3f highestRatio=%.3f collections=%d confirmations=%d%n",
				this.worst, this.warningEvents, this.criticalEvents, trueRatio(), this.ratioSum / this.ratioCount,
				this.highestRatio, this.guard.snapshot().reading().gcCount(), confirmations());
	}

	private void growth(int seconds) throws InterruptedException {
		fill(0.30);
		double critical = this.guard.thresholds().critical();
		double stopAt = Math.min(critical + 0.06, 0.93);
		long crossingMillis = -1;
		long oomMillis = -1;
		double oomTrue = -1;
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long last = System.nanoTime();
		double retainedPerNano = this.capacity * 0.03 / 1e9;
		double owed = 0;
		try {
			while (System.nanoTime() < end && trueRatio() < stopAt) {
				long now = System.nanoTime();
				owed += (now - last) * retainedPerNano;
				while (owed >= CHUNK) {
					this.retained.add(new byte[CHUNK]);
					this.retainedBytes += CHUNK;
					owed -= CHUNK;
				}
				allocate(LIGHT_CHURN_PER_SECOND, now - last);
				last = now;
				if (crossingMillis < 0 && trueRatio() >= critical) {
					crossingMillis = millis();
				}
				Thread.sleep(5);
			}
		}
		catch (OutOfMemoryError ex) {
			oomMillis = millis();
			oomTrue = trueRatio();
		}
		MemoryPressure atEnd = this.guard.pressure();
		this.retained.clear();
		this.retainedBytes = 0;
		long releasedMillis = millis();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long normalMillis = -1;
		last = System.nanoTime();
		while (System.nanoTime() < deadline) {
			if (this.guard.pressure() == MemoryPressure.NORMAL) {
				normalMillis = millis();
				break;
			}
			long now = System.nanoTime();
			allocate(1024 * 1024, now - last);
			last = now;
			Thread.sleep(20);
		}
		System.out.printf(Locale.ROOT,
				"RESULT criticalAt=%d criticalTrue=%.3f crossingAt=%d oomAt=%d oomTrue=%.3f levelAtEnd=%s recoveredAfter=%d confirmations=%d%n",
				this.criticalAtMillis, this.criticalAtTrue, crossingMillis, oomMillis, oomTrue, atEnd,
				(normalMillis < 0) ? -1 : normalMillis - releasedMillis, confirmations());
	}

	private void quietRelease(int seconds) throws InterruptedException {
		CollectionNotifications notifications = CollectionNotifications.listen(this::millis);
		// fill() leaves room for the medium-lived objects, which this scenario does not allocate
		fill(this.guard.thresholds().critical() + 0.04 + (double) mediumSteadyState() / this.capacity);
		// Release only on a CRITICAL level that the guard holds after being told of every
		// collection the fill caused. Their notifications can arrive hundreds of milliseconds
		// late, after a first reading of the heap in use already said CRITICAL; taken after
		// the release they would lower the level with what the heap held halfway through the
		// fill, as if the release had been seen.
		// confirmations read before the counts: a confirming collection between the two reads
		// can only be taken for one that ran after the release, never for another collection
		long confirmationsBefore = confirmations();
		Map<String, Long> counts = notifications.counts();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!(notifications.delivered(counts) && this.guard.pressure() == MemoryPressure.CRITICAL)
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
			confirmationsBefore = confirmations();
			counts = notifications.counts();
		}
		if (!notifications.delivered(counts)) {
			throw new IllegalStateException("GC notifications not delivered within 10 s: " + counts);
		}
		MemoryPressure reached = this.guard.pressure();
		this.retained.clear();
		this.retainedBytes = 0;
		long releasedMillis = millis();
		System.out.printf(Locale.ROOT, "RELEASE %d%n", releasedMillis);
		long normalMillis = -1;
		deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < deadline) {
			if (this.guard.pressure() == MemoryPressure.NORMAL) {
				normalMillis = millis();
				break;
			}
			Thread.sleep(20);
		}
		// every collection since the counts the release waited on, confirming ones included
		long collections = notifications.since(counts);
		long confirmations = confirmations();
		System.out.printf(Locale.ROOT,
				"RESULT reached=%s level=%s normalAfter=%d confirmations=%d collectionsAfterRelease=%d confirmationsAfterRelease=%d%n",
				reached, this.guard.pressure(), (normalMillis < 0) ? -1 : normalMillis - releasedMillis, confirmations,
				collections, confirmations - confirmationsBefore);
	}

	private void humongous(int seconds) throws InterruptedException {
		int size = 8 * 1024 * 1024 - 1024;
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		String outcome = "timeout";
		try {
			while (System.nanoTime() < end) {
				if (this.guard.pressure() == MemoryPressure.CRITICAL) {
					outcome = "critical";
					break;
				}
				if (trueRatio() + (double) size / this.capacity < 0.95) {
					this.retained.add(new byte[size]);
					this.retainedBytes += size;
				}
				Thread.sleep(300);
			}
		}
		catch (OutOfMemoryError ex) {
			outcome = "oom";
		}
		System.out.printf(Locale.ROOT, "RESULT outcome=%s level=%s true=%.3f criticalTrue=%.3f confirmations=%d%n",
				outcome, this.guard.pressure(), trueRatio(), this.criticalAtTrue, confirmations());
	}

	private void fill(double live) {
		long target = (long) (this.capacity * live) - this.baseline - mediumSteadyState();
		while (this.retainedBytes + CHUNK <= target) {
			this.retained.add(new byte[CHUNK]);
			this.retainedBytes += CHUNK;
		}
	}

	private long mediumSteadyState() {
		return MEDIUM_PER_SECOND * MEDIUM_LIFETIME_NANOS / 1_000_000_000L;
	}

	private void allocate(long perSecond, long elapsedNanos) {
		long bytes = perSecond * Math.min(elapsedNanos, 100_000_000L) / 1_000_000_000L;
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (long done = 0; done < bytes;) {
			int size = 64 + random.nextInt(2048);
			sink = new byte[size];
			done += size + 16;
		}
	}

	private void ageMedium(long now, long elapsedNanos) {
		while (!this.medium.isEmpty() && now - this.medium.peekFirst().born > MEDIUM_LIFETIME_NANOS) {
			this.mediumBytes -= this.medium.pollFirst().bytes();
		}
		this.mediumOwed += MEDIUM_PER_SECOND * Math.min(elapsedNanos, 100_000_000L) / 1_000_000_000L;
		int count = (int) (this.mediumOwed / 16384);
		if (count == 0) {
			return;
		}
		this.mediumOwed -= count * 16384L;
		byte[][] arrays = new byte[count][];
		for (int i = 0; i < count; i++) {
			arrays[i] = new byte[16384];
		}
		long size = count * 16400L;
		this.medium.addLast(new Medium(now, arrays, size));
		this.mediumBytes += size;
	}

	private double trueRatio() {
		return (double) (this.baseline + this.retainedBytes + this.mediumBytes) / this.capacity;
	}

	private long confirmations() {
		return ((JvmMemoryProbe) this.guard.probe()).confirmations();
	}

	private long millis() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.start);
	}

	private void trace() {
		while (true) {
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				return;
			}
			var snapshot = this.guard.snapshot();
			double truth = trueRatio();
			double estimate = snapshot.reading().liveRatio();
			if (truth > 0.2) {
				double ratio = estimate / truth;
				this.highestRatio = Math.max(this.highestRatio, ratio);
				this.ratioSum += ratio;
				this.ratioCount++;
			}
			System.out.printf(Locale.ROOT, "TRACE %d true=%.3f estimate=%.3f used=%.3f level=%s%n", millis(), truth,
					estimate, snapshot.reading().usedRatio(), snapshot.pressure());
		}
	}

	private record Medium(long born, byte[][] arrays, long bytes) {
	}

}
