package org.telehall.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Users {

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UserAccount> byUsername(String username) {
        return jdbc.sql("select * from app_user where username = ?").param(username).query(Users::map).optional();
    }

    /** The customer's first subscriber login (a customer signs in with the number they joined with). */
    Optional<UserAccount> subscriberOf(long customerId) {
        return jdbc.sql("select * from app_user where customer_id = ? and role = 'SUBSCRIBER' order by id limit 1")
                .param(customerId).query(Users::map).optional();
    }

    Optional<UserAccount> byId(long id) {
        return jdbc.sql("select * from app_user where id = ?").param(id).query(Users::map).optional();
    }

    long insert(String username, String passwordHash, Role role, Long customerId, String displayName) {
        return jdbc.sql("""
                insert into app_user (username, password_hash, role, customer_id, display_name)
                values (?, ?, ?, ?, ?) returning id
                """).params(username, passwordHash, role.name(), customerId, displayName).query(Long.class).single();
    }

    boolean anyWithRole(Role role) {
        return jdbc.sql("select exists (select 1 from app_user where role = ?)").param(role.name()).query(Boolean.class).single();
    }

    /**
     * Counts one failure; the one that reaches {@code maxFailures} locks the login until
     * {@code lockUntil} and starts the count again. Done in one statement so concurrent failures
     * cannot slip past the limit.
     */
    void recordFailure(long id, int maxFailures, Instant lockUntil) {
        jdbc.sql("""
                update app_user set
                  failed_attempts = case when failed_attempts + 1 >= :max then 0 else failed_attempts + 1 end,
                  locked_until    = case when failed_attempts + 1 >= :max then :until else locked_until end
                 where id = :id
                """).param("max", maxFailures).param("until", Timestamp.from(lockUntil)).param("id", id).update();
    }

    void clearFailures(long id) {
        jdbc.sql("update app_user set failed_attempts = 0, locked_until = null where id = ?").param(id).update();
    }

    void setElderlyMode(long id, boolean on) {
        jdbc.sql("update app_user set elderly_mode = ? where id = ?").params(on, id).update();
    }

    void setLocale(long id, String locale) {
        jdbc.sql("update app_user set locale = ? where id = ?").params(locale, id).update();
    }

    static UserAccount map(ResultSet rs, int row) throws SQLException {
        Timestamp locked = rs.getTimestamp("locked_until");
        return new UserAccount(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                Role.valueOf(rs.getString("role")), (Long) rs.getObject("customer_id"), rs.getString("display_name"),
                rs.getString("locale"), rs.getBoolean("elderly_mode"), rs.getInt("failed_attempts"),
                locked == null ? null : locked.toInstant());
    }
}
