package dev.memoryguard.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Bounds and expiry of one guarded cache: a maximum number of entries, a maximum
 * estimated size in bytes, or both, and optional expiry.
 * <pre class="code">
 * CacheBounds.ofEntries(10_000).withMaxSize(DataSize.ofMegabytes(32)).withExpireAfterWrite(Duration.ofHours(1));
 * </pre>
 *
 * @param maxEntries maximum number of entries, {@code null} for none
 * @param maxSize maximum estimated size of keys and values, {@code null} for none
 * @param expireAfterWrite time after which an entry expires once written, {@code null}
 * for never
 * @param expireAfterAccess time after which an entry expires once last read or written,
 * {@code null} for never
 */
public record CacheBounds(@Nullable Long maxEntries, @Nullable DataSize maxSize, @Nullable Duration expireAfterWrite,
		@Nullable Duration expireAfterAccess) {

	/**
	 * Creates bounds, checking that at least one bound is set and every value is positive.
	 * @param maxEntries maximum number of entries, {@code null} for none
	 * @param maxSize maximum estimated size, {@code null} for none
	 * @param expireAfterWrite expiry after write, {@code null} for never
	 * @param expireAfterAccess expiry after access, {@code null} for never
	 */
	public CacheBounds {
		Assert.isTrue(maxEntries != null || maxSize != null, "A guarded cache needs maxEntries, maxSize or both");
		Assert.isTrue(maxEntries == null || maxEntries > 0, "maxEntries must be positive");
		Assert.isTrue(maxSize == null || maxSize.toBytes() > 0, "maxSize must be positive");
		Assert.isTrue(expireAfterWrite == null || isPositive(expireAfterWrite), "expireAfterWrite must be positive");
		Assert.isTrue(expireAfterAccess == null || isPositive(expireAfterAccess), "expireAfterAccess must be positive");
	}

	/**
	 * Returns bounds of at most {@code maxEntries} entries.
	 * @param maxEntries the maximum number of entries
	 * @return the bounds
	 */
	public static CacheBounds ofEntries(long maxEntries) {
		return new CacheBounds(maxEntries, null, null, null);
	}

	/**
	 * Returns bounds of at most {@code maxSize} estimated bytes.
	 * @param maxSize the maximum estimated size
	 * @return the bounds
	 */
	public static CacheBounds ofSize(DataSize maxSize) {
		return new CacheBounds(null, maxSize, null, null);
	}

	/**
	 * Returns these bounds with a maximum number of entries.
	 * @param maxEntries the maximum number of entries
	 * @return new bounds
	 */
	public CacheBounds withMaxEntries(long maxEntries) {
		return new CacheBounds(maxEntries, this.maxSize, this.expireAfterWrite, this.expireAfterAccess);
	}

	/**
	 * Returns these bounds with a maximum estimated size.
	 * @param maxSize the maximum estimated size
	 * @return new bounds
	 */
	public CacheBounds withMaxSize(DataSize maxSize) {
		return new CacheBounds(this.maxEntries, maxSize, this.expireAfterWrite, this.expireAfterAccess);
	}

	/**
	 * Returns these bounds with expiry after write.
	 * @param expireAfterWrite the time after which an entry expires once written
	 * @return new bounds
	 */
	public CacheBounds withExpireAfterWrite(Duration expireAfterWrite) {
		return new CacheBounds(this.maxEntries, this.maxSize, expireAfterWrite, this.expireAfterAccess);
	}

	/**
	 * Returns these bounds with expiry after access.
	 * @param expireAfterAccess the time after which an entry expires once last accessed
	 * @return new bounds
	 */
	public CacheBounds withExpireAfterAccess(Duration expireAfterAccess) {
		return new CacheBounds(this.maxEntries, this.maxSize, this.expireAfterWrite, expireAfterAccess);
	}

	private static boolean isPositive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
