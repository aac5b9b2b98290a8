package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.support.HallIntegrationTest;

/** Record ids come from a sequence each connection takes a thousand at a time (V97): rating never queues on its page. */
class UsageRecordIdsTest extends HallIntegrationTest {

    @Autowired JdbcClient jdbc;

    @Test
    void each_connection_takes_record_ids_a_thousand_at_a_time() {
        assertThat(jdbc.sql("""
                select s.seqcache from pg_sequence s where s.seqrelid = pg_get_serial_sequence('usage_record', 'id')::regclass
                """).query(Long.class).single()).isEqualTo(1000L);
    }
}
