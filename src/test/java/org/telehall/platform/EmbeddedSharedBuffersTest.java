package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.support.HallIntegrationTest;

/**
 * The embedded server's buffer cache is sized for the work, not left at a test database's size: rating inserts
 * into the current month's record index at random lines, and an index that does not fit makes nearly every
 * record read a page back and write a dirty one out.
 */
class EmbeddedSharedBuffersTest extends HallIntegrationTest {

    @Autowired JdbcClient jdbc;

    @Test
    void the_embedded_server_runs_with_the_configured_buffer_cache() {
        // application-test.yml sets 256MB for the many test JVMs that run at once
        assertThat(jdbc.sql("show shared_buffers").query(String.class).single()).isEqualTo("256MB");
    }

    @Test
    void a_configured_size_is_taken_as_it_is() {
        assertThat(DatabaseConfig.sharedBuffers(properties(" 1GB "))).isEqualTo("1GB");
    }

    @Test
    void unset_it_is_a_quarter_of_the_memory_within_bounds() {
        String size = DatabaseConfig.sharedBuffers(properties(null));
        assertThat(size).endsWith("MB");
        long mb = Long.parseLong(size.replace("MB", ""));
        assertThat(mb).isBetween(DatabaseConfig.MIN_SHARED_BUFFERS_MB, DatabaseConfig.MAX_SHARED_BUFFERS_MB);
        long physicalMb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1024 * 1024);
        assertThat(mb).isEqualTo(Math.max(DatabaseConfig.MIN_SHARED_BUFFERS_MB,
                Math.min(DatabaseConfig.MAX_SHARED_BUFFERS_MB, physicalMb / 4)));
        assertThat(DatabaseConfig.sharedBuffers(properties("  "))).isEqualTo(size);
    }

    private static DatabaseProperties properties(String sharedBuffers) {
        return new DatabaseProperties(null, null, null, null, false, 0, sharedBuffers);
    }
}
