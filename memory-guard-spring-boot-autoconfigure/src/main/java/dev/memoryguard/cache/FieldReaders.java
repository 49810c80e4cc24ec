package dev.memoryguard.cache;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.asm.ClassWriter;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.Type;

/**
 * Builds readers that hand each of an object's reference fields to a consumer with plain
 * field loads: a hidden class defined as a nestmate of the class it reads. Reading a value's
 * fields is the most frequent step of a walk, and {@link Field#get} costs several times
 * a field load (access and receiver checks on every call, a method handle on JDK 18+).
 * <p>
 * A reader can be built when the packages of the class and its superclasses are open to
 * this library and their class loaders see the JDK's functional interfaces (the usual
 * case for application classes); otherwise {@link #create} returns {@code null} and the
 * caller reads the fields reflectively. A native image, which cannot define classes at run
 * time, never asks for one (see {@link FieldAccess}).
 */
final class FieldReaders {

	private static final String READER_SUFFIX = "$$MemoryGuardFieldReader";

	private FieldReaders() {
	}

	/**
	 * Returns a reader whose {@code accept(object, consumer)} passes the value of each of
	 * {@code fields} of {@code object}, {@code null} or not, in turn to
	 * {@code consumer.accept(value)}, or {@code null} when none can be built for this
	 * class.
	 * @param type the class whose instances are read
	 * @param fields its reference fields, opened to reflection
	 * @return the reader or {@code null}
	 */
	static @Nullable BiConsumer<Object, Consumer<Object>> create(Class<?> type, Field[] fields) {
		if (fields.length == 0 || type.isHidden() || type.isArray()) {
			return null;
		}
		// one reader per declaring class, each a nestmate of the class whose private
		// fields it reads (an entity and its mapped superclass, say)
		Map<Class<?>, List<Field>> byDeclaringClass = new LinkedHashMap<>();
		for (Field field : fields) {
			byDeclaringClass.computeIfAbsent(field.getDeclaringClass(), (declaring) -> new ArrayList<>()).add(field);
		}
		List<BiConsumer<Object, Consumer<Object>>> readers = new ArrayList<>();
		for (Map.Entry<Class<?>, List<Field>> declared : byDeclaringClass.entrySet()) {
			BiConsumer<Object, Consumer<Object>> reader = define(declared.getKey(), declared.getValue());
			if (reader == null) {
				return null;
			}
			readers.add(reader);
		}
		if (readers.size() == 1) {
			return readers.get(0);
		}
		BiConsumer<Object, Consumer<Object>>[] all = readers.toArray(new BiConsumer[0]);
		return (object, consumer) -> {
			for (BiConsumer<Object, Consumer<Object>> reader : all) {
				reader.accept(object, consumer);
			}
		};
	}

	private static @Nullable BiConsumer<Object, Consumer<Object>> define(Class<?> type, List<Field> fields) {
		if (type.isHidden()) {
			return null;
		}
		try {
			MethodHandles.Lookup host = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
			Class<?> reader = host.defineHiddenClass(bytecode(type, fields), true, MethodHandles.Lookup.ClassOption.NESTMATE)
				.lookupClass();
			@SuppressWarnings("unchecked")
			BiConsumer<Object, Consumer<Object>> instance = (BiConsumer<Object, Consumer<Object>>) reader
				.getConstructor()
				.newInstance();
			return instance;
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			// not open to us, not visible from the class's loader, or no run-time classes
			return null;
		}
	}

	private static byte[] bytecode(Class<?> type, List<Field> fields) {
		String owner = Type.getInternalName(type);
		ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
		writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, owner + READER_SUFFIX,
				null, "java/lang/Object", new String[] { "java/util/function/BiConsumer" });
		MethodVisitor constructor = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
		constructor.visitCode();
		constructor.visitVarInsn(Opcodes.ALOAD, 0);
		constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
		constructor.visitInsn(Opcodes.RETURN);
		constructor.visitMaxs(0, 0);
		constructor.visitEnd();
		MethodVisitor accept = writer.visitMethod(Opcodes.ACC_PUBLIC, "accept",
				"(Ljava/lang/Object;Ljava/lang/Object;)V", null, null);
		accept.visitCode();
		accept.visitVarInsn(Opcodes.ALOAD, 1);
		accept.visitTypeInsn(Opcodes.CHECKCAST, owner);
		accept.visitVarInsn(Opcodes.ASTORE, 3);
		accept.visitVarInsn(Opcodes.ALOAD, 2);
		accept.visitTypeInsn(Opcodes.CHECKCAST, "java/util/function/Consumer");
		accept.visitVarInsn(Opcodes.ASTORE, 4);
		for (Field field : fields) {
			accept.visitVarInsn(Opcodes.ALOAD, 4);
			accept.visitVarInsn(Opcodes.ALOAD, 3);
			accept.visitFieldInsn(Opcodes.GETFIELD, owner, field.getName(), Type.getDescriptor(field.getType()));
			accept.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/function/Consumer", "accept",
					"(Ljava/lang/Object;)V", true);
		}
		accept.visitInsn(Opcodes.RETURN);
		accept.visitMaxs(0, 0);
		accept.visitEnd();
		writer.visitEnd();
		return writer.toByteArray();
	}

}
