package dev.accrue.adapters.postgres;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hot reads' named parameters turned into JDBC's: each occurrence a "?", in order; casts and quoted identifiers left alone. */
class PositionalSqlTest {

    @Test
    void everyOccurrenceBecomesAPositionInOrder() {
        var sql = PositionalSql.of("SELECT x::int FROM t WHERE a = :tenant AND b >= CAST(:from AS date) AND c = :tenant ORDER BY d COLLATE \"C\"");
        assertThat(sql.sql()).isEqualTo("SELECT x::int FROM t WHERE a = ? AND b >= CAST(? AS date) AND c = ? ORDER BY d COLLATE \"C\"");
        assertThat(sql.names()).containsExactly("tenant", "from", "tenant");
    }

    @Test
    void theStatementsItServesParse() {
        assertThat(PositionalSql.of(UsageRollups.READ_ONE).names()).contains("tenant", "sub", "metric", "from", "to")
                .doesNotContain("date", "int");
        assertThat(PositionalSql.of(UsageRollups.READ_ONE).sql()).doesNotContain(":tenant", ":from", ":to");
    }

    @Test
    void refusesWhatItDoesNotParse() {
        for (String sql : List.of("SELECT ':x' FROM t WHERE a = :a", "SELECT 1 -- :x\nFROM t", "SELECT /* :x */ 1")) {
            assertThatThrownBy(() -> PositionalSql.of(sql)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
