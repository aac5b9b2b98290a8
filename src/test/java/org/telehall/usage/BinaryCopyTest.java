package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.HallIntegrationTest;

/**
 * Rating writes its rows in COPY's binary format: PostgreSQL must read every value as it reads the same value
 * written out as text (times to the microsecond, text of any script, nulls).
 */
class BinaryCopyTest extends HallIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void the_database_reads_binary_rows_as_the_same_values_as_their_text() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Instant> times = new ArrayList<>(List.of(Instant.parse("2026-11-20T08:15:00Z"), Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("2024-02-29T23:59:59.5Z"),
                Instant.parse("1969-12-31T23:59:59.000001Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("2026-11-20T08:15:00.000000501Z"),
                Instant.parse("2026-11-20T08:15:00.123456499Z")));
        for (int i = 0; i < 2_000; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000) * 1000));
        }
        String[] texts = {"13800138000", "有线电话 10086", "tab\there", "back\\slash", "line\nbreak", "ünïcödé 🙂", ""};
        BinaryCopy rows = new BinaryCopy(64);
        for (int i = 0; i < times.size(); i++) {
            rows.row(5).int4Field(i).timestamptzField(times.get(i)).textField(texts[i % texts.length]).int8Field(-3_000_000_000L * i);
            if (i % 3 == 0) {
                rows.nullField();
            } else {
                rows.textField("JP");
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("create temp table copied (n int, t timestamptz, s varchar(32), v bigint, o varchar(2))");
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy copied from stdin with (format binary)", rows.finish());
            try (var check = c.prepareStatement("select t = ?::timestamptz, s, v, o from copied where n = ?")) {
                for (int i = 0; i < times.size(); i++) {
                    check.setString(1, times.get(i).toString());
                    check.setInt(2, i);
                    try (var rs = check.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getBoolean(1)).as("seed %d: %s", seed, times.get(i)).isTrue();
                        assertThat(rs.getString(2)).isEqualTo(texts[i % texts.length]);
                        assertThat(rs.getLong(3)).isEqualTo(-3_000_000_000L * i);
                        assertThat(rs.getString(4)).isEqualTo(i % 3 == 0 ? null : "JP");
                    }
                }
            }
            c.createStatement().execute("drop table copied");
        }
    }

    @Test
    void times_round_to_the_microsecond_as_the_database_reads_them() {
        // sub-microsecond parts round to the nearest microsecond (PostgreSQL itself keeps microseconds)
        assertThat(BinaryCopy.micros(Instant.parse("2000-01-01T00:00:00.000001499Z"))).isEqualTo(1);
        assertThat(BinaryCopy.micros(Instant.parse("2000-01-01T00:00:00.000001501Z"))).isEqualTo(2);
        assertThat(BinaryCopy.micros(Instant.parse("1999-12-31T23:59:59.999999Z"))).isEqualTo(-1);
        assertThat(BinaryCopy.micros(Instant.parse("2026-11-20T08:15:00Z"))).isEqualTo(848_477_700_000_000L);
    }
}
