package org.telehall.notify;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.identity.Accounts;

/**
 * Records reminders and sends their SMS. A reminder is a {@code notification} row written in the
 * transaction of what caused it, once per crossing key; its SMS, claimed in that same transaction when
 * it is due at once, goes out after that transaction commits (nothing if it rolls back) or, held for
 * quiet hours, from {@link #sendDue()}, which claims each by one atomic update: the after-commit path
 * and the job (on any node) never send it twice; a gateway refusal releases the claim for the job to
 * try again.
 */
@Component
class ReminderOutbox {

    private static final Logger log = LoggerFactory.getLogger(ReminderOutbox.class);
    private static final int CHUNK = 200;

    /** What to record: the figures are formatted already; {@code smsDue} null sends no SMS. */
    record Reminder(long customerId, Long lineId, String msisdn, ReminderKind kind, String template, String crossingKey,
                    List<String> args, Instant smsDue) {
    }

    private final JdbcClient jdbc;
    private final Notifications notifications;
    private final Sms sms;
    private final Accounts accounts;
    private final Clock clock;
    private final TransactionTemplate own;

    ReminderOutbox(JdbcClient jdbc, Notifications notifications, Sms sms, Accounts accounts, Clock clock,
                   PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.notifications = notifications;
        this.sms = sms;
        this.accounts = accounts;
        this.clock = clock;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Records the reminder unless its crossing was recorded before; the new entry's id. Inside a transaction an SMS that
     * is due now is claimed and recorded in that same transaction and handed to the gateway after it commits (nothing
     * if it rolls back): the raising thread never asks for a second pooled connection while it holds its own — with as
     * many rating transactions as the pool has connections, each waiting for a second one, all of them stalled until
     * the pool's timeout. A refusal by the gateway releases the claim for {@link #sendDue()} to try again.
     */
    Optional<Long> raise(Reminder r) {
        Instant now = clock.instant();
        boolean dueNow = r.smsDue() != null && !r.smsDue().isAfter(now);
        boolean claimNow = dueNow && TransactionSynchronizationManager.isActualTransactionActive();
        // looked up once: the SMS sent now needs the customer's language, an account's reminders (balance, fees) their number
        Optional<Accounts.SubscriberLogin> login = claimNow || r.msisdn() == null ? accounts.subscriberLoginOf(r.customerId())
                : Optional.empty();
        String msisdn = r.msisdn() != null ? r.msisdn() : login.map(Accounts.SubscriberLogin::msisdn).orElse(null);
        Optional<Notification> raised = jdbc.sql("""
                insert into notification (customer_id, line_id, msisdn, kind, template, crossing_key, args, created_at, sms_due_at,
                                          sms_sent_at)
                values (?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?)
                on conflict (crossing_key) do nothing returning *
                """).params(r.customerId(), r.lineId(), msisdn, r.kind().name(), r.template(), r.crossingKey(),
                        r.args().toArray(String[]::new), Timestamp.from(now), r.smsDue() == null ? null : Timestamp.from(r.smsDue()),
                        claimNow ? Timestamp.from(now) : null)
                .query(Notifications::map).optional();
        if (raised.isPresent() && claimNow) {
            Notification n = raised.get();
            deliver(n, login, () -> release(n.id()));   // with no number to send to it stays claimed, as the job leaves it
        } else if (raised.isPresent() && dueNow) {
            send(List.of(raised.get().id()));
        }
        return raised.map(Notification::id);
    }

    /** Sends every SMS that is due (held for quiet hours, or missed after a commit), on one node at a time. */
    @Scheduled(cron = "${telehall.notify.sms-cron:0 * * * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "notify-due-sms", lockAtMostFor = "PT10M")
    void sendDueJob() {
        int sent = sendDue();
        if (sent > 0) {
            log.info("sent {} reminder SMS that were due", sent);
        }
    }

    /** The due SMS, in chunks; how many were sent. */
    int sendDue() {
        int total = 0;
        while (true) {
            List<Long> due = jdbc.sql("""
                    select id from notification where sms_sent_at is null and sms_due_at <= ? order by sms_due_at, id limit ?
                    """).params(Timestamp.from(clock.instant()), CHUNK).query(Long.class).list();
            if (due.isEmpty()) {
                return total;
            }
            int sent = send(due);
            total += sent;
            if (sent == 0) {
                return total;   // all failed: try again next run rather than spin
            }
        }
    }

    /** Claims and sends the given SMS outside any transaction of the caller's; how many went out. */
    private int send(List<Long> ids) {
        Instant now = clock.instant();
        List<Notification> claimed = own.execute(s -> jdbc.sql("""
                update notification set sms_sent_at = ? where id = any(?) and sms_sent_at is null and sms_due_at <= ?
                returning *
                """).params(Timestamp.from(now), ids.stream().mapToLong(Long::longValue).toArray(), Timestamp.from(now))
                .query(Notifications::map).list());
        int sent = 0;
        for (Notification n : claimed) {
            try {
                if (deliver(n, accounts.subscriberLoginOf(n.customerId()), null)) {
                    sent++;
                }
            } catch (RuntimeException e) {
                release(n.id());
                log.warn("reminder SMS {} not sent, kept for the next try: {}", n.id(), e.toString());
            }
        }
        return sent;
    }

    /** Sends a claimed reminder's SMS to its number in the customer's language; false when there is no number. */
    private boolean deliver(Notification n, Optional<Accounts.SubscriberLogin> login, Runnable onRefused) {
        String to = n.msisdn() != null ? n.msisdn() : login.map(Accounts.SubscriberLogin::msisdn).orElse(null);
        if (to == null) {
            return false;
        }
        Locale locale = login.map(Accounts.SubscriberLogin::locale).filter(l -> !l.getLanguage().isEmpty())
                .orElse(Locale.SIMPLIFIED_CHINESE);
        sms.send(to, notifications.smsText(n, locale), "reminder:" + n.template(), onRefused);
        return true;
    }

    /** Leaves a claimed SMS for the next run of the job. */
    private void release(long id) {
        own.executeWithoutResult(s -> jdbc.sql("update notification set sms_sent_at = null where id = ?").param(id).update());
    }
}
