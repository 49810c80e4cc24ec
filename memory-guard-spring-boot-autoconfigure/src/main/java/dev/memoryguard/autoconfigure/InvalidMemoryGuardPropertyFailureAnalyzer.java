package dev.memoryguard.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidMemoryGuardPropertyException} into a startup report that names
 * the property, its value and the fix.
 */
class InvalidMemoryGuardPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidMemoryGuardPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidMemoryGuardPropertyException cause) {
		return new FailureAnalysis(cause.getMessage(), "Update your application's configuration: " + cause.getFix(),
				cause);
	}

}
