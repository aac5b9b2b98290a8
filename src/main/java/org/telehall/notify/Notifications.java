package org.telehall.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.usage.RoamingRates;

/** A customer's notification centre: the entries, newest first, the unread count, read marks and the texts. */
@Service
public class Notifications {

    /** An argument naming a roaming country by its code, shown in the reader's language. */
    static final String COUNTRY = "~country:";

    private final JdbcClient jdbc;
    private final MessageSource messages;
    private final RoamingRates roamingRates;
    private final Clock clock;

    Notifications(JdbcClient jdbc, MessageSource messages, RoamingRates roamingRates, Clock clock) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.roamingRates = roamingRates;
        this.clock = clock;
    }

    /** The unread badge: one count over a partial index that holds only unread rows. */
    public long unreadCount(long customerId) {
        return jdbc.sql("select count(*) from notification where customer_id = ? and read_at is null")
                .param(customerId).query(Long.class).single();
    }

    public List<Notification> of(long customerId, int offset, int limit) {
        return jdbc.sql("select * from notification where customer_id = ? order by id desc offset ? limit ?")
                .params(customerId, offset, limit).query(Notifications::map).list();
    }

    public long countOf(long customerId) {
        return jdbc.sql("select count(*) from notification where customer_id = ?").param(customerId).query(Long.class).single();
    }

    /** One of the customer's entries; empty when it is someone else's. */
    public Optional<Notification> find(long customerId, long id) {
        return jdbc.sql("select * from notification where id = ? and customer_id = ?").params(id, customerId)
                .query(Notifications::map).optional();
    }

    @Transactional
    public boolean markRead(long customerId, long id) {
        return jdbc.sql("update notification set read_at = ? where id = ? and customer_id = ? and read_at is null")
                .params(Timestamp.from(clock.instant()), id, customerId).update() == 1;
    }

    @Transactional
    public int markAllRead(long customerId) {
        return jdbc.sql("update notification set read_at = ? where customer_id = ? and read_at is null")
                .params(Timestamp.from(clock.instant()), customerId).update();
    }

    /** The entry's heading in {@code locale}: what kind of reminder it is. */
    public String subject(Notification n, Locale locale) {
        return messages.getMessage("notify.subject." + n.template(), null, n.template(), locale);
    }

    /** The entry's text in {@code locale}, with its figures. */
    public String text(Notification n, Locale locale) {
        Object[] args = n.args().stream()
                .map(a -> a.startsWith("#") ? messages.getMessage(a.substring(1), null, a.substring(1), locale)
                        : a.startsWith(COUNTRY) ? roamingRates.of(a.substring(COUNTRY.length())).name(locale) : a)
                .toArray();
        return messages.getMessage("notify.text." + n.template(), args, locale);
    }

    /** The SMS for an entry: its text with the operator's signature. */
    public String smsText(Notification n, Locale locale) {
        return messages.getMessage("notify.sms", new Object[]{text(n, locale)}, locale);
    }

    static Notification map(ResultSet rs, int row) throws SQLException {
        long lineId = rs.getLong("line_id");
        Long line = rs.wasNull() ? null : lineId;
        return new Notification(rs.getLong("id"), rs.getLong("customer_id"), line, rs.getString("msisdn"),
                ReminderKind.valueOf(rs.getString("kind")), rs.getString("template"),
                List.of((String[]) rs.getArray("args").getArray()), instant(rs, "created_at"), instant(rs, "read_at"),
                instant(rs, "sms_due_at"), instant(rs, "sms_sent_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
