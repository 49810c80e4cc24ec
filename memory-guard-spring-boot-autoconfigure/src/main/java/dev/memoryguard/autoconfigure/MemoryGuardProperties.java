package dev.memoryguard.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.OnPressure;

/**
 * Configuration properties for memory-guard.
 */
@ConfigurationProperties("memory-guard")
public class MemoryGuardProperties implements InitializingBean {

	/**
	 * Whether memory-guard is enabled.
	 */
	private boolean enabled = true;

	private final Thresholds thresholds = new Thresholds();

	private final Sampling sampling = new Sampling();

	private final Container container = new Container();

	private final Jobs jobs = new Jobs();

	/**
	 * Guarded caches by name, each with its own bounds and expiry.
	 */
	private final Map<String, CacheSpec> caches = new LinkedHashMap<>();

	private final Relief relief = new Relief();

	private final Leak leak = new Leak();

	private final HeapDump heapDump = new HeapDump();

	private final Jdbc jdbc = new Jdbc();

	private final Readiness readiness = new Readiness();

	private final Dashboard dashboard = new Dashboard();

	private final Web web = new Web();

	/**
	 * Validates the bound values: a bad value stops startup with the property, the value
	 * and the fix.
	 * @throws InvalidMemoryGuardPropertyException when a value is out of range
	 */
	@Override
	public void afterPropertiesSet() {
		MemoryGuardPropertiesValidator.validate(this);
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Thresholds getThresholds() {
		return this.thresholds;
	}

	public Sampling getSampling() {
		return this.sampling;
	}

	public Container getContainer() {
		return this.container;
	}

	public Jobs getJobs() {
		return this.jobs;
	}

	public Map<String, CacheSpec> getCaches() {
		return this.caches;
	}

	public Relief getRelief() {
		return this.relief;
	}

	public Leak getLeak() {
		return this.leak;
	}

	public HeapDump getHeapDump() {
		return this.heapDump;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Readiness getReadiness() {
		return this.readiness;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Web getWeb() {
		return this.web;
	}

	/**
	 * Heap thresholds, as fractions of max heap applied to the live heap after GC.
	 */
	public static class Thresholds {

		/**
		 * Fraction of max heap, of the live heap after GC, at which pressure becomes
		 * WARNING.
		 */
		private double warning = 0.70;

		/**
		 * Fraction of max heap, of the live heap after GC, at which pressure becomes
		 * CRITICAL. Must be greater than the warning threshold and less than 1.
		 */
		private double critical = 0.85;

		/**
		 * Hysteresis: how far below its threshold the live heap must fall before a level
		 * is left.
		 */
		private double recoveryMargin = 0.05;

		public double getWarning() {
			return this.warning;
		}

		public void setWarning(double warning) {
			this.warning = warning;
		}

		public double getCritical() {
			return this.critical;
		}

		public void setCritical(double critical) {
			this.critical = critical;
		}

		public double getRecoveryMargin() {
			return this.recoveryMargin;
		}

		public void setRecoveryMargin(double recoveryMargin) {
			this.recoveryMargin = recoveryMargin;
		}

	}

	/**
	 * Background sampling.
	 */
	public static class Sampling {

		/**
		 * Time between background readings; collections are also read as they happen.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * Whether the guard may request one full collection (System.gc()) to confirm a
		 * level before raising it on readings of collections that did not collect the old
		 * generation, and to see released memory when CRITICAL has lasted 5s with no such
		 * collection. Within the gc-budget, at most one every 10s; each is logged and
		 * counted. None with -XX:+DisableExplicitGC.
		 */
		private boolean confirmWithGc = true;

		/**
		 * Most share of wall time the collections the guard requests may pause the
		 * application, as a fraction (0.01) or a percentage (1%). After a collection that
		 * paused for p, the next waits at least p divided by the budget.
		 */
		private String gcBudget = "1%";

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public boolean isConfirmWithGc() {
			return this.confirmWithGc;
		}

		public void setConfirmWithGc(boolean confirmWithGc) {
			this.confirmWithGc = confirmWithGc;
		}

		public String getGcBudget() {
			return this.gcBudget;
		}

		public void setGcBudget(String gcBudget) {
			this.gcBudget = gcBudget;
		}

	}

	/**
	 * Thresholds of the container signal: memory outside the heap (the cgroup's working
	 * set less the committed heap) as a fraction of what the cgroup's memory limit leaves
	 * beyond the max heap. Ignored when the process has no memory limit.
	 */
	public static class Container {

		/**
		 * Container signal (memory outside the heap over the room the memory limit leaves
		 * beyond max heap) at which pressure becomes WARNING; with a cgroup v2
		 * memory.high, also the signal against memory.high.
		 */
		private double warning = 0.85;

		/**
		 * Container signal (memory outside the heap over the room the memory limit leaves
		 * beyond max heap) at which pressure becomes CRITICAL.
		 */
		private double critical = 0.95;

		public double getWarning() {
			return this.warning;
		}

		public void setWarning(double warning) {
			this.warning = warning;
		}

		public double getCritical() {
			return this.critical;
		}

		public void setCritical(double critical) {
			this.critical = critical;
		}

	}

	/**
	 * Defaults of {@code @MemorySafe} methods.
	 */
	public static class Jobs {

		/**
		 * What a @MemorySafe method does under pressure unless its annotation says
		 * otherwise.
		 */
		private OnPressure onPressure = OnPressure.SKIP;

		/**
		 * Level at which a @MemorySafe method yields unless its annotation says
		 * otherwise.
		 */
		private MemoryPressure threshold = MemoryPressure.CRITICAL;

		/**
		 * How long a deferred run waits before re-checking when memory has not
		 * recovered.
		 */
		private Duration deferDelay = Duration.ofSeconds(30);

		/**
		 * How often one call may be deferred before it is counted as skipped.
		 */
		private int maxDeferrals = 3;

		/**
		 * Order of the @MemorySafe post-processor among the post-processors that put
		 * their advice in front of existing advisors (@Async, @Retryable,
		 * @ConcurrencyLimit, all at Integer.MAX_VALUE): the higher value wraps the lower.
		 * Whatever the value, @MemorySafe runs before @Transactional, @SchedulerLock and
		 * Resilience4j.
		 */
		private int order = Integer.MAX_VALUE - 1;

		public OnPressure getOnPressure() {
			return this.onPressure;
		}

		public void setOnPressure(OnPressure onPressure) {
			this.onPressure = onPressure;
		}

		public MemoryPressure getThreshold() {
			return this.threshold;
		}

		public void setThreshold(MemoryPressure threshold) {
			this.threshold = threshold;
		}

		public Duration getDeferDelay() {
			return this.deferDelay;
		}

		public void setDeferDelay(Duration deferDelay) {
			this.deferDelay = deferDelay;
		}

		public int getMaxDeferrals() {
			return this.maxDeferrals;
		}

		public void setMaxDeferrals(int maxDeferrals) {
			this.maxDeferrals = maxDeferrals;
		}

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

	}

	/**
	 * Bounds and expiry of one guarded cache.
	 */
	public static class CacheSpec {

		/**
		 * Maximum number of entries.
		 */
		private @Nullable Long maxEntries;

		/**
		 * Maximum estimated size of the entries, weighed by an object size estimator.
		 */
		private @Nullable DataSize maxSize;

		/**
		 * Time after which an entry expires once written.
		 */
		private @Nullable Duration expireAfterWrite;

		/**
		 * Time after which an entry expires once last read or written.
		 */
		private @Nullable Duration expireAfterAccess;

		public @Nullable Long getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(@Nullable Long maxEntries) {
			this.maxEntries = maxEntries;
		}

		public @Nullable DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public @Nullable Duration getExpireAfterWrite() {
			return this.expireAfterWrite;
		}

		public void setExpireAfterWrite(@Nullable Duration expireAfterWrite) {
			this.expireAfterWrite = expireAfterWrite;
		}

		public @Nullable Duration getExpireAfterAccess() {
			return this.expireAfterAccess;
		}

		public void setExpireAfterAccess(@Nullable Duration expireAfterAccess) {
			this.expireAfterAccess = expireAfterAccess;
		}

	}

	/**
	 * What pressure does to guarded caches, and what relief may do.
	 */
	public static class Relief {

		/**
		 * Fraction of its bound every guarded cache shrinks to at WARNING.
		 */
		private double shrinkCachesTo = 0.5;

		/**
		 * Whether guarded caches are emptied on entering CRITICAL (they stay at the
		 * shrunk bound until NORMAL restores them).
		 */
		private boolean clearCaches = true;

		/**
		 * Whether relief may request a garbage collection (within
		 * memory-guard.sampling.gc-budget).
		 */
		private boolean gc = false;

		/**
		 * Least time between two automatic relief runs; while CRITICAL lasts, relief runs
		 * again once it has passed.
		 */
		private Duration minInterval = Duration.ofMinutes(1);

		/**
		 * Names of caches that memory pressure and relief never shrink or empty (a * in a
		 * name matches any characters); they are still reported, and can be emptied by
		 * name through the memory endpoint.
		 */
		private List<String> excludeCaches = new ArrayList<>();

		public double getShrinkCachesTo() {
			return this.shrinkCachesTo;
		}

		public void setShrinkCachesTo(double shrinkCachesTo) {
			this.shrinkCachesTo = shrinkCachesTo;
		}

		public boolean isClearCaches() {
			return this.clearCaches;
		}

		public void setClearCaches(boolean clearCaches) {
			this.clearCaches = clearCaches;
		}

		public boolean isGc() {
			return this.gc;
		}

		public void setGc(boolean gc) {
			this.gc = gc;
		}

		public Duration getMinInterval() {
			return this.minInterval;
		}

		public void setMinInterval(Duration minInterval) {
			this.minInterval = minInterval;
		}

		public List<String> getExcludeCaches() {
			return this.excludeCaches;
		}

		public void setExcludeCaches(List<String> excludeCaches) {
			this.excludeCaches = excludeCaches;
		}

	}

	/**
	 * Leak suspicion on the growth of the live heap.
	 */
	public static class Leak {

		/**
		 * Whether leak suspicion is enabled.
		 */
		private boolean enabled = true;

		/**
		 * Window over which live-heap growth is measured; no suspicion before one full
		 * window of history exists.
		 */
		private Duration window = Duration.ofHours(1);

		/**
		 * Growth of the live heap over the window, relative to its start, above which a
		 * steadily rising trend is suspected to be a leak.
		 */
		private double growthThreshold = 0.5;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public double getGrowthThreshold() {
			return this.growthThreshold;
		}

		public void setGrowthThreshold(double growthThreshold) {
			this.growthThreshold = growthThreshold;
		}

	}

	/**
	 * Heap dumps on leak suspicion or on entering CRITICAL.
	 */
	public static class HeapDump {

		/**
		 * Whether heap dumps are written.
		 */
		private boolean enabled = false;

		/**
		 * Directory heap dumps are written to, created if missing; the working directory
		 * when not set.
		 */
		private @Nullable String directory;

		/**
		 * Minimum time between two heap dumps, shared by every trigger.
		 */
		private Duration minInterval = Duration.ofHours(1);

		/**
		 * How many heap dumps to keep in the directory; older ones are deleted.
		 */
		private int maxFiles = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable String directory) {
			this.directory = directory;
		}

		public Duration getMinInterval() {
			return this.minInterval;
		}

		public void setMinInterval(Duration minInterval) {
			this.minInterval = minInterval;
		}

		public int getMaxFiles() {
			return this.maxFiles;
		}

		public void setMaxFiles(int maxFiles) {
			this.maxFiles = maxFiles;
		}

	}

	/**
	 * Memory-aware JDBC batches.
	 */
	public static class Jdbc {

		/**
		 * Rows per batch handed to the handler while memory is NORMAL.
		 */
		private int batchSize = 100;

		/**
		 * Smallest batch the adaptive sizing shrinks to under pressure.
		 */
		private int minBatchSize = 25;

		/**
		 * Longest a failed or stopped stream may take to close its cursor and give back
		 * its connection; past it the connection is aborted and the pool replaces it.
		 */
		private Duration closeTimeout = Duration.ofSeconds(10);

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public int getMinBatchSize() {
			return this.minBatchSize;
		}

		public void setMinBatchSize(int minBatchSize) {
			this.minBatchSize = minBatchSize;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

	}

	/**
	 * Readiness state under pressure.
	 */
	public static class Readiness {

		/**
		 * Whether CRITICAL moves the application's readiness to REFUSING_TRAFFIC (and
		 * recovery moves it back).
		 */
		private boolean enabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Live dashboard page.
	 */
	public static class Dashboard {

		/**
		 * Whether the live dashboard page is served (servlet web applications).
		 */
		private boolean enabled = false;

		/**
		 * Path the dashboard page is served at.
		 */
		private String path = "/memory-guard";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

	/**
	 * Refusing HTTP requests while memory is short.
	 */
	public static class Web {

		/**
		 * Retry-After of a 503 refusal, in whole seconds; each refusal spreads it by up to
		 * 20% either way so that refused clients do not all come back together.
		 */
		private Duration retryAfter = Duration.ofSeconds(10);

		private final Shed shed = new Shed();

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

		public Shed getShed() {
			return this.shed;
		}

		/**
		 * Admission filter that refuses new requests before they are read.
		 */
		public static class Shed {

			/**
			 * Whether the admission filter refuses new requests under pressure, and requests
			 * whose declared body does not fit the memory left.
			 */
			private boolean enabled = false;

			/**
			 * Level at or above which the admission filter refuses new requests.
			 */
			private MemoryPressure threshold = MemoryPressure.CRITICAL;

			/**
			 * How many times its Content-Length an in-flight request body reserves against
			 * the headroom left under the critical threshold (the bytes read and what is made
			 * of them); 0 turns body accounting off.
			 */
			private double bodyFactor = 2;

			/**
			 * Ant-style path patterns, within the application, that the admission filter
			 * guards.
			 */
			private List<String> include = List.of("/**");

			/**
			 * Ant-style path patterns, within the application, that the admission filter never
			 * guards; the management endpoints and the dashboard are never guarded.
			 */
			private List<String> exclude = new ArrayList<>();

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public MemoryPressure getThreshold() {
				return this.threshold;
			}

			public void setThreshold(MemoryPressure threshold) {
				this.threshold = threshold;
			}

			public double getBodyFactor() {
				return this.bodyFactor;
			}

			public void setBodyFactor(double bodyFactor) {
				this.bodyFactor = bodyFactor;
			}

			public List<String> getInclude() {
				return this.include;
			}

			public void setInclude(List<String> include) {
				this.include = include;
			}

			public List<String> getExclude() {
				return this.exclude;
			}

			public void setExclude(List<String> exclude) {
				this.exclude = exclude;
			}

		}

	}

}
