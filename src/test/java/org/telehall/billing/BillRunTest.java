package org.telehall.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customer;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/**
 * The bill run against the journal: a bill's categories are the journal's movements of the closed
 * cycle to the fen (worked out here from the postings made, not from the database), and the run
 * makes each bill exactly once — run twice, crashed and resumed, or run by two nodes at once.
 */
class BillRunTest extends HallIntegrationTest {

    private static final String[] CHARGE_CODES = {ReasonCodes.PLAN_FEE, ReasonCodes.PACK_FEE, ReasonCodes.SERVICE_FEE, ReasonCodes.USAGE_VOICE,
            ReasonCodes.USAGE_DATA, ReasonCodes.USAGE_SMS, ReasonCodes.ADJUSTMENT, ReasonCodes.PAYMENT_REVERSAL, "USAGE_ROAMING", "DISCOUNT"};
    private static final String[] CREDIT_CODES = {ReasonCodes.TOPUP, ReasonCodes.BILL_PAYMENT, ReasonCodes.REFUND, ReasonCodes.ADJUSTMENT, "DISCOUNT"};

    @Autowired BillRun billRun;
    @Autowired Bills bills;
    @Autowired Ledger ledger;
    @Autowired TestCustomers testCustomers;

    /** A posting as the test made it, to work out the bill without the database. */
    record Made(Instant at, String reason, long customerDelta) {
    }

    @Test
    void each_bill_category_equals_the_journal_movements_of_the_closed_cycle_over_random_charges() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        LocalDate today = today();
        List<TestSubscriber> subs = new ArrayList<>();
        Map<Long, List<Made>> made = new java.util.HashMap<>();
        for (int c = 0; c < 6; c++) {
            TestSubscriber s = testCustomers.subscriber("账单性质" + c);
            int cycleDay = 1 + random.nextInt(28);
            jdbc.sql("update customer set cycle_day = ? where id = ?").params(cycleDay, s.customerId()).update();
            subs.add(s);
            made.put(s.customerId(), postRandomly(s.customerId(), cycleDay, today, random));
        }
        long[] only = subs.stream().mapToLong(TestSubscriber::customerId).toArray();
        billRun.run(today, only, 4, chunks -> {
        });
        for (TestSubscriber s : subs) {
            Customer customer = customers(s.customerId());
            LocalDate start = customer.cycleStart(today).minusMonths(1);
            Instant from = start.atStartOfDay(Customer.ZONE).toInstant();
            Instant to = start.plusMonths(1).atStartOfDay(Customer.ZONE).toInstant();
            Bill bill = bills.forCycle(s.customerId(), start).orElseThrow(() -> new AssertionError("no bill, seed " + seed));
            Expected expected = expected(made.get(s.customerId()), from, to);
            assertThat(bill.amounts()).as("seed %d, cycle day %d", seed, customer.cycleDay()).isEqualTo(expected.amounts);
            assertThat(bill.total().fen()).as("seed %d", seed).isEqualTo(expected.amounts.values().stream().mapToLong(Money::fen).sum());
            assertThat(bill.openingBalance().fen()).as("seed %d", seed).isEqualTo(expected.opening);
            assertThat(bill.payments().fen()).as("seed %d", seed).isEqualTo(expected.payments);
            assertThat(bill.closingBalance().fen()).as("seed %d", seed).isEqualTo(expected.opening + expected.inCycle);
            // the lines behind each category add up to it
            Map<BillCategory, Money> fromItems = zero();
            for (BillItem i : bills.items(bill)) {
                if (i.category() != null) {
                    fromItems.merge(i.category(), i.amount(), Money::plus);
                }
            }
            assertThat(fromItems).as("seed %d", seed).isEqualTo(expected.amounts);
            // the live bill of the current cycle is the journal since it started
            Instant currentFrom = to;
            Expected now = expected(made.get(s.customerId()), currentFrom, Instant.MAX);
            assertThat(bills.current(s.customerId()).amounts()).as("seed %d", seed).isEqualTo(now.amounts);
        }
    }

    @Test
    void running_twice_issues_one_bill_and_one_message() {
        LocalDate today = today();
        TestSubscriber s = billable("两次出账");
        long[] only = {s.customerId()};
        assertThat(billRun.run(today, only, 10, c -> {
        }).issued()).isEqualTo(1);
        assertThat(billRun.run(today, only, 10, c -> {
        }).issued()).isZero();
        assertThat(billsOf(s)).isEqualTo(1);
        assertThat(billReadyMessages(s)).isEqualTo(1);
        String body = sms.sentTo(s.msisdn(), 1).get(0).body();
        Bill bill = bills.of(s.customerId(), 1).get(0);
        assertThat(body).contains(bill.total().display()).contains("/bills/" + bill.id());
    }

    @Test
    void a_run_that_crashes_after_some_chunks_is_resumed_by_the_next_run_without_doubles() {
        LocalDate today = today();
        List<TestSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            subs.add(billable("断点续跑" + i));
        }
        long[] only = subs.stream().mapToLong(TestSubscriber::customerId).toArray();
        assertThatThrownBy(() -> billRun.run(today, only, 2, chunks -> {
            if (chunks == 2) {
                throw new IllegalStateException("node lost");
            }
        })).hasMessage("node lost");
        assertThat(subs.stream().mapToInt(this::billsOf).sum()).as("two chunks committed before the crash").isEqualTo(4);

        BillRun.Result resumed = billRun.run(today, only, 2, c -> {
        });
        assertThat(resumed.issued()).isEqualTo(3);
        for (TestSubscriber s : subs) {
            assertThat(billsOf(s)).isEqualTo(1);
            assertThat(billReadyMessages(s)).as("one message each, the crashed chunks' too").isEqualTo(1);
        }
    }

    @Test
    void two_runs_at_the_same_time_make_each_bill_once() throws Exception {
        LocalDate today = today();
        List<TestSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            subs.add(billable("并发出账" + i));
        }
        long[] only = subs.stream().mapToLong(TestSubscriber::customerId).toArray();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<BillRun.Result>> runs = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return billRun.run(today, only, 1, c -> {
                    });
                }));
            }
            go.countDown();
            int issued = 0;
            for (Future<BillRun.Result> r : runs) {
                issued += r.get().issued();
            }
            assertThat(issued).isEqualTo(8);
        } finally {
            pool.shutdownNow();
        }
        for (TestSubscriber s : subs) {
            assertThat(billsOf(s)).isEqualTo(1);
            assertThat(billReadyMessages(s)).isEqualTo(1);
        }
    }

    @Test
    void an_issued_bill_cannot_be_changed_or_deleted() {
        TestSubscriber s = billable("不可更改");
        billRun.run(today(), new long[] {s.customerId()}, 10, c -> {
        });
        Bill bill = bills.of(s.customerId(), 1).get(0);
        assertThatThrownBy(() -> jdbc.sql("update bill set plan_fen = plan_fen + 1, total_fen = total_fen + 1, closing_balance_fen = closing_balance_fen - 1 where id = ?")
                .param(bill.id()).update()).hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("delete from bill where id = ?").param(bill.id()).update()).hasMessageContaining("cannot be deleted");
        assertThat(bills.get(s.customerId(), bill.id())).isEqualTo(bill);
    }

    @Test
    void the_demo_history_comes_with_its_bills() {
        long zhang = jdbc.sql("select customer_id from line where msisdn = ?").param(DEMO_MSISDN).query(Long.class).single();
        List<Bill> issued = bills.of(zhang, 12);
        assertThat(issued).hasSizeGreaterThanOrEqualTo(2);
        for (Bill b : issued) {
            assertThat(b.amount(BillCategory.PLAN)).as(b.billNo()).isEqualTo(Money.ofFen(12800 + 1800));
        }
    }

    // ---- helpers

    private TestSubscriber billable(String name) {
        TestSubscriber s = testCustomers.subscriber(name);
        Instant lastCycle = customers(s.customerId()).cycleStart(today()).minusDays(10).atStartOfDay(Customer.ZONE).toInstant();
        ledger.postAt(new Posting(s.customerId(), Money.ofYuan(100), "test:bill:topup:" + s.customerId(), ReasonCodes.TOPUP, "test"), true, "TOPUP",
                lastCycle);
        ledger.postAt(new Posting(s.customerId(), Money.ofFen(5800), "test:bill:fee:" + s.customerId(), ReasonCodes.PLAN_FEE, "套餐"), false, "CHARGE",
                lastCycle.plusSeconds(60));
        return s;
    }

    private List<Made> postRandomly(long customerId, int cycleDay, LocalDate today, Random random) {
        Customer customer = customers(customerId);
        LocalDate closedStart = customer.cycleStart(today).minusMonths(1);
        Instant from = closedStart.minusMonths(1).atStartOfDay(Customer.ZONE).toInstant();
        Instant closedFrom = closedStart.atStartOfDay(Customer.ZONE).toInstant();
        Instant closedTo = closedStart.plusMonths(1).atStartOfDay(Customer.ZONE).toInstant();
        Instant now = clock.instant();
        List<Made> made = new ArrayList<>();
        // an opening top-up big enough that no charge is refused
        ledger.postAt(new Posting(customerId, Money.ofYuan(100_000), "test:prop:open:" + customerId, ReasonCodes.TOPUP, ""), true, "TOPUP",
                from.minus(Duration.ofDays(1)));
        made.add(new Made(from.minus(Duration.ofDays(1)), ReasonCodes.TOPUP, 10_000_000));
        int n = 20 + random.nextInt(40);
        List<org.telehall.ledger.Posting> usage = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = switch (random.nextInt(8)) {
                // the edges of the closed cycle, where off-by-one mistakes live
                case 0 -> closedFrom;
                case 1 -> closedTo.minusMillis(1);
                case 2 -> closedTo;
                default -> from.plusMillis((long) (random.nextDouble() * Duration.between(from, now).toMillis()));
            };
            if (at.isAfter(now)) {
                at = now;
            }
            long fen = 1 + random.nextInt(20_000);
            String key = "test:prop:" + customerId + ":" + i;
            boolean credit = random.nextInt(4) == 0;
            String reason = credit ? CREDIT_CODES[random.nextInt(CREDIT_CODES.length)] : CHARGE_CODES[random.nextInt(CHARGE_CODES.length)];
            if (!credit && reason.startsWith("USAGE") && random.nextBoolean()) {
                // the rating path: many usage charges through one ledger call
                ledger.chargeUsages(List.of(new Posting(customerId, Money.ofFen(fen), key, reason, "1700000000")), "USAGE", at);
            } else {
                ledger.postAt(new Posting(customerId, Money.ofFen(fen), key, reason, "test"), credit, credit ? "CREDIT" : "CHARGE", at);
            }
            made.add(new Made(at, reason, credit ? fen : -fen));
        }
        return made;
    }

    private record Expected(Map<BillCategory, Money> amounts, long opening, long payments, long inCycle) {
    }

    private static Expected expected(List<Made> made, Instant from, Instant to) {
        Map<BillCategory, Money> amounts = zero();
        long opening = 0;
        long payments = 0;
        long inCycle = 0;
        for (Made m : made) {
            if (m.at().isBefore(from)) {
                opening += m.customerDelta();
            } else if (m.at().isBefore(to)) {
                inCycle += m.customerDelta();
                BillCategory c = category(m.reason());
                if (c == null) {
                    payments += m.customerDelta();
                } else {
                    amounts.merge(c, Money.ofFen(-m.customerDelta()), Money::plus);
                }
            }
        }
        return new Expected(amounts, opening, payments, inCycle);
    }

    /** The categories as the product defines them, written out again here rather than taken from the code under test. */
    private static BillCategory category(String reason) {
        return switch (reason) {
            case ReasonCodes.TOPUP, ReasonCodes.BILL_PAYMENT, ReasonCodes.PAYMENT_REVERSAL -> null;
            case ReasonCodes.PLAN_FEE -> BillCategory.PLAN;
            case ReasonCodes.PACK_FEE -> BillCategory.PACKS;
            case ReasonCodes.SERVICE_FEE -> BillCategory.SERVICES;
            case ReasonCodes.USAGE_VOICE -> BillCategory.VOICE;
            case ReasonCodes.USAGE_DATA -> BillCategory.DATA;
            case ReasonCodes.USAGE_SMS -> BillCategory.SMS;
            case "USAGE_ROAMING" -> BillCategory.ROAMING;
            case "DISCOUNT" -> BillCategory.DISCOUNTS;
            default -> BillCategory.ADJUSTMENTS;
        };
    }

    private static Map<BillCategory, Money> zero() {
        Map<BillCategory, Money> m = new EnumMap<>(BillCategory.class);
        for (BillCategory c : BillCategory.values()) {
            m.put(c, Money.ZERO);
        }
        return m;
    }

    @Autowired org.telehall.customer.Customers customerDirectory;

    private Customer customers(long customerId) {
        return customerDirectory.get(customerId);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), Customer.ZONE);
    }

    private int billsOf(TestSubscriber s) {
        return jdbc.sql("select count(*) from bill where customer_id = ?").param(s.customerId()).query(Integer.class).single();
    }

    private int billReadyMessages(TestSubscriber s) {
        return jdbc.sql("select count(*) from sms_message where msisdn = ? and purpose = 'BILL_READY'").param(s.msisdn()).query(Integer.class).single();
    }
}
