package dev.memoryguard.job;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;

/**
 * The {@code @MemorySafe} methods of the application, resolved and validated when their
 * beans are post-processed, so that a bad attribute stops startup instead of the first
 * call.
 */
final class GuardedJobs {

	private final Map<Method, GuardedJob> byMethod = new ConcurrentHashMap<>();

	private final Supplier<MemoryGuard> guard;

	private final Supplier<JobAccounting> accounting;

	private final Supplier<MemorySafeDefaults> defaults;

	private final Supplier<JobDeferrals> deferrals;

	private UnaryOperator<@Nullable String> resolver = UnaryOperator.identity();

	GuardedJobs(Supplier<MemoryGuard> guard, Supplier<JobAccounting> accounting, Supplier<MemorySafeDefaults> defaults,
			Supplier<JobDeferrals> deferrals) {
		this.guard = guard;
		this.accounting = accounting;
		this.defaults = defaults;
		this.deferrals = deferrals;
	}

	void setResolver(UnaryOperator<@Nullable String> resolver) {
		this.resolver = resolver;
	}

	@Nullable GuardedJob find(Method method, @Nullable Object target) {
		GuardedJob job = this.byMethod.get(method);
		if (job == null && target != null) {
			job = this.byMethod.get(AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(target)));
		}
		return job;
	}

	/**
	 * Resolves and validates every guarded method of a bean and registers its job.
	 * @throws InvalidMemorySafeException naming the bean and method when an attribute is
	 * invalid
	 */
	void register(String beanName, Class<?> targetClass) {
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		MemorySafe onType = AnnotatedElementUtils.findMergedAnnotation(userClass, MemorySafe.class);
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass, ReflectionUtils.USER_DECLARED_METHODS)) {
			MemorySafe annotation = AnnotatedElementUtils.findMergedAnnotation(method, MemorySafe.class);
			if (annotation == null && onType != null && Modifier.isPublic(method.getModifiers())
					&& !Modifier.isStatic(method.getModifiers()) && !ReflectionUtils.isObjectMethod(method)) {
				annotation = onType;
			}
			if (annotation != null && !Modifier.isPrivate(method.getModifiers())) {
				GuardedJob job = resolve(beanName, userClass, method, annotation);
				this.byMethod.putIfAbsent(method, job);
				this.accounting.get().register(job.name());
			}
		}
	}

	private GuardedJob resolve(String beanName, Class<?> userClass, Method method, MemorySafe annotation) {
		Invalid invalid = new Invalid(beanName, method);
		MemorySafeDefaults defaults = this.defaults.get();
		String name = resolve(annotation.name(), "name", invalid);
		if (!StringUtils.hasText(name)) {
			name = userClass.getSimpleName() + "." + method.getName();
		}
		OnPressure policy = (annotation.onPressure() != OnPressure.DEFAULT) ? annotation.onPressure()
				: defaults.onPressure();
		MemoryPressure threshold = (annotation.threshold() != MemoryPressure.NORMAL) ? annotation.threshold()
				: defaults.threshold();
		DataSize required = requires(annotation, invalid);
		Duration deferDelay = deferDelay(annotation, defaults, invalid);
		if (annotation.maxDeferrals() < -1) {
			throw invalid.because("maxDeferrals = " + annotation.maxDeferrals() + " is negative",
					"use 0 or more, or leave it out for memory-guard.jobs.max-deferrals");
		}
		int maxDeferrals = (annotation.maxDeferrals() >= 0) ? annotation.maxDeferrals() : defaults.maxDeferrals();
		boolean returnsFuture = false;
		if (policy == OnPressure.SKIP || policy == OnPressure.DEFER) {
			returnsFuture = CompletableFuture.class.equals(method.getReturnType());
			if (!returnsFuture && !void.class.equals(method.getReturnType()) || returnsFuture && !isOfVoid(method)) {
				throw invalid.because(
						"onPressure " + policy + " needs a method returning void or CompletableFuture<Void>, but it returns "
								+ method.getGenericReturnType().getTypeName(),
						"return nothing, or use onPressure = OnPressure.FAIL so that callers get a MemoryPressureException");
			}
		}
		return new GuardedJob(name, policy, threshold, required, deferDelay, maxDeferrals, returnsFuture,
				this.guard.get(), this.accounting.get(), this.deferrals);
	}

	private DataSize requires(MemorySafe annotation, Invalid invalid) {
		String text = resolve(annotation.requires(), "requires", invalid);
		if (!StringUtils.hasText(text)) {
			return DataSize.ofBytes(0);
		}
		DataSize size;
		try {
			size = DataSize.parse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw invalid.because("requires = '" + text + "' is not a data size", "write a size such as \"200MB\"");
		}
		if (size.isNegative()) {
			throw invalid.because("requires = '" + text + "' is negative", "write a positive size such as \"200MB\"");
		}
		return size;
	}

	private Duration deferDelay(MemorySafe annotation, MemorySafeDefaults defaults, Invalid invalid) {
		String text = resolve(annotation.deferDelay(), "deferDelay", invalid);
		if (!StringUtils.hasText(text)) {
			return defaults.deferDelay();
		}
		Duration delay;
		try {
			delay = DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			throw invalid.because("deferDelay = '" + text + "' is not a duration",
					"write a duration such as \"30s\" or \"PT30S\"");
		}
		if (delay.isNegative() || delay.isZero()) {
			throw invalid.because("deferDelay = '" + text + "' is not positive",
					"write a positive duration such as \"30s\"");
		}
		return delay;
	}

	private @Nullable String resolve(String text, String attribute, Invalid invalid) {
		if (text.isEmpty()) {
			return text;
		}
		String resolved;
		try {
			resolved = this.resolver.apply(text);
		}
		catch (IllegalArgumentException ex) {
			resolved = null;
		}
		if (resolved == null || resolved.contains("${")) {
			// a lenient resolver leaves unresolvable placeholders in place
			throw invalid.because(attribute + " = '" + text + "' cannot be resolved",
					"define the property or give the placeholder a default, as in \"${name:default}\"");
		}
		return resolved;
	}

	private static boolean isOfVoid(Method method) {
		Type type = method.getGenericReturnType();
		return type instanceof ParameterizedType parameterized
				&& Void.class.equals(parameterized.getActualTypeArguments()[0]);
	}

	private record Invalid(String beanName, Method method) {

		InvalidMemorySafeException because(String problem, String fix) {
			return new InvalidMemorySafeException(beanName(), method(), problem, fix);
		}

	}

}
