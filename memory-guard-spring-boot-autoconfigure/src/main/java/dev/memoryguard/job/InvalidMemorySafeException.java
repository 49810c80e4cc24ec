package dev.memoryguard.job;

import java.lang.reflect.Method;

import org.springframework.beans.factory.BeanInitializationException;

/**
 * Thrown at startup when a {@link dev.memoryguard.annotation.MemorySafe @MemorySafe}
 * method has an attribute the guard cannot work with.
 */
public class InvalidMemorySafeException extends BeanInitializationException {

	private final String beanName;

	private final Method method;

	private final String fix;

	/**
	 * Creates a new exception.
	 * @param beanName the name of the bean
	 * @param method the annotated method
	 * @param problem what is wrong
	 * @param fix what to write instead
	 */
	public InvalidMemorySafeException(String beanName, Method method, String problem, String fix) {
		super("Invalid @MemorySafe on method " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
				+ "() of bean '" + beanName + "': " + problem + "; " + fix + ".");
		this.beanName = beanName;
		this.method = method;
		this.fix = fix;
	}

	/**
	 * Returns the name of the bean.
	 * @return the bean name
	 */
	public String getBeanName() {
		return this.beanName;
	}

	/**
	 * Returns the annotated method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Returns what to write instead.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

}
