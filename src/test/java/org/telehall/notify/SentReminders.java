package org.telehall.notify;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.support.TestCustomers;

/** What the reminder tests read back: the notifications a subscriber got, and the reminder SMS sent to them. */
final class SentReminders {

    private SentReminders() {
    }

    /** The templates of the subscriber's notifications, oldest first. */
    static List<String> templates(JdbcClient jdbc, TestCustomers.TestSubscriber s) {
        return jdbc.sql("select template from notification where customer_id = ? order by id").param(s.customerId())
                .query(String.class).list();
    }

    /** The bodies of the reminder SMS sent to the subscriber's number, oldest first. */
    static List<String> reminderSms(JdbcClient jdbc, TestCustomers.TestSubscriber s) {
        return jdbc.sql("select body from sms_message where msisdn = ? and purpose like 'reminder:%' order by id")
                .param(s.msisdn()).query(String.class).list();
    }
}
