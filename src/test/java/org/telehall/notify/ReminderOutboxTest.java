package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.identity.Accounts;
import org.telehall.shared.Msisdn;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;

/** How a reminder's SMS leaves: in the raising transaction's wake, without a second connection, and again after a refusal. */
class ReminderOutboxTest extends HallIntegrationTest {

    @Autowired ReminderOutbox outbox;
    @Autowired Notifications notifications;
    @Autowired Accounts accounts;
    @Autowired TestCustomers testCustomers;
    @Autowired PlatformTransactionManager transactions;
    @Autowired TransactionTemplate tx;
    @Autowired DataSource dataSource;

    private ReminderOutbox.Reminder restored(TestCustomers.TestSubscriber s, String key) {
        return new ReminderOutbox.Reminder(s.customerId(), s.lineId(), s.msisdn(), ReminderKind.SERVICE, "RESTORED",
                key + ":" + System.nanoTime(), List.of(Msisdn.maskNumber(s.msisdn()), "¥20.00"), clock.instant());
    }

    @Test
    void as_many_raising_transactions_as_the_pool_has_connections_all_send_their_sms_at_once() throws Exception {
        int pool = ((HikariDataSource) dataSource).getMaximumPoolSize();
        List<TestCustomers.TestSubscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < pool; i++) {
            subscribers.add(testCustomers.subscriber("Crowd" + i));
        }
        // every thread holds its connection while it raises: had the SMS needed a second one after commit, all would wait
        // for each other until the pool's timeout and send nothing
        CyclicBarrier allHoldingOne = new CyclicBarrier(pool);
        ExecutorService threads = Executors.newFixedThreadPool(pool);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (TestCustomers.TestSubscriber s : subscribers) {
                done.add(threads.submit(() -> tx.executeWithoutResult(st -> {
                    jdbc.sql("select 1").query(Integer.class).single();
                    try {
                        allHoldingOne.await(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    assertThat(outbox.raise(restored(s, "crowd"))).isPresent();
                })));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        for (TestCustomers.TestSubscriber s : subscribers) {
            assertThat(SentReminders.reminderSms(jdbc, s)).as(s.msisdn()).singleElement()
                    .satisfies(b -> assertThat(b).contains("恢复"));
            assertThat(unsent(s)).as("claimed by the raising transaction").isZero();
        }
    }

    @Test
    void an_sms_the_gateway_refuses_after_commit_is_left_for_the_job_which_sends_it_once() throws Exception {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Refused");
        AtomicBoolean refuse = new AtomicBoolean(true);
        List<String> delivered = new CopyOnWriteArrayList<>();
        SmsGateway flaky = new SmsGateway() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public void deliver(String msisdn, String body) {
                if (refuse.get()) {
                    throw new IllegalStateException("SMS centre busy");
                }
                delivered.add(msisdn);
            }
        };
        ReminderOutbox flakyOutbox = new ReminderOutbox(jdbc, notifications, new Sms(flaky, jdbc), accounts, clock, transactions);

        tx.executeWithoutResult(st -> assertThat(flakyOutbox.raise(restored(s, "refused"))).isPresent());
        // the refusal is handled on another thread after commit: wait for the claim to be let go
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (unsent(s) == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(unsent(s)).as("released for the job").isEqualTo(1);
        assertThat(delivered).isEmpty();

        refuse.set(false);
        // the job sends every due SMS of the shared test database: count only this subscriber's
        flakyOutbox.sendDue();
        flakyOutbox.sendDue();
        assertThat(delivered).as("sent once, by the job").filteredOn(s.msisdn()::equals).hasSize(1);
        assertThat(unsent(s)).isZero();
    }

    private long unsent(TestCustomers.TestSubscriber s) {
        return jdbc.sql("select count(*) from notification where customer_id = ? and sms_sent_at is null").param(s.customerId())
                .query(Long.class).single();
    }
}
