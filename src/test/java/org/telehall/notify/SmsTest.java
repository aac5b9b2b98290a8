package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.support.HallIntegrationTest;

/**
 * An SMS sent from within some work belongs to that work: recorded with it, handed to the gateway only
 * after it commits, and without a second pooled connection — so work that sends SMS while it holds its
 * connection (a credit under a payment surge) can never starve the pool.
 */
class SmsTest extends HallIntegrationTest {

    @Autowired TransactionTemplate tx;
    @Autowired DataSource dataSource;

    @Test
    void an_sms_of_work_that_rolls_back_is_neither_sent_nor_recorded() {
        String to = "1370" + (System.nanoTime() % 1_000_000 + 1_000_000);
        tx.executeWithoutResult(s -> {
            sms.send(to, "充值成功 30.00 元", "test");
            s.setRollbackOnly();
        });
        assertThat(sms.sentTo(to, 5)).isEmpty();

        tx.executeWithoutResult(s -> sms.send(to, "充值成功 50.00 元", "test"));
        assertThat(sms.sentTo(to, 5)).extracting(SmsMessage::body).containsExactly("充值成功 50.00 元");
    }

    @Test
    void outside_any_transaction_it_is_sent_and_recorded_at_once() {
        String to = "1371" + (System.nanoTime() % 1_000_000 + 1_000_000);
        sms.send(to, "验证码 123456", "test");
        assertThat(sms.sentTo(to, 5)).singleElement().satisfies(m -> assertThat(m.gateway()).isEqualTo("outbox"));
    }

    @Test
    void as_many_senders_as_the_pool_has_connections_all_finish() throws Exception {
        int pool = ((HikariDataSource) dataSource).getMaximumPoolSize();
        // every sender holds a connection of its own when it sends: had sending needed a second one, they would all wait
        // for each other until the pool's timeout and fail
        CyclicBarrier allHoldingOne = new CyclicBarrier(pool);
        String prefix = "1372" + (System.nanoTime() % 10_000 + 10_000);
        ExecutorService threads = Executors.newFixedThreadPool(pool);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < pool; i++) {
                String to = prefix + String.format("%02d", i);
                done.add(threads.submit(() -> tx.executeWithoutResult(s -> {
                    jdbc.sql("select 1").query(Integer.class).single();
                    try {
                        allHoldingOne.await(20, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    sms.send(to, "到账提醒", "test");
                })));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from sms_message where msisdn like ?").param(prefix + "%").query(Long.class).single())
                .isEqualTo(pool);
    }
}
