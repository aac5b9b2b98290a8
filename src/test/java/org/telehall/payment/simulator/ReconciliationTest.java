package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentProvider;
import org.telehall.payment.PaymentStatus;
import org.telehall.payment.Payments;
import org.telehall.payment.Reconciliation;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/**
 * The daily reconciliation against the provider's settlement file: both kinds of mismatch (paid but not
 * credited, credited but not paid) and the refund ones, made by changing the provider's books or our
 * rows behind the hall's back, are each found, fixed once, recorded and audited; a second run finds nothing.
 */
class ReconciliationTest extends HallIntegrationTest {

    @Autowired Payments payments;
    @Autowired Reconciliation reconciliation;
    @Autowired Ledger ledger;
    @Autowired TestCustomers testCustomers;
    @Autowired SimulatorNotifier notifier;
    @Autowired @Qualifier("alipaySimulator") SimulatedProvider alipay;

    @Test
    void the_settlement_file_is_a_csv_of_the_days_payments_and_refunds_from_the_providers_books() throws Exception {
        TestSubscriber s = testCustomers.subscriber("Settlement File");
        Payment paid = paidTopup(s, Money.ofFen(4_321));
        Payment refunded = paidTopup(s, Money.ofYuan(20));
        payments.refund(refunded.id(), "agent", "test");
        Payment unpaid = payments.createTopup(request(s, Money.ofYuan(30))).payment();

        PaymentProvider.SettlementFile file = alipay.settlementFile(reconciliation.today());
        assertThat(file.name()).isEqualTo("alipay_" + reconciliation.today().toString().replace("-", "") + ".csv");
        assertThat(file.lines()).anySatisfy(l -> {
            assertThat(l.outTradeNo()).isEqualTo(paid.outTradeNo());
            assertThat(l.type()).isEqualTo(PaymentProvider.SettlementLine.Type.PAYMENT);
            assertThat(l.amount()).isEqualTo(Money.ofFen(4_321));
        });
        assertThat(file.lines()).filteredOn(l -> l.outTradeNo().equals(refunded.outTradeNo()))
                .extracting(PaymentProvider.SettlementLine::type)
                .containsExactlyInAnyOrder(PaymentProvider.SettlementLine.Type.PAYMENT, PaymentProvider.SettlementLine.Type.REFUND);
        assertThat(file.lines()).noneSatisfy(l -> assertThat(l.outTradeNo()).isEqualTo(unpaid.outTradeNo()));
        assertThat(file.sha256()).hasSize(64);

        // the CSV itself, as a download would read
        java.nio.file.Path written = java.nio.file.Files.list(java.nio.file.Path.of("target/test-settlement")).flatMap(dir -> {
            try {
                return java.nio.file.Files.walk(dir);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(p -> p.getFileName().toString().equals(file.name())).max(java.util.Comparator.comparing(p -> p.toFile().lastModified())).orElseThrow();
        String csv = java.nio.file.Files.readString(written, StandardCharsets.UTF_8);
        assertThat(csv).startsWith("# ALIPAY settlement").contains("trade_no,out_trade_no,type,amount,time,refund_no")
                .contains("," + paid.outTradeNo() + ",PAYMENT,43.21,").contains(",RF" + refunded.id());
        assertThat(SimulatedProvider.parse(new StringReader(csv))).hasSameSizeAs(file.lines());
    }

    @Test
    void a_payment_the_provider_took_but_we_never_credited_is_credited_once_and_recorded() {
        TestSubscriber s = testCustomers.subscriber("Paid Not Credited");
        Payment silent = payments.createTopup(request(s, Money.ofYuan(40))).payment();
        alipay.pay(silent.outTradeNo());                    // taken at the provider; the notification never comes
        Payment closedThenPaid = payments.createTopup(request(s, Money.ofYuan(60))).payment();
        jdbc.sql("update payment_order set status = 'CLOSED' where id = ?").param(closedThenPaid.id()).update();
        alipay.pay(closedThenPaid.outTradeNo());            // we had given up on it; the buyer paid anyway
        Payment fine = paidTopup(s, Money.ofYuan(10));
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(10));

        Reconciliation.Run run = reconciliation.reconcile(reconciliation.today(), PaymentMethod.ALIPAY, "test");

        assertThat(run.status()).isEqualTo("DONE");
        List<Reconciliation.Mismatch> found = mine(run, s);
        assertThat(found).extracting(Reconciliation.Mismatch::paymentId).containsExactlyInAnyOrder(silent.id(), closedThenPaid.id());
        assertThat(found).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo("PAID_NOT_CREDITED");
            assertThat(m.fix()).isEqualTo("CREDITED");
            assertThat(m.fixed()).isTrue();
        });
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(110));
        assertThat(payments.get(s.customerId(), silent.id()).status()).isEqualTo(PaymentStatus.PAID);
        assertThat(payments.get(s.customerId(), closedThenPaid.id()).status()).isEqualTo(PaymentStatus.PAID);
        assertThat(payments.get(s.customerId(), silent.id()).timeline()).anySatisfy(e -> assertThat(e.detail()).startsWith("reconciliation"));
        assertThat(auditCount("payment.recon.paid_not_credited", silent.id())).isEqualTo(1);
        assertThat(mine(run, s)).noneMatch(m -> m.paymentId() == fine.id());

        // the notification arriving late, and a second run, change nothing
        assertThat(notifier.post("alipay", alipay.notification(alipay.trade(silent.outTradeNo()).orElseThrow()))).isEqualTo("success");
        Reconciliation.Run again = reconciliation.reconcile(reconciliation.today(), PaymentMethod.ALIPAY, "test");
        assertThat(mine(again, s)).isEmpty();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(110));
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
        assertThat(creditsFor(silent.id())).isEqualTo(1);
    }

    @Test
    void a_credit_the_provider_never_received_is_reversed_through_the_journal_and_the_payer_told() {
        TestSubscriber s = testCustomers.subscriber("Credited Not Paid");
        Payment ghost = paidTopup(s, Money.ofYuan(50));
        // the provider's books say it never took the money (a notification we should never have believed)
        jdbc.sql("update sim_provider_trade set status = 'WAIT_BUYER_PAY', paid_at = null where provider = 'alipay' and out_trade_no = ?")
                .param(ghost.outTradeNo()).update();
        TestSubscriber short_ = testCustomers.subscriber("Spent The Ghost");
        Payment spent = paidTopup(short_, Money.ofYuan(50));
        ledger.charge(new Posting(short_.customerId(), Money.ofYuan(30), "test:spend:" + UUID.randomUUID(), ReasonCodes.PACK_FEE, "pack"), "CHARGE");
        jdbc.sql("delete from sim_provider_trade where provider = 'alipay' and out_trade_no = ?").param(spent.outTradeNo()).update();

        Reconciliation.Run run = reconciliation.reconcile(reconciliation.today(), PaymentMethod.ALIPAY, "test");

        Reconciliation.Mismatch reversed = mine(run, s).stream().filter(m -> m.paymentId() == ghost.id()).findFirst().orElseThrow();
        assertThat(reversed.kind()).isEqualTo("CREDITED_NOT_PAID");
        assertThat(reversed.fix()).isEqualTo("REVERSED");
        assertThat(reversed.fixed()).isTrue();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(payments.get(s.customerId(), ghost.id()).status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = ? and reason_code = ?")
                .params("reversal:" + ghost.id(), ReasonCodes.PAYMENT_REVERSAL).query(Long.class).single()).isEqualTo(1);
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains(ghost.outTradeNo()).contains("冲回");
        assertThat(auditCount("payment.recon.credited_not_paid", ghost.id())).isEqualTo(1);

        // the account had spent 30 of the 50: what the balance holds is taken (no credit limit here), the rest listed as owed
        Reconciliation.Mismatch part = mine(run, short_).stream().filter(m -> m.paymentId() == spent.id()).findFirst().orElseThrow();
        assertThat(part.fix()).isEqualTo("REVERSED_PART");
        assertThat(part.fixed()).isFalse();
        assertThat(part.outstanding()).isEqualTo(Money.ofYuan(30));
        assertThat(ledger.balanceOf(short_.customerId())).isEqualTo(Money.ZERO);

        Reconciliation.Run again = reconciliation.reconcile(reconciliation.today(), PaymentMethod.ALIPAY, "test");
        assertThat(mine(again, s)).isEmpty();
        assertThat(mine(again, short_)).isEmpty();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(ledger.journalSumOf(short_.customerId())).isEqualTo(ledger.balanceOf(short_.customerId()));
    }

    @Test
    void a_refund_that_stopped_half_way_is_finished_on_the_side_that_missed_it() {
        TestSubscriber s = testCustomers.subscriber("Half Refunded");
        // the provider refunded, and we stopped before the journal took the money back
        Payment providerOnly = paidTopup(s, Money.ofYuan(25));
        assertThat(alipay.refund(providerOnly.outTradeNo(), "RF" + providerOnly.id(), Money.ofYuan(25)).refunded()).isTrue();
        // we took it back, and the provider lost the refund
        Payment oursOnly = paidTopup(s, Money.ofYuan(15));
        payments.refund(oursOnly.id(), "agent", "test");
        jdbc.sql("update sim_provider_trade set status = 'TRADE_SUCCESS', refund_no = null, refunded_at = null where provider = 'alipay' and out_trade_no = ?")
                .param(oursOnly.outTradeNo()).update();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(25));

        Reconciliation.Run run = reconciliation.reconcile(reconciliation.today(), PaymentMethod.ALIPAY, "test");

        assertThat(mine(run, s)).extracting(Reconciliation.Mismatch::kind, Reconciliation.Mismatch::fix, Reconciliation.Mismatch::fixed)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("REFUNDED_NOT_REVERSED", "REVERSED", true),
                        org.assertj.core.groups.Tuple.tuple("REVERSED_NOT_REFUNDED", "REFUND_SENT", true));
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(payments.get(s.customerId(), providerOnly.id()).status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(alipay.trade(oursOnly.outTradeNo()).orElseThrow().status()).isEqualTo("REFUNDED");
        assertThat(reconciliation.reconcile(reconciliation.today(), PaymentMethod.ALIPAY, "test")).satisfies(again -> assertThat(mine(again, s)).isEmpty());
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(Money.ZERO);
    }

    @Test
    void staff_see_the_runs_and_mismatches_and_start_a_run_and_subscribers_cannot() {
        TestSubscriber s = testCustomers.subscriber("Recon Page");
        Payment silent = payments.createTopup(request(s, Money.ofYuan(33))).payment();
        alipay.pay(silent.outTradeNo());
        WebSession agent = new WebSession(baseUrl());
        agent.get("/login");
        assertThat(WebSession.location(agent.post("/login", Map.of("msisdn", "agent", "password", "Agent@2026")))).endsWith("/");

        HttpResponse<String> started = agent.post("/agent/reconciliation", Map.of("day", reconciliation.today().toString()));
        assertThat(WebSession.location(started)).endsWith("/agent/reconciliation");
        String runs = agent.get("/agent/reconciliation").body();
        assertThat(runs).contains("对账完成").contains(reconciliation.today().toString()).contains("支付宝");
        long runId = reconciliation.recentRuns(10).stream().filter(r -> r.provider() == PaymentMethod.ALIPAY).findFirst().orElseThrow().id();
        String run = agent.get("/agent/reconciliation/" + runId).body();
        assertThat(run).contains(silent.outTradeNo()).contains("已付款未入账").contains("已补记入账");
        agent.get("/lang?to=en&back=/agent/reconciliation");
        assertThat(agent.get("/agent/reconciliation/" + runId).body()).contains("Paid, not credited").contains("Credited");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(33));

        assertThat(agent.post("/agent/reconciliation", Map.of("day", LocalDate.now().plusDays(3).toString())).statusCode()).isEqualTo(302);
        WebSession subscriber = new WebSession(baseUrl());
        assertThat(subscriber.get("/agent/reconciliation").statusCode()).isNotEqualTo(200);
    }

    private List<Reconciliation.Mismatch> mine(Reconciliation.Run run, TestSubscriber s) {
        List<Long> ids = jdbc.sql("select id from payment_order where payer_customer_id = ?").param(s.customerId()).query(Long.class).list();
        return reconciliation.mismatchesOf(run.id()).stream().filter(m -> m.paymentId() != null && ids.contains(m.paymentId())).toList();
    }

    private long auditCount(String action, long paymentId) {
        return jdbc.sql("select count(*) from audit_event where action = ? and subject = ?").params(action, "payment:" + paymentId)
                .query(Long.class).single();
    }

    private long creditsFor(long paymentId) {
        return jdbc.sql("select count(*) from journal_entry where business_key in (?, ?)").params("payment:" + paymentId, "recredit:" + paymentId)
                .query(Long.class).single();
    }

    private Payment paidTopup(TestSubscriber s, Money amount) {
        Payment p = payments.createTopup(request(s, amount)).payment();
        assertThat(notifier.post("alipay", alipay.notification(alipay.pay(p.outTradeNo()).orElseThrow()))).isEqualTo("success");
        return p;
    }

    private Payments.TopupRequest request(TestSubscriber s, Money amount) {
        long userId = jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
        return new Payments.TopupRequest(s.customerId(), userId, s.msisdn(), amount, PaymentMethod.ALIPAY, "WEB", UUID.randomUUID().toString());
    }
}
