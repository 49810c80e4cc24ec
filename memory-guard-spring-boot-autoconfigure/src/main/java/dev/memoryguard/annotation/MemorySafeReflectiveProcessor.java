package dev.memoryguard.annotation;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * Registers what the {@code @MemorySafe} post-processor reads when a guarded bean is
 * created: an annotated method for invocation, as for any
 * {@link org.springframework.aot.hint.annotation.Reflective @Reflective} annotation, and
 * for an annotated type the public methods it guards, which the post-processor lists to
 * validate each of them at startup.
 */
class MemorySafeReflectiveProcessor extends SimpleReflectiveProcessor {

	@Override
	protected void registerTypeHint(ReflectionHints hints, Class<?> type) {
		hints.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
