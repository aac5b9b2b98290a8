package org.telehall.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The audit trail: who did what to which subject. Written even when the surrounding work fails. */
@Service
public class Audit {

    private final JdbcClient jdbc;

    Audit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(String actor, String action, String subject, String detail) {
        insert(actor, action, subject, detail);
    }

    /**
     * The same, written with the caller's own work, for work that commits whatever it found (a payment
     * notification for an unknown order): it takes no second connection, which a flood of such requests,
     * each holding one, could otherwise exhaust.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordWithin(String actor, String action, String subject, String detail) {
        insert(actor, action, subject, detail);
    }

    private void insert(String actor, String action, String subject, String detail) {
        jdbc.sql("insert into audit_event (actor, action, subject, detail) values (?, ?, ?, ?)")
                .params(actor, action, subject, detail == null ? null : detail.substring(0, Math.min(400, detail.length())))
                .update();
    }
}
