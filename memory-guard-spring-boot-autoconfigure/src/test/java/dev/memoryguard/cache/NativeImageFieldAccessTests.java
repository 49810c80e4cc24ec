package dev.memoryguard.cache;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link FieldAccess} in a native image, where no class is defined at run time
 * and reflection shows the fields of registered classes only. The image's reflection is
 * stood in for by a function that shows the fields of the classes a test registers.
 */
@ExtendWith(OutputCaptureExtension.class)
class NativeImageFieldAccessTests {

	private static final JvmLayout LAYOUT = JvmLayout.CURRENT;

	private final ObjectSizeEstimator jvm = new ObjectSizeEstimator(LAYOUT, ObjectSizeEstimator.DEFAULT_MAX_OBJECTS,
			FieldAccess.JVM);

	@Test
	void onTheJvmFieldsAreReadByGeneratedReaders() {
		assertThat(FieldAccess.current()).isSameAs(FieldAccess.JVM);
		assertThat(ClassShape.of(EstimatorCorpus.Customer.class, LAYOUT, FieldAccess.JVM).reader).isNotNull();
	}

	@Test
	void registeredClassesAreReadReflectivelyToTheSameEstimate() {
		FieldAccess everythingRegistered = FieldAccess.nativeImage(Class::getDeclaredFields);
		ObjectSizeEstimator nativeImage = new ObjectSizeEstimator(LAYOUT, ObjectSizeEstimator.DEFAULT_MAX_OBJECTS,
				everythingRegistered);
		ClassShape customer = ClassShape.of(EstimatorCorpus.Customer.class, LAYOUT, everythingRegistered);
		assertThat(customer.kind).isEqualTo(ClassShape.Kind.FIELDS);
		assertThat(customer.reader).isNull();
		for (Map.Entry<String, Object> value : EstimatorCorpus.values().entrySet()) {
			assertThat(nativeImage.estimate(value.getValue())).as(value.getKey())
				.isEqualTo(this.jvm.estimate(value.getValue()));
		}
	}

	@Test
	void jdkCollectionsAreWalkedThroughTheirApiWhenTheImageHidesTheirFields() {
		ObjectSizeEstimator nativeImage = estimator(registered(EstimatorCorpus.Customer.class));
		Object customers = EstimatorCorpus.values().get("list of 20 customers");
		long expected = this.jvm.estimate(customers);
		// the shallow sizes of JDK classes are hidden there too: within a tenth, never the list's header alone
		assertThat(nativeImage.estimate(customers)).isCloseTo(expected, within(expected / 10));
	}

	@Test
	void unregisteredClassCountsItsShallowSizeWithOneWarning(CapturedOutput output) {
		ObjectSizeEstimator nativeImage = estimator(registered(EstimatorCorpus.Order.class, EstimatorCorpus.Customer.class));
		EstimatorCorpus.OrderLine line = new EstimatorCorpus.OrderLine("SKU-" + "x".repeat(200), 3,
				new java.math.BigDecimal("12.50"));
		assertThat(nativeImage.estimate(line)).isEqualTo(LAYOUT.instanceSize(0)).isLessThan(this.jvm.estimate(line));
		Object order = EstimatorCorpus.values().get("order with lines");
		long estimate = nativeImage.estimate(order);
		assertThat(estimate).isPositive().isLessThan(this.jvm.estimate(order));
		nativeImage.estimate(List.of(new Unregistered("a")));
		assertThat(output).containsOnlyOnce("shows no fields to reflection in this native image")
			.contains(EstimatorCorpus.OrderLine.class.getName())
			.contains("@RegisterReflectionForBinding(OrderLine.class)")
			.doesNotContain(Unregistered.class.getName());
	}

	@Test
	void missingRegistrationErrorCountsAsHiddenFields() {
		FieldAccess exact = FieldAccess.nativeImage((type) -> {
			throw new LinkageError("MissingReflectionRegistrationError stand-in for " + type.getName());
		});
		assertThat(ClassShape.of(EstimatorCorpus.Customer.class, LAYOUT, exact).kind)
			.isEqualTo(ClassShape.Kind.OPAQUE);
		assertThat(new ObjectSizeEstimator(LAYOUT, 1000, exact).estimate(List.of("abc"))).isPositive();
	}

	private static ObjectSizeEstimator estimator(Function<Class<?>, Field[]> reflection) {
		return new ObjectSizeEstimator(LAYOUT, ObjectSizeEstimator.DEFAULT_MAX_OBJECTS,
				FieldAccess.nativeImage(reflection));
	}

	private static Function<Class<?>, Field[]> registered(Class<?>... types) {
		Set<Class<?>> registered = Set.of(types);
		return (type) -> registered.contains(type) ? type.getDeclaredFields() : new Field[0];
	}

	record Unregistered(String name) {

	}

}
