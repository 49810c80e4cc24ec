package dev.memoryguard.web;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.AntPathMatcher;

/**
 * Which request paths the admission check guards: those matching an include pattern and
 * no exclude pattern, never the management endpoints. Paths are within the application
 * (after the context path); patterns are Ant-style.
 * <p>
 * Only consulted when a request is about to be refused, so the common path never matches
 * patterns. The never-guarded paths are resolved on first use, once the application's
 * endpoints are known.
 */
public class GuardedPaths {

	private final AntPathMatcher matcher = new AntPathMatcher();

	private final List<String> include;

	private final List<String> exclude;

	private final Supplier<? extends Collection<String>> neverGuarded;

	private volatile @Nullable List<String> resolvedNeverGuarded;

	/**
	 * Creates a new instance.
	 * @param include patterns of the paths to guard
	 * @param exclude patterns of the paths never to guard
	 * @param neverGuarded patterns of the paths that must always answer (management
	 * endpoints, probes), asked once on first use
	 */
	public GuardedPaths(List<String> include, List<String> exclude,
			Supplier<? extends Collection<String>> neverGuarded) {
		this.include = List.copyOf(include);
		this.exclude = List.copyOf(exclude);
		this.neverGuarded = neverGuarded;
	}

	/**
	 * Returns whether requests to {@code path} may be refused.
	 * @param path the path within the application, such as {@code /api/orders}
	 * @return {@code true} when the path is guarded
	 */
	public boolean isGuarded(String path) {
		String within = path.isEmpty() ? "/" : path;
		return matchesAny(this.include, within) && !matchesAny(this.exclude, within)
				&& !matchesAny(neverGuarded(), within);
	}

	private List<String> neverGuarded() {
		List<String> resolved = this.resolvedNeverGuarded;
		if (resolved == null) {
			resolved = List.copyOf(this.neverGuarded.get());
			this.resolvedNeverGuarded = resolved;
		}
		return resolved;
	}

	private boolean matchesAny(List<String> patterns, String path) {
		for (String pattern : patterns) {
			if (this.matcher.match(pattern, path)) {
				return true;
			}
		}
		return false;
	}

}
