package org.telehall.notify;

import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Sends SMS through the gateway and keeps a record of each one. */
@Service
public class Sms {

    private final SmsGateway gateway;
    private final JdbcClient jdbc;

    Sms(SmsGateway gateway, JdbcClient jdbc) {
        this.gateway = gateway;
        this.jdbc = jdbc;
    }

    /** Sends now and records it, even if the caller's transaction later rolls back: a sent SMS is a fact. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void send(String msisdn, String body, String purpose) {
        String via = gateway.deliver(msisdn, body);
        jdbc.sql("insert into sms_message (msisdn, body, purpose, gateway, sent_at) values (?, ?, ?, ?, ?)")
                .params(msisdn, body, purpose, via, new Timestamp(System.currentTimeMillis())).update();
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
