package dev.memoryguard.jdbc;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Captures the DEBUG lines of {@code dev.memoryguard.jdbc} while open.
 */
final class DebugLog implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger("dev.memoryguard.jdbc");

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Level level;

	DebugLog() {
		this.level = this.logger.getLevel();
		this.appender.start();
		this.logger.addAppender(this.appender);
		this.logger.setLevel(Level.DEBUG);
	}

	/**
	 * Returns the formatted lines that contain {@code text}.
	 * @param text the text to look for
	 * @return the lines
	 */
	List<String> lines(String text) {
		return this.appender.list.stream()
			.map(ILoggingEvent::getFormattedMessage)
			.filter((line) -> line.contains(text))
			.toList();
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.level);
	}

}
