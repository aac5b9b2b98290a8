package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.support.HallIntegrationTest;

/**
 * The embedded PostgreSQL keeps what it confirmed: every commit waits until its WAL is flushed to
 * disk. zonky's builder would otherwise start it with synchronous_commit off, and a kill -9 could
 * lose a credit or a fee the customer was already told about.
 */
class EmbeddedDurabilityTest extends HallIntegrationTest {

    @Autowired JdbcClient jdbc;

    @Test
    void every_commit_waits_for_its_wal_on_disk() {
        assertThat(jdbc.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
        assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
    }
}
