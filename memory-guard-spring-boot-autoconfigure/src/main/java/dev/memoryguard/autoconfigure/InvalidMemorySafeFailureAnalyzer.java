package dev.memoryguard.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.memoryguard.job.InvalidMemorySafeException;

/**
 * Turns an {@link InvalidMemorySafeException} into a startup report that names the bean,
 * the method, the attribute and the fix.
 */
class InvalidMemorySafeFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMemorySafeException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidMemorySafeException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Update the @MemorySafe annotation on " + cause.getMethod().toGenericString() + ": " + cause.getFix(),
				cause);
	}

}
