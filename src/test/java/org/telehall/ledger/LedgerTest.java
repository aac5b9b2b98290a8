package org.telehall.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;

/** The ledger's promises: balanced entries, once per business key, never below the credit limit. */
@RecordApplicationEvents
class LedgerTest extends HallIntegrationTest {

    @Autowired
    ApplicationEvents events;

    @Autowired
    Ledger ledger;

    @Autowired
    TestCustomers testCustomers;

    @Test
    void usage_charged_many_at_once_takes_exactly_what_one_after_another_would() {
        Random random = new Random(Long.getLong("ledger.seed", 4242L));
        for (int c = 0; c < 10; c++) {
            long one = testCustomers.subscriber("OneByOne").customerId();
            long many = testCustomers.subscriber("AllAtOnce").customerId();
            long other = testCustomers.subscriber("Other").customerId();
            long limit = random.nextInt(3) == 0 ? 0 : random.nextInt(300);
            long topUp = random.nextInt(500);
            for (long customer : List.of(one, many, other)) {
                jdbc.sql("update ledger_account set credit_limit_fen = ? where customer_id = ?").params(limit, customer).update();
                if (topUp > 0) {
                    ledger.credit(new Posting(customer, Money.ofFen(topUp), "test:batch:topup:" + customer, ReasonCodes.TOPUP, ""), "TOPUP");
                }
            }
            List<Posting> sequential = new ArrayList<>();
            List<Posting> batch = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(12); i < n; i++) {
                long fen = 1 + random.nextInt(200);
                sequential.add(new Posting(one, Money.ofFen(fen), "test:batch:one:" + one + ":" + i, ReasonCodes.USAGE_DATA, "x"));
                batch.add(new Posting(many, Money.ofFen(fen), "test:batch:many:" + many + ":" + i, ReasonCodes.USAGE_DATA, "x"));
                if (random.nextBoolean()) {
                    batch.add(new Posting(other, Money.ofFen(fen), "test:batch:other:" + other + ":" + i, ReasonCodes.USAGE_VOICE, "y"));
                }
            }
            List<UsageCharge> expected = sequential.stream().map(p -> ledger.chargeUsage(p, "USAGE")).toList();
            List<UsageCharge> actual = ledger.chargeUsages(batch, "USAGE", clock.instant()).stream()
                    .filter(new java.util.function.Predicate<UsageCharge>() {
                        int i = 0;

                        @Override
                        public boolean test(UsageCharge u) {
                            return batch.get(i++).customerId() == many;
                        }
                    }).toList();
            assertThat(actual).as("case " + c).isEqualTo(expected);
            assertThat(ledger.balanceOf(many)).isEqualTo(ledger.balanceOf(one));
            assertThat(ledger.journalSumOf(many)).isEqualTo(ledger.balanceOf(many));
            assertThat(ledger.journalSumOf(other)).isEqualTo(ledger.balanceOf(other));
            assertThat(ledger.historySize(many)).isEqualTo(ledger.historySize(one));
            // the same postings again are replays: nothing moves
            Money before = ledger.balanceOf(many);
            ledger.chargeUsages(batch, "USAGE", clock.instant());
            assertThat(ledger.balanceOf(many)).isEqualTo(before);
            assertThat(ledger.journalSumOf(many)).isEqualTo(before);
        }
    }

    @Test
    void a_replayed_business_key_moves_money_once_and_returns_the_first_result() {
        long customer = testCustomers.subscriber("Replay").customerId();
        Posting topUp = new Posting(customer, Money.ofYuan(50), "test:replay:1", ReasonCodes.TOPUP, "");
        Ledger.Result first = ledger.credit(topUp, "TOPUP");
        Ledger.Result again = ledger.credit(topUp, "TOPUP");
        assertThat(first.applied()).isTrue();
        assertThat(again.applied()).isFalse();
        assertThat(again.entryId()).isEqualTo(first.entryId());
        assertThat(ledger.balanceOf(customer)).isEqualTo(Money.ofYuan(50));
    }

    @Test
    void each_applied_charge_tells_the_balance_after_it_once_and_a_replay_tells_nothing() {
        long customer = testCustomers.subscriber("Debited").customerId();
        ledger.credit(new Posting(customer, Money.ofYuan(30), "test:debited:topup", ReasonCodes.TOPUP, ""), "TOPUP");
        Posting fee = new Posting(customer, Money.ofYuan(12), "test:debited:fee", ReasonCodes.PACK_FEE, "");
        ledger.charge(fee, "CHARGE");
        ledger.charge(fee, "CHARGE");
        List<AccountDebited> debits = events.stream(AccountDebited.class).filter(e -> e.customerId() == customer).toList();
        assertThat(debits).singleElement().satisfies(d -> {
            assertThat(d.amount()).isEqualTo(Money.ofYuan(12));
            assertThat(d.balanceAfter()).isEqualTo(Money.ofYuan(18));
            assertThat(d.businessKey()).isEqualTo("test:debited:fee");
        });
        assertThat(events.stream(AccountCredited.class).filter(e -> e.customerId() == customer)).hasSize(1);
    }

    @Test
    void the_same_business_key_for_a_different_amount_is_refused() {
        long customer = testCustomers.subscriber("Key Reuse").customerId();
        ledger.credit(new Posting(customer, Money.ofYuan(10), "test:reuse:1", ReasonCodes.TOPUP, ""), "TOPUP");
        assertThatThrownBy(() -> ledger.credit(new Posting(customer, Money.ofYuan(20), "test:reuse:1", ReasonCodes.TOPUP, ""), "TOPUP"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test:reuse:1");
        assertThat(ledger.balanceOf(customer)).isEqualTo(Money.ofYuan(10));
    }

    @Test
    void a_charge_beyond_the_balance_is_refused_and_writes_nothing() {
        long customer = testCustomers.subscriber("Short").customerId();
        ledger.credit(new Posting(customer, Money.ofYuan(5), "test:short:topup", ReasonCodes.TOPUP, ""), "TOPUP");
        assertThatThrownBy(() -> ledger.charge(new Posting(customer, Money.ofFen(501), "test:short:charge", ReasonCodes.PACK_FEE, ""), "CHARGE"))
                .isInstanceOf(InsufficientBalanceException.class);
        assertThat(ledger.balanceOf(customer)).isEqualTo(Money.ofYuan(5));
        assertThat(ledger.historySize(customer)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = 'test:short:charge'").query(Long.class).single()).isZero();
    }

    @Test
    void a_posting_for_a_customer_without_an_account_is_refused_and_writes_nothing() {
        long nobody = Long.MAX_VALUE - 7;
        assertThatThrownBy(() -> ledger.credit(new Posting(nobody, Money.ofYuan(5), "test:nobody:topup", ReasonCodes.TOPUP, ""), "TOPUP"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ledger.charge(new Posting(nobody, Money.ofYuan(5), "test:nobody:charge", ReasonCodes.PACK_FEE, ""), "CHARGE"))
                .isInstanceOf(NotFoundException.class);
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key like 'test:nobody:%'").query(Long.class).single()).isZero();
    }

    @Test
    void concurrent_charges_never_overspend_and_each_key_posts_once() throws Exception {
        long customer = testCustomers.subscriber("Race").customerId();
        ledger.credit(new Posting(customer, Money.ofYuan(10), "test:race:topup", ReasonCodes.TOPUP, ""), "TOPUP");
        // 40 distinct charges of ¥1 (only 10 can succeed) and each sent twice, from 8 threads
        List<Callable<Boolean>> work = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Posting p = new Posting(customer, Money.ofYuan(1), "test:race:" + i, ReasonCodes.PACK_FEE, "");
            work.add(() -> tryCharge(p));
            work.add(() -> tryCharge(p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Boolean> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ledger.balanceOf(customer)).isEqualTo(Money.ZERO);
        assertThat(ledger.journalSumOf(customer)).isEqualTo(Money.ZERO);
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key like 'test:race:%' and business_key <> 'test:race:topup'")
                .query(Long.class).single()).isEqualTo(10);
    }

    @Test
    void for_any_sequence_of_postings_and_replays_the_balance_is_the_sum_of_the_journal_and_every_entry_balances() {
        long seed = Long.getLong("ledger.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int run = 0; run < 20; run++) {
            long customer = testCustomers.subscriber("Property " + run).customerId();
            long expected = 0;
            List<Posting> done = new ArrayList<>();
            for (int step = 0; step < 40; step++) {
                if (!done.isEmpty() && random.nextInt(5) == 0) {
                    Posting replay = done.get(random.nextInt(done.size()));
                    ledger.credit(replay, "TOPUP"); // same key again: must change nothing
                    continue;
                }
                Money amount = Money.ofFen(1 + random.nextInt(5000));
                Posting p = new Posting(customer, amount, "prop:" + seed + ":" + run + ":" + step, ReasonCodes.TOPUP, "");
                if (random.nextBoolean()) {
                    ledger.credit(p, "TOPUP");
                    expected += amount.fen();
                    done.add(p);
                } else {
                    try {
                        ledger.charge(p, "CHARGE");
                        expected -= amount.fen();
                    } catch (InsufficientBalanceException refused) {
                        assertThat(expected).as("seed %d: refused although the balance covered it", seed).isLessThan(amount.fen());
                    }
                }
                assertThat(ledger.balanceOf(customer).fen()).as("seed %d", seed).isEqualTo(expected).isGreaterThanOrEqualTo(0);
            }
            assertThat(ledger.journalSumOf(customer).fen()).as("seed %d", seed).isEqualTo(expected);
        }
        assertThat(jdbc.sql("select count(*) from (select entry_id from journal_line group by entry_id having sum(amount_fen) <> 0) unbalanced")
                .query(Long.class).single()).as("seed %d: unbalanced entries", seed).isZero();
    }

    @Test
    void the_demo_balances_equal_the_sum_of_their_journal_lines() {
        List<Long> customers = jdbc.sql("select customer_id from ledger_account where customer_id is not null").query(Long.class).list();
        assertThat(customers).isNotEmpty();
        for (long c : customers) {
            assertThat(ledger.balanceOf(c)).as("customer %d", c).isEqualTo(ledger.journalSumOf(c));
        }
    }

    private Boolean tryCharge(Posting p) {
        try {
            return ledger.charge(p, "CHARGE").applied();
        } catch (InsufficientBalanceException e) {
            return false;
        }
    }
}
