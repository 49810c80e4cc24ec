package dev.memoryguard.cache;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * How the {@link ObjectSizeEstimator} walks instances of one class, worked out once per
 * class: its shallow size and either its reference fields (when they can be read) or the
 * public API that reaches its content.
 */
final class ClassShape {

	private static final Field[] NO_FIELDS = {};

	/**
	 * How instances are walked.
	 */
	enum Kind {

		/**
		 * Shared by the whole JVM (enum constants, classes, class loaders, threads): counts
		 * nothing and is not walked.
		 */
		SHARED,
		/** A string: its shallow size plus its character array. */
		STRING,
		/** An array of primitives. */
		PRIMITIVE_ARRAY,
		/** An array of references. */
		OBJECT_ARRAY,
		/** Reference fields read reflectively. */
		FIELDS,
		/** A JDK collection walked through its public API. */
		COLLECTION,
		/** A JDK map walked through its public API. */
		MAP,
		/** A JDK value type reached through its public API. */
		JDK_VALUE,
		/**
		 * Only the shallow size is known (fields closed to reflection, or hidden by a native
		 * image).
		 */
		OPAQUE

	}

	final Kind kind;

	final Class<?> type;

	final long shallowSize;

	final Field[] references;

	final int elementSize;

	/**
	 * Whether instances reference nothing that is counted: their shallow size is all.
	 */
	final boolean leaf;

	/**
	 * Hands the {@link #references} of an instance to a consumer, {@code null} when they
	 * must be read reflectively.
	 */
	final @Nullable BiConsumer<Object, Consumer<Object>> reader;

	/**
	 * How a JDK collection or map holds its elements, {@code null} for other kinds.
	 */
	final JdkStructures.@Nullable Structure structure;

	private ClassShape(Kind kind, Class<?> type, long shallowSize, Field[] references, int elementSize) {
		this(kind, type, shallowSize, references, elementSize, true);
	}

	private ClassShape(Kind kind, Class<?> type, long shallowSize, Field[] references, int elementSize,
			boolean generatedReader) {
		this.kind = kind;
		this.type = type;
		this.shallowSize = shallowSize;
		this.references = references;
		this.elementSize = elementSize;
		this.leaf = kind == Kind.OPAQUE || (kind == Kind.FIELDS && references.length == 0);
		this.reader = (kind == Kind.FIELDS && generatedReader) ? FieldReaders.create(type, references) : null;
		this.structure = (kind == Kind.COLLECTION || kind == Kind.MAP) ? JdkStructures.Structure.of(type) : null;
	}

	static ClassShape of(Class<?> type, JvmLayout layout) {
		return of(type, layout, FieldAccess.JVM);
	}

	static ClassShape of(Class<?> type, JvmLayout layout, FieldAccess access) {
		if (type == Class.class || Enum.class.isAssignableFrom(type) || ClassLoader.class.isAssignableFrom(type)
				|| Thread.class.isAssignableFrom(type)) {
			return new ClassShape(Kind.SHARED, type, 0, NO_FIELDS, 0);
		}
		if (type.isArray()) {
			Class<?> component = type.getComponentType();
			Kind kind = component.isPrimitive() ? Kind.PRIMITIVE_ARRAY : Kind.OBJECT_ARRAY;
			return new ClassShape(kind, type, 0, NO_FIELDS, layout.sizeOf(component));
		}
		long fieldBytes = 0;
		List<Field> references = new ArrayList<>();
		boolean closed = false;
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			for (Field field : access.declaredFields(c)) {
				if (Modifier.isStatic(field.getModifiers())) {
					continue;
				}
				fieldBytes += layout.sizeOf(field.getType());
				if (!field.getType().isPrimitive()) {
					references.add(field);
					closed |= !field.trySetAccessible();
				}
			}
		}
		// in a native image, a class not registered for reflection shows no field at all
		boolean hidden = access.isNativeImage() && fieldBytes == 0 && type != Object.class;
		long shallow = layout.instanceSize(fieldBytes);
		if (type == String.class) {
			// value, hash, coder and hashIsZero, should a native image hide them
			long stringShallow = hidden ? layout.instanceSize(layout.referenceSize() + 6L) : shallow;
			return new ClassShape(Kind.STRING, type, stringShallow, NO_FIELDS, 0);
		}
		if (!closed && !hidden) {
			return new ClassShape(Kind.FIELDS, type, shallow, references.toArray(NO_FIELDS), 0,
					!access.isNativeImage());
		}
		if (Collection.class.isAssignableFrom(type)) {
			return new ClassShape(Kind.COLLECTION, type, shallow, NO_FIELDS, 0);
		}
		if (Map.class.isAssignableFrom(type)) {
			return new ClassShape(Kind.MAP, type, shallow, NO_FIELDS, 0);
		}
		if (isJdkValue(type)) {
			return new ClassShape(Kind.JDK_VALUE, type, shallow, NO_FIELDS, 0);
		}
		if (hidden) {
			access.hidden(type, shallow);
		}
		return new ClassShape(Kind.OPAQUE, type, shallow, NO_FIELDS, 0);
	}

	private static boolean isJdkValue(Class<?> type) {
		return type == LocalDateTime.class || type == OffsetDateTime.class || type == ZonedDateTime.class
				|| type == BigDecimal.class || type == BigInteger.class || type == Optional.class
				|| type == AtomicReference.class;
	}

}
