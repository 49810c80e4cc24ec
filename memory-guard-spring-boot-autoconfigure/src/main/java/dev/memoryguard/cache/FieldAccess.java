package dev.memoryguard.cache;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.NativeDetector;

/**
 * How the {@link ObjectSizeEstimator} reaches the fields of a class.
 * <p>
 * On the JVM it reads each class's declared fields and, where it can, defines a small
 * class that loads them (see {@link FieldReaders}). A GraalVM native image (detected from
 * the {@code org.graalvm.nativeimage.imagecode} system property) defines no class at run
 * time, and its reflection shows the fields of only the classes registered for it at build
 * time: there fields are read reflectively, and a class that shows none counts its shallow
 * size, with one warning that names it and says how to register it.
 */
final class FieldAccess {

	/**
	 * Field access on the JVM.
	 */
	static final FieldAccess JVM = new FieldAccess(false, Class::getDeclaredFields);

	private static final Logger logger = LoggerFactory.getLogger(ObjectSizeEstimator.class);

	private static final Field[] NO_FIELDS = {};

	private final boolean nativeImage;

	private final Function<Class<?>, Field[]> declaredFields;

	private final AtomicBoolean warned = new AtomicBoolean();

	private FieldAccess(boolean nativeImage, Function<Class<?>, Field[]> declaredFields) {
		this.nativeImage = nativeImage;
		this.declaredFields = declaredFields;
	}

	/**
	 * Returns the field access of the running process.
	 * @return the access for a native image when running in one, {@link #JVM} otherwise
	 */
	static FieldAccess current() {
		return NativeDetector.inNativeImage() ? nativeImage(Class::getDeclaredFields) : JVM;
	}

	/**
	 * Returns the field access of a native image.
	 * @param declaredFields what reflection shows of a class's declared fields
	 * @return the access
	 */
	static FieldAccess nativeImage(Function<Class<?>, Field[]> declaredFields) {
		return new FieldAccess(true, declaredFields);
	}

	boolean isNativeImage() {
		return this.nativeImage;
	}

	/**
	 * Returns the fields a class declares, as far as reflection shows them.
	 * @param type the class
	 * @return its declared fields, none where a native image hides them
	 */
	Field[] declaredFields(Class<?> type) {
		if (!this.nativeImage) {
			return type.getDeclaredFields();
		}
		try {
			return this.declaredFields.apply(type);
		}
		catch (LinkageError ex) {
			// MissingReflectionRegistrationError, where the image was built with exact metadata
			return NO_FIELDS;
		}
	}

	/**
	 * Says once, for the first such class, that a class shows no fields in this native
	 * image and is weighed at its shallow size. JDK classes are not named: the estimator
	 * reaches the content of those it knows through their public API.
	 * @param type the class
	 * @param shallowSize the bytes each instance counts
	 */
	void hidden(Class<?> type, long shallowSize) {
		if (this.nativeImage && !type.getName().startsWith("java.") && this.warned.compareAndSet(false, true)) {
			logger.warn("{} shows no fields to reflection in this native image: byte-bounded caches count {} bytes for "
					+ "each instance and nothing it references. Register it for reflection to weigh it in full, "
					+ "for example with @RegisterReflectionForBinding({}.class). Said once; other such classes are "
					+ "weighed the same way.", type.getName(), shallowSize, type.getSimpleName());
		}
	}

}
