package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.TelehallApplication;
import org.telehall.ledger.Ledger;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.Payments;
import org.telehall.payment.Reconciliation;
import org.telehall.support.TestClock;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/**
 * The crash test's CI-sized twin (bench/payment-fault.sh kills a real process with kill -9): top-ups
 * created and paid on several threads while the simulated providers' notifications go out once,
 * twice, late or never and old ones are replayed; then the hall stops in the middle of it (pending
 * and late notifications die with it, requests are cut off), starts again on the same database, and
 * the order query and reconciliation do their work. Then: every payment the provider took is
 * credited exactly once, nothing is credited that the provider did not take, and the ledger balances.
 */
class PaymentFaultTest {

    static final int PAYERS = 12;
    static final int TOPUPS_PER_THREAD = 15;
    static final int THREADS = 4;

    @Test
    void after_a_crash_mid_run_every_payment_the_provider_took_is_credited_once_and_nothing_else() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "payment-fault-");
        ConfigurableApplicationContext first = start(data);
        List<TestSubscriber> payers = new ArrayList<>();
        TestCustomers customers = first.getBean(TestCustomers.class);
        for (int i = 0; i < PAYERS; i++) {
            payers.add(customers.subscriber("Fault " + i));
        }
        JdbcClient jdbc1 = first.getBean(JdbcClient.class);
        Map<Long, Long> userIds = new java.util.concurrent.ConcurrentHashMap<>();
        for (TestSubscriber p : payers) {
            userIds.put(p.customerId(), jdbc1.sql("select id from app_user where username = ?").param(p.msisdn()).query(Long.class).single());
        }

        Payments payments = first.getBean(Payments.class);
        SimulatedProvider alipay = first.getBean("alipaySimulator", SimulatedProvider.class);
        SimulatorNotifier notifier = first.getBean(SimulatorNotifier.class);
        List<Map<String, String>> sent = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger created = new AtomicInteger();
        AtomicInteger cutOff = new AtomicInteger();
        ExecutorService drivers = Executors.newFixedThreadPool(THREADS + 1);
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(5000 + t);
            drivers.execute(() -> {
                for (int i = 0; i < TOPUPS_PER_THREAD; i++) {
                    try {
                        TestSubscriber payer = payers.get(random.nextInt(PAYERS));
                        Payment p = payments.createTopup(new Payments.TopupRequest(payer.customerId(), userIds.get(payer.customerId()), payer.msisdn(),
                                org.telehall.shared.Money.ofYuan(10 + random.nextInt(90)), PaymentMethod.ALIPAY, "API", UUID.randomUUID().toString()))
                                .payment();
                        created.incrementAndGet();
                        int roll = i == 1 ? 99 : random.nextInt(100);      // each thread's second is paid and never notified
                        if (roll < 10) {
                            continue;                                           // the payer never paid
                        }
                        SimulatedProvider.Trade trade = alipay.pay(p.outTradeNo()).orElseThrow();
                        Map<String, String> notification = alipay.notification(trade);
                        SimulatorNotifier.Mode mode = roll < 45 ? SimulatorNotifier.Mode.ONCE : roll < 65 ? SimulatorNotifier.Mode.TWICE
                                : roll < 85 ? SimulatorNotifier.Mode.LATE : SimulatorNotifier.Mode.NEVER;
                        if (mode != SimulatorNotifier.Mode.NEVER) {
                            sent.add(notification);
                        }
                        notifier.send("alipay", notification, mode);
                    } catch (RuntimeException e) {
                        cutOff.incrementAndGet();                               // the hall went away under this request
                        return;
                    }
                }
            });
        }
        // duplicates of notifications already sent, out of order, while the rest goes on
        SplittableRandom replayRandom = new SplittableRandom(77);
        drivers.execute(() -> {
            for (int i = 0; i < 40; i++) {
                try {
                    if (!sent.isEmpty()) {
                        notifier.post("alipay", sent.get(replayRandom.nextInt(sent.size())));
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    return;
                }
            }
        });
        // the crash: the hall stops while top-ups, payments and notifications are under way
        while (created.get() < THREADS * TOPUPS_PER_THREAD / 2) {
            Thread.sleep(5);
        }
        first.close();
        drivers.shutdown();
        assertThat(drivers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

        ConfigurableApplicationContext second = start(data);
        try {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            Payments again = second.getBean(Payments.class);
            Reconciliation reconciliation = second.getBean(Reconciliation.class);
            Ledger ledger = second.getBean(Ledger.class);
            SimulatedProvider alipay2 = second.getBean("alipaySimulator", SimulatedProvider.class);
            SimulatorNotifier notifier2 = second.getBean(SimulatorNotifier.class);
            long paidAtProvider = jdbc.sql("select count(*) from sim_provider_trade where status = 'TRADE_SUCCESS'").query(Long.class).single();
            long creditedBeforeRecovery = jdbc.sql("select count(*) from payment_order where status = 'PAID'").query(Long.class).single();
            assertThat(paidAtProvider).as("some payments were taken").isPositive();
            assertThat(creditedBeforeRecovery).as("the crash left payments taken but not credited").isLessThan(paidAtProvider);

            // after the restart: the query of orders with no word, reconciliation, and every notification the provider would resend
            second.getBean(TestClock.class).advance(Duration.ofMinutes(3));
            again.queryPending();
            reconciliation.reconcile(reconciliation.today().minusDays(1), "fault-test");
            reconciliation.reconcile(reconciliation.today(), "fault-test");
            for (String outTradeNo : jdbc.sql("select out_trade_no from sim_provider_trade where status = 'TRADE_SUCCESS'").query(String.class).list()) {
                assertThat(notifier2.post("alipay", alipay2.notification(alipay2.trade(outTradeNo).orElseThrow()))).isEqualTo("success");
            }

            // every payment the provider took: credited once, with its amount, to the right account
            assertThat(jdbc.sql("""
                    select count(*) from sim_provider_trade t
                      join payment_order o on 'TH' || o.id = t.out_trade_no
                     where t.status = 'TRADE_SUCCESS'
                       and (o.status <> 'PAID'
                            or (select count(*) from journal_entry e where e.business_key in ('payment:' || o.id, 'recredit:' || o.id)) <> 1
                            or (select sum(l.amount_fen) from journal_entry e join journal_line l on l.entry_id = e.id
                                  join ledger_account a on a.id = l.account_id and a.customer_id = o.target_customer_id
                                 where e.business_key = 'payment:' || o.id) <> t.amount_fen)
                    """).query(Long.class).single()).as("taken but not credited exactly once").isZero();
            // nothing credited that the provider did not take
            assertThat(jdbc.sql("""
                    select count(*) from journal_entry e
                     where e.business_key like 'payment:%'
                       and not exists (select 1 from sim_provider_trade t where t.out_trade_no = 'TH' || substr(e.business_key, 9)
                                                                      and t.status = 'TRADE_SUCCESS')
                    """).query(Long.class).single()).as("credited without a payment").isZero();
            assertThat(jdbc.sql("select count(*) from journal_entry where business_key like 'reversal:%'").query(Long.class).single()).isZero();
            // the ledger balances: every entry sums to zero, every account is the sum of its journal lines
            assertThat(jdbc.sql("select count(*) from (select entry_id from journal_line group by entry_id having sum(amount_fen) <> 0) x")
                    .query(Long.class).single()).isZero();
            for (TestSubscriber p : payers) {
                assertThat(ledger.journalSumOf(p.customerId())).isEqualTo(ledger.balanceOf(p.customerId()));
                long paid = jdbc.sql("select coalesce(sum(amount_fen), 0) from payment_order where target_customer_id = ? and status = 'PAID'")
                        .param(p.customerId()).query(Long.class).single();
                assertThat(ledger.balanceOf(p.customerId()).fen()).isEqualTo(paid);
            }
            assertThat(jdbc.sql("select count(*) from payment_order where status = 'PAID'").query(Long.class).single()).isEqualTo(paidAtProvider);
        } finally {
            second.close();
            deleteQuietly(data);
        }
    }

    private static ConfigurableApplicationContext start(Path data) {
        // as arguments: the builder's own properties would lose to application-test.yml's random data dir
        return new SpringApplicationBuilder(TelehallApplication.class, MovableClock.class)
                .profiles("demo", "test")
                .run("--telehall.db.embedded-dir=" + data.resolve("postgres").toAbsolutePath(),
                        "--telehall.db.embedded-clean=false",   // zonky deletes a "clean" data dir when it stops: the second start needs it
                        "--telehall.payments.settlement-dir=" + data.resolve("settlement").toAbsolutePath(),
                        "--telehall.payments.query-every=1h", "--spring.main.allow-bean-definition-overriding=true",
                        "--server.port=0", "--spring.lifecycle.timeout-per-shutdown-phase=2s");
    }

    /**
     * The same clock the other tests move: past the order query's wait without sleeping. Outside the
     * test framework component scanning also finds the support package's test clock; both are named
     * testClock and overriding is allowed, so there is exactly one.
     */
    @Configuration(proxyBeanMethods = false)
    static class MovableClock {
        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock();
        }
    }

    private static void deleteQuietly(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
