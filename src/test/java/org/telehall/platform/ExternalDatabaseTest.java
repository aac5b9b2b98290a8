package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.TelehallApplication;

/**
 * TELEHALL_DB_URL/USER/PASSWORD (here as the properties they feed) put the hall on an external
 * PostgreSQL: the local server on 127.0.0.1:5432, in a database of its own made for this test and
 * dropped after. No embedded server is started and nothing is written under the data dir. The
 * database defaults to asynchronous commits, and the hall's connections still commit durably.
 */
class ExternalDatabaseTest {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String USER = System.getenv().getOrDefault("TELEHALL_TEST_PG_USER", "postgres");
    static final String DATABASE = "telehall_ext_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void createDatabase() {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            c.createStatement().execute("create database " + DATABASE);
            // an operator's server may default to asynchronous commits: the hall must not inherit that
            c.createStatement().execute("alter database " + DATABASE + " set synchronous_commit = off");
        } catch (SQLException e) {
            Assumptions.abort("no local PostgreSQL on 127.0.0.1:5432 for user " + USER + ": " + e.getMessage());
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "")) {
            c.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
        }
    }

    @Test
    void the_hall_migrates_seeds_and_serves_from_the_external_database() throws Exception {
        try (ConfigurableApplicationContext hall = new SpringApplicationBuilder(TelehallApplication.class)
                .profiles("demo")
                // as arguments, which outrank application.yml (default properties would not)
                .run("--telehall.db.url=" + SERVER + DATABASE, "--telehall.db.user=" + USER, "--telehall.db.password=",
                        "--telehall.db.embedded-dir=" + dataDir.resolve("postgres"), "--server.port=0")) {
            JdbcClient jdbc = hall.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select current_database()").query(String.class).single()).isEqualTo(DATABASE);
            assertThat(jdbc.sql("select msisdn from line where msisdn = '13800138000'").query(String.class).optional()).isPresent();
            assertThat(jdbc.sql("show synchronous_commit").query(String.class).single())
                    .as("every commit waits for its WAL, whatever the database's default").isEqualTo("on");
        }
        // what the hall wrote is in the external database, read here on a connection of our own
        try (Connection c = DriverManager.getConnection(SERVER + DATABASE, USER, "")) {
            var rs = c.createStatement().executeQuery("select count(*) from customer");
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(2);
            rs = c.createStatement().executeQuery("select count(*) from flyway_schema_history where success");
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(7);
        }
        assertThat(Files.exists(dataDir.resolve("postgres"))).as("no embedded data dir").isFalse();
    }
}
