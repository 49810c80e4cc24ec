/**
 * Memory-aware JDBC in the sample: embedded PostgreSQL by default, a large order table and a report job that streams it.
 */
package dev.memoryguard.sample.jdbc;
