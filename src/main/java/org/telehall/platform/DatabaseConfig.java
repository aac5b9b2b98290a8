package org.telehall.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);

    @Bean(destroyMethod = "close")
    DataSource dataSource(DatabaseProperties db) {
        HikariConfig hikari = new HikariConfig();
        hikari.setMaximumPoolSize(db.poolSize() > 0 ? db.poolSize() : 20);
        hikari.setPoolName("telehall");
        // Every commit waits until its WAL is on disk, whatever the server's or role's default: a fee, a credit
        // or an order is never confirmed to a customer or a provider and then lost to a crash.
        hikari.setConnectionInitSql("set synchronous_commit = on");
        if (db.external()) {
            hikari.setJdbcUrl(db.url());
            hikari.setUsername(db.user());
            hikari.setPassword(db.password());
            log.info("Using external PostgreSQL at {}", db.url());
            return new HikariDataSource(hikari);
        }
        EmbeddedPostgres postgres = startEmbedded(db);
        hikari.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        hikari.setUsername("postgres");
        return new EmbeddedHikariDataSource(hikari, postgres);
    }

    private static EmbeddedPostgres startEmbedded(DatabaseProperties db) {
        Path dir = Path.of(db.embeddedDir() == null || db.embeddedDir().isBlank() ? "data/postgres" : db.embeddedDir())
                .toAbsolutePath();
        try {
            Files.createDirectories(dir);
            log.info("Starting embedded PostgreSQL in {}", dir);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(db.embeddedClean())
                    // Spring stops it when the pool closes; zonky's own JVM hook would stop it first,
                    // while beans that still need the database are shutting down
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", sharedBuffers(db))
                    .setServerConfig("fsync", "on")
                    // zonky's builder turns synchronous_commit off (a test database's default): a commit would be
                    // answered before its WAL is on disk, and a crash could lose a fee, a credit or an order already
                    // confirmed to the customer. The hall's money must survive a kill -9, so every commit waits.
                    .setServerConfig("synchronous_commit", "on")
                    // Fewer checkpoints under sustained usage rating: after each checkpoint the first change to every
                    // page writes the whole page to the WAL, and at the 1 GB default one came every ~million records.
                    // Durability is unchanged (every commit still waits for its WAL); crash recovery may replay more.
                    .setServerConfig("max_wal_size", "8GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("checkpoint_completion_target", "0.9")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dir, e);
        }
    }

    /**
     * The embedded server's buffer cache: {@code telehall.db.embedded-shared-buffers} if set, else a quarter of the
     * machine's memory (the usual rule for a database node) within {@value #MIN_SHARED_BUFFERS_MB} MB and
     * {@value #MAX_SHARED_BUFFERS_MB} MB. Sustained rating inserts into the current month's record index at
     * random lines; at 256 MB that index (300 MB at 100,000 lines after three weeks) no longer fit, and nearly every
     * record read a page back from the OS and wrote a dirty one out to make room. Memory is only used as pages fill.
     */
    static String sharedBuffers(DatabaseProperties db) {
        if (db.embeddedSharedBuffers() != null && !db.embeddedSharedBuffers().isBlank()) {
            return db.embeddedSharedBuffers().trim();
        }
        long physicalMb = physicalMemoryBytes() / (1024 * 1024);
        long mb = physicalMb <= 0 ? MIN_SHARED_BUFFERS_MB : Math.max(MIN_SHARED_BUFFERS_MB, Math.min(MAX_SHARED_BUFFERS_MB, physicalMb / 4));
        return mb + "MB";
    }

    static final long MIN_SHARED_BUFFERS_MB = 128;
    static final long MAX_SHARED_BUFFERS_MB = 2048;

    private static long physicalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** Closes the embedded server with the pool, so its data directory is left clean. */
    static final class EmbeddedHikariDataSource extends HikariDataSource {
        private final EmbeddedPostgres postgres;

        EmbeddedHikariDataSource(HikariConfig config, EmbeddedPostgres postgres) {
            super(config);
            this.postgres = postgres;
        }

        @Override
        public void close() {
            super.close();
            try {
                postgres.close();
            } catch (IOException e) {
                log.warn("embedded PostgreSQL did not stop cleanly", e);
            }
        }
    }
}
