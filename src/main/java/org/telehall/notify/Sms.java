package org.telehall.notify;

import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.telehall.shared.Msisdn;

/** Sends SMS through the gateway and keeps a record of each one. */
@Service
public class Sms {

    private static final Logger log = LoggerFactory.getLogger(Sms.class);

    private final SmsGateway gateway;
    private final JdbcClient jdbc;
    /** Runs what a caller asked to be done when the gateway refused a message after commit: on a thread of its own,
     * because the committing thread still holds its pooled connection until its after-commit work returns. */
    private final ExecutorService refusals = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sms-refused");
        t.setDaemon(true);
        return t;
    });

    Sms(SmsGateway gateway, JdbcClient jdbc) {
        this.gateway = gateway;
        this.jdbc = jdbc;
    }

    /**
     * Sends a message and keeps its record. Inside a transaction the record is part of the caller's work
     * and the gateway gets the message only once that work has committed: a credit, code or order that
     * rolls back sends nothing, and the caller never holds a second pooled connection while it keeps its
     * own and its row locks (under a payment surge that starved the pool). Outside a transaction the
     * message is delivered at once, then recorded; a gateway failure is then thrown to the caller, which
     * may try again.
     */
    public void send(String msisdn, String body, String purpose) {
        send(msisdn, body, purpose, null);
    }

    /**
     * Like {@link #send(String, String, String)}; when the gateway refuses the message after the caller's commit,
     * {@code onRefused} (if given) runs on another thread, where it may use a pooled connection of its own (e.g. to
     * leave the message for a job to try again).
     */
    public void send(String msisdn, String body, String purpose, Runnable onRefused) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            gateway.deliver(msisdn, body);
            record(msisdn, body, purpose);
            return;
        }
        record(msisdn, body, purpose);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    gateway.deliver(msisdn, body);
                } catch (RuntimeException e) {
                    // the work it tells of is done; retrying is the caller's (onRefused) or the gateway adapter's concern
                    log.warn("SMS ({}) to {} not taken by the gateway {}: {}", purpose, Msisdn.maskNumber(msisdn),
                            gateway.name(), e.toString());
                    if (onRefused != null) {
                        refusals.execute(onRefused);
                    }
                }
            }
        });
    }

    private void record(String msisdn, String body, String purpose) {
        jdbc.sql("insert into sms_message (msisdn, body, purpose, gateway, sent_at) values (?, ?, ?, ?, ?)")
                .params(msisdn, body, purpose, gateway.name(), new Timestamp(System.currentTimeMillis())).update();
    }

    /** Messages sent to a number, newest first. */
    public List<SmsMessage> sentTo(String msisdn, int limit) {
        return jdbc.sql("select * from sms_message where msisdn = ? order by id desc limit ?").params(msisdn, limit)
                .query(Sms::map).list();
    }

    public List<SmsMessage> latest(int limit) {
        return jdbc.sql("select * from sms_message order by id desc limit ?").param(limit)
                .query(Sms::map).list();
    }

    private static SmsMessage map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new SmsMessage(rs.getLong("id"), rs.getString("msisdn"), rs.getString("body"),
                rs.getString("purpose"), rs.getString("gateway"), rs.getTimestamp("sent_at").toInstant());
    }
}
