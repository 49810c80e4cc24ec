package dev.memoryguard.jdbc;

import org.springframework.jdbc.core.RowMapper;

/**
 * The rows of {@code mg_big}: an id and a 192-character payload.
 *
 * @param id the id
 * @param payload the payload
 */
record BigRow(long id, String payload) {

	static final RowMapper<BigRow> ROW = (rs, rowNum) -> new BigRow(rs.getLong(1), rs.getString(2));

}
