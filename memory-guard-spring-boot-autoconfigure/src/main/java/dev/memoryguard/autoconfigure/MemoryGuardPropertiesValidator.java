package dev.memoryguard.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.OnPressure;

/**
 * Checks {@link MemoryGuardProperties} once bound, so that a bad value stops startup
 * with the property, the value and the fix instead of a guard that silently never (or
 * always) fires.
 */
final class MemoryGuardPropertiesValidator {

	private static final String PREFIX = "memory-guard.";

	private MemoryGuardPropertiesValidator() {
	}

	static void validate(MemoryGuardProperties properties) {
		MemoryGuardProperties.Thresholds thresholds = properties.getThresholds();
		fraction("thresholds.warning", thresholds.getWarning(), "0.70");
		fraction("thresholds.critical", thresholds.getCritical(), "0.85");
		if (thresholds.getCritical() <= thresholds.getWarning()) {
			throw invalid("thresholds.critical", thresholds.getCritical(),
					"must be greater than memory-guard.thresholds.warning (" + thresholds.getWarning() + ")",
					"set memory-guard.thresholds.critical above memory-guard.thresholds.warning, for example warning 0.70 and critical 0.85.");
		}
		if (thresholds.getRecoveryMargin() < 0 || thresholds.getRecoveryMargin() >= thresholds.getWarning()) {
			throw invalid("thresholds.recovery-margin", thresholds.getRecoveryMargin(),
					"must be at least 0 and less than memory-guard.thresholds.warning",
					"set memory-guard.thresholds.recovery-margin to a small fraction such as 0.05.");
		}
		positive("sampling.interval", properties.getSampling().getInterval(), "1s");
		gcBudget(properties.getSampling().getGcBudget());
		MemoryGuardProperties.Container container = properties.getContainer();
		fraction("container.warning", container.getWarning(), "0.85");
		fraction("container.critical", container.getCritical(), "0.95");
		if (container.getCritical() <= container.getWarning()) {
			throw invalid("container.critical", container.getCritical(),
					"must be greater than memory-guard.container.warning (" + container.getWarning() + ")",
					"set memory-guard.container.critical above memory-guard.container.warning, for example warning 0.85 and critical 0.95.");
		}
		validateJobs(properties.getJobs());
		properties.getCaches().forEach(MemoryGuardPropertiesValidator::validateCache);
		double shrink = properties.getRelief().getShrinkCachesTo();
		if (!(shrink > 0 && shrink <= 1)) {
			throw invalid("relief.shrink-caches-to", shrink, "must be a fraction in (0, 1]",
					"set memory-guard.relief.shrink-caches-to to a fraction such as 0.5 (half of each cache's bound).");
		}
		List<String> excluded = properties.getRelief().getExcludeCaches();
		for (int i = 0; i < excluded.size(); i++) {
			if (!StringUtils.hasText(excluded.get(i))) {
				throw invalid("relief.exclude-caches[" + i + "]", excluded.get(i), "is not a cache name",
						"set memory-guard.relief.exclude-caches to cache names such as tokens or session-*, "
								+ "or remove the empty entry.");
			}
		}
		positive("leak.window", properties.getLeak().getWindow(), "1h");
		double growth = properties.getLeak().getGrowthThreshold();
		if (!(growth > 0)) {
			throw invalid("leak.growth-threshold", growth, "must be greater than 0",
					"set memory-guard.leak.growth-threshold to a relative growth such as 0.5 (50% over the window).");
		}
		Duration dumpInterval = properties.getHeapDump().getMinInterval();
		if (dumpInterval.isNegative()) {
			throw invalid("heap-dump.min-interval", dumpInterval, "must not be negative",
					"set memory-guard.heap-dump.min-interval to a duration such as 1h.");
		}
		int maxFiles = properties.getHeapDump().getMaxFiles();
		if (maxFiles < 1) {
			throw invalid("heap-dump.max-files", maxFiles, "must be at least 1",
					"set memory-guard.heap-dump.max-files to how many heap dumps to keep, for example 3.");
		}
		positive("relief.min-interval", properties.getRelief().getMinInterval(), "1m");
		validateJdbc(properties.getJdbc());
		String path = properties.getDashboard().getPath();
		if (!path.startsWith("/") || path.length() < 2) {
			throw invalid("dashboard.path", path, "must start with '/' and name a path",
					"set memory-guard.dashboard.path to a path such as /memory-guard.");
		}
		validateWeb(properties.getWeb());
	}

	private static void validateWeb(MemoryGuardProperties.Web web) {
		Duration retryAfter = web.getRetryAfter();
		if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
			throw invalid("web.retry-after", retryAfter, "must be at least 1s (Retry-After counts whole seconds)",
					"set memory-guard.web.retry-after to a duration such as 10s.");
		}
		MemoryGuardProperties.Web.Shed shed = web.getShed();
		if (shed.getThreshold() == MemoryPressure.NORMAL) {
			throw invalid("web.shed.threshold", shed.getThreshold(), "would refuse every request",
					"set memory-guard.web.shed.threshold to WARNING or CRITICAL.");
		}
		double factor = shed.getBodyFactor();
		if (!(factor >= 0) || Double.isInfinite(factor)) {
			throw invalid("web.shed.body-factor", factor, "must be 0 or more",
					"set memory-guard.web.shed.body-factor to how many times its size a request body takes in memory, for example 2 (0 turns body accounting off).");
		}
		patterns("web.shed.include", shed.getInclude());
		patterns("web.shed.exclude", shed.getExclude());
	}

	private static void patterns(String property, List<String> patterns) {
		for (String pattern : patterns) {
			if (pattern == null || !pattern.startsWith("/")) {
				throw invalid(property, pattern, "must be a path pattern starting with '/'",
						"write memory-guard." + property + " as Ant-style path patterns within the application, such as /api/** or /uploads/*.");
			}
		}
	}

	private static void validateJobs(MemoryGuardProperties.Jobs jobs) {
		if (jobs.getOnPressure() == OnPressure.DEFAULT) {
			throw invalid("jobs.on-pressure", jobs.getOnPressure(), "is not a policy",
					"set memory-guard.jobs.on-pressure to SKIP, DEFER or FAIL.");
		}
		if (jobs.getThreshold() == MemoryPressure.NORMAL) {
			throw invalid("jobs.threshold", jobs.getThreshold(), "would make every job yield all the time",
					"set memory-guard.jobs.threshold to WARNING or CRITICAL.");
		}
		positive("jobs.defer-delay", jobs.getDeferDelay(), "30s");
		if (jobs.getMaxDeferrals() < 0) {
			throw invalid("jobs.max-deferrals", jobs.getMaxDeferrals(), "must not be negative",
					"set memory-guard.jobs.max-deferrals to 0 or more, for example 3.");
		}
	}

	private static void validateCache(String name, MemoryGuardProperties.CacheSpec spec) {
		String prefix = "caches." + name + ".";
		Long maxEntries = spec.getMaxEntries();
		DataSize maxSize = spec.getMaxSize();
		if (maxEntries == null && maxSize == null) {
			throw invalid(prefix + "max-entries", null, "a guarded cache needs a bound",
					"set memory-guard." + prefix + "max-entries (a count) or memory-guard." + prefix
							+ "max-size (such as 64MB), or both.");
		}
		if (maxEntries != null && maxEntries <= 0) {
			throw invalid(prefix + "max-entries", maxEntries, "must be greater than 0",
					"set memory-guard." + prefix + "max-entries to a positive count such as 10000.");
		}
		if (maxSize != null && maxSize.toBytes() <= 0) {
			throw invalid(prefix + "max-size", maxSize, "must be greater than 0",
					"set memory-guard." + prefix + "max-size to a positive size such as 64MB.");
		}
		optionalPositive(prefix + "expire-after-write", spec.getExpireAfterWrite(), "10m");
		optionalPositive(prefix + "expire-after-access", spec.getExpireAfterAccess(), "10m");
	}

	private static void validateJdbc(MemoryGuardProperties.Jdbc jdbc) {
		if (jdbc.getBatchSize() < 1) {
			throw invalid("jdbc.batch-size", jdbc.getBatchSize(), "must be at least 1",
					"set memory-guard.jdbc.batch-size to a positive row count such as 100.");
		}
		if (jdbc.getMinBatchSize() < 1 || jdbc.getMinBatchSize() > jdbc.getBatchSize()) {
			throw invalid("jdbc.min-batch-size", jdbc.getMinBatchSize(),
					"must be at least 1 and at most memory-guard.jdbc.batch-size (" + jdbc.getBatchSize() + ")",
					"set memory-guard.jdbc.min-batch-size between 1 and the batch size, for example 25.");
		}
		positive("jdbc.close-timeout", jdbc.getCloseTimeout(), "10s");
	}

	/**
	 * Returns the GC budget as a fraction: {@code 0.01} and {@code 1%} both give 0.01.
	 * @param value the property's value
	 * @return the fraction
	 * @throws InvalidMemoryGuardPropertyException when it is neither a fraction in (0, 1)
	 * nor a percentage in (0%, 100%)
	 */
	static double gcBudget(String value) {
		String text = value.trim();
		boolean percent = text.endsWith("%");
		double number;
		try {
			number = Double.parseDouble(percent ? text.substring(0, text.length() - 1).trim() : text);
		}
		catch (NumberFormatException ex) {
			throw invalid("sampling.gc-budget", value, "is neither a fraction nor a percentage",
					"set memory-guard.sampling.gc-budget to a share of wall time such as 1% or 0.01.");
		}
		double fraction = percent ? number / 100 : number;
		if (!(fraction > 0 && fraction < 1)) {
			throw invalid("sampling.gc-budget", value, "must be more than 0 and less than 100%",
					"set memory-guard.sampling.gc-budget to a share of wall time such as 1% or 0.01 (0.5% for less, "
							+ "or memory-guard.sampling.confirm-with-gc=false for no confirming collections at all).");
		}
		return fraction;
	}

	private static void fraction(String property, double value, String example) {
		if (value > 1 && value <= 100) {
			throw invalid(property, value, "is a fraction of max, not a percentage",
					"write memory-guard." + property + "=" + trim(value / 100) + " for " + trim(value) + "%.");
		}
		if (!(value > 0 && value < 1)) {
			throw invalid(property, value, "must be a fraction between 0 and 1 (exclusive)",
					"set memory-guard." + property + " to a fraction such as " + example + ".");
		}
	}

	private static void positive(String property, Duration value, String example) {
		if (value.isNegative() || value.isZero()) {
			throw invalid(property, value, "must be a positive duration",
					"set memory-guard." + property + " to a duration such as " + example + ".");
		}
	}

	private static void optionalPositive(String property, @Nullable Duration value, String example) {
		if (value != null) {
			positive(property, value, example);
		}
	}

	private static String trim(double value) {
		String text = Double.toString(value);
		return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
	}

	private static InvalidMemoryGuardPropertyException invalid(String property, @Nullable Object value, String problem,
			String fix) {
		Object shown = (value instanceof Double number) ? trim(number) : value;
		return new InvalidMemoryGuardPropertyException(PREFIX + property, shown, problem, fix);
	}

}
