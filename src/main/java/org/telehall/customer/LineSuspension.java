package org.telehall.customer;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.ledger.AccountCredited;

/**
 * Stops a customer's lines when the account runs out of credit, and starts them again the moment a
 * credit (from any source: top-up, refund, adjustment) brings the balance above zero. Only lines
 * stopped for arrears come back by themselves; a line suspended on request or as lost does not.
 */
@Service
public class LineSuspension {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    LineSuspension(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** Suspends the customer's active lines for arrears; the lines suspended now, none if they already were. */
    @Transactional
    public List<Long> suspendForArrears(long customerId) {
        var now = clock.instant();
        List<LineSuspended> suspended = jdbc.sql("""
                update line set status = 'SUSPENDED', suspended_reason = 'ARREARS', suspended_at = ?
                 where customer_id = ? and status = 'ACTIVE' returning id, msisdn
                """).params(Timestamp.from(now), customerId)
                .query((rs, n) -> new LineSuspended(rs.getLong("id"), customerId, rs.getString("msisdn"), "ARREARS", now))
                .list();
        suspended.forEach(events::publishEvent);
        return suspended.stream().map(LineSuspended::lineId).toList();
    }

    /**
     * Starts the customer's lines stopped for arrears again once what they owed is paid, whatever the
     * balance: a postpaid account lives below zero by design, so the balance alone cannot say it.
     */
    @Transactional
    public List<Long> restoreArrearsPaid(long customerId) {
        return restore(customerId);
    }

    /** Inside the credit's transaction: the line is back in service exactly when the money is in. */
    @EventListener
    void restoreWhenCredited(AccountCredited credited) {
        if (!credited.balanceAfter().isPositive()) {
            return;
        }
        restore(credited.customerId());
    }

    private List<Long> restore(long customerId) {
        var now = clock.instant();
        List<LineRestored> restored = jdbc.sql("""
                update line set status = 'ACTIVE', suspended_reason = null, suspended_at = null
                 where customer_id = ? and status = 'SUSPENDED' and suspended_reason = 'ARREARS' returning id, msisdn
                """).param(customerId)
                .query((rs, n) -> new LineRestored(rs.getLong("id"), customerId, rs.getString("msisdn"), now))
                .list();
        restored.forEach(events::publishEvent);
        return restored.stream().map(LineRestored::lineId).toList();
    }
}
