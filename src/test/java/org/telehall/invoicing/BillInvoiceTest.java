package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.billing.Bill;
import org.telehall.billing.BillRun;
import org.telehall.billing.Bills;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/** An e-invoice for a monthly bill (basic services at 9 %, value-added at 6 %), and a charge on a bill disputed from its page. */
class BillInvoiceTest extends HallIntegrationTest {

    @Autowired BillRun billRun;
    @Autowired Bills bills;
    @Autowired Invoices invoices;
    @Autowired Disputes disputes;
    @Autowired Ledger ledger;
    @Autowired Customers customers;
    @Autowired TestCustomers testCustomers;

    TestSubscriber s;
    Bill bill;

    @BeforeEach
    void aBilledMonth() {
        s = testCustomers.subscriber("账单开票");
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        LocalDate start = customers.get(s.customerId()).cycleStart(today).minusMonths(1);
        Instant at = start.plusDays(3).atStartOfDay(Customer.ZONE).toInstant();
        post(ReasonCodes.TOPUP, 20_000, true, at.minusSeconds(3600));
        post(ReasonCodes.PLAN_FEE, 5800, false, at);
        post(ReasonCodes.USAGE_VOICE, 300, false, at.plusSeconds(1));
        post(ReasonCodes.USAGE_DATA, 1234, false, at.plusSeconds(2));
        post(ReasonCodes.PACK_FEE, 1000, false, at.plusSeconds(3));
        post(ReasonCodes.SERVICE_FEE, 500, false, at.plusSeconds(4));
        post(ReasonCodes.REFUND, 200, true, at.plusSeconds(5));
        billRun.runFor(today, s.customerId());
        bill = bills.forCycle(s.customerId(), start).orElseThrow();
    }

    @Test
    void a_bill_is_invoiced_once_split_into_basic_and_value_added_services_adding_up_to_the_bill() throws Exception {
        assertThat(bill.total()).isEqualTo(Money.ofFen(5800 + 300 + 1234 + 1000 + 500 - 200));
        assertThat(invoices.invoiceable(s.customerId())).anySatisfy(src -> {
            assertThat(src.kind()).isEqualTo(SourceKind.BILL);
            assertThat(src.reference()).isEqualTo(Long.toString(bill.id()));
            assertThat(src.amount()).isEqualTo(bill.total());
        });

        Invoices.Issued issued = invoices.request(s.customerId(), SourceKind.BILL, Long.toString(bill.id()), Buyer.of(BuyerType.PERSON, "账单开票", null));
        Invoice invoice = issued.invoice();
        assertThat(issued.existing()).isFalse();
        assertThat(invoice.total()).isEqualTo(bill.total());
        assertThat(invoice.items()).extracting(Invoice.Item::name, Invoice.Item::taxRateBp, i -> i.total().fen())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("*电信服务*基础电信服务", 900, 5900L),
                        org.assertj.core.groups.Tuple.tuple("*电信服务*增值电信服务", 600, 2734L));
        // net = total / 1.09 and / 1.06, half up; tax the rest
        assertThat(invoice.tax()).isEqualTo(Money.ofFen((5900 - 5413) + (2734 - 2579)));
        assertThat(invoices.request(s.customerId(), SourceKind.BILL, Long.toString(bill.id()), Buyer.of(BuyerType.PERSON, "别人", null)))
                .satisfies(again -> {
                    assertThat(again.existing()).isTrue();
                    assertThat(again.invoice().id()).isEqualTo(invoice.id());
                });
        assertThat(invoices.invoiceable(s.customerId())).noneMatch(src -> src.kind() == SourceKind.BILL);
        try (PDDocument pdf = Loader.loadPDF(invoices.pdf(s.customerId(), invoice.id()))) {
            assertThat(new PDFTextStripper().getText(pdf)).contains(invoice.number()).contains("基础电信服务").contains("增值电信服务");
        }
    }

    @Test
    void another_customers_bill_and_an_empty_bill_are_not_invoiced() {
        long zhang = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow().customerId();
        Bill his = bills.of(zhang, 1).get(0);
        assertThatThrownBy(() -> invoices.request(s.customerId(), SourceKind.BILL, Long.toString(his.id()), Buyer.of(BuyerType.PERSON, "x", null)))
                .isInstanceOf(NotFoundException.class);

        TestSubscriber idle = testCustomers.subscriber("空账单");
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        LocalDate start = customers.get(idle.customerId()).cycleStart(today).minusMonths(1);
        ledger.postAt(new Posting(idle.customerId(), Money.ofYuan(10), "test:idle:" + idle.customerId(), ReasonCodes.TOPUP, ""), true, "TOPUP",
                start.plusDays(1).atStartOfDay(Customer.ZONE).toInstant());
        billRun.runFor(today, idle.customerId());
        Bill empty = bills.forCycle(idle.customerId(), start).orElseThrow();
        assertThat(empty.total()).isEqualTo(Money.ZERO);
        assertThatThrownBy(() -> invoices.request(idle.customerId(), SourceKind.BILL, Long.toString(empty.id()), Buyer.of(BuyerType.PERSON, "x", null)))
                .isInstanceOf(BusinessRuleException.class).hasMessageContaining("nothing to invoice");
    }

    @Test
    void a_charge_picked_on_the_bill_page_is_disputed_for_the_bills_cycle() {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String page = web.get("/bills/" + bill.id()).body();
        assertThat(page).contains("/disputes/new?bill=" + bill.id() + "&amp;type=DATA").contains("/invoices/new?bill=" + bill.id());
        assertThat(web.get("/disputes/new?bill=" + bill.id() + "&type=DATA").body()).contains("name=\"bill\" value=\"" + bill.id() + "\"");

        var done = web.post("/disputes", Map.of("bill", Long.toString(bill.id()), "type", "DATA", "description", "流量费不对"));
        String location = WebSession.location(done);
        assertThat(location).matches(".*/disputes/\\d+");
        Dispute d = disputes.get(s.customerId(), Long.parseLong(location.substring(location.lastIndexOf('/') + 1)));
        assertThat(d.billReference()).isEqualTo(bill.billNo());
        assertThat(d.periodStart()).isEqualTo(bill.periodStart());
        assertThat(d.periodEnd()).isEqualTo(bill.periodEnd());
        assertThat(d.lineId()).isEqualTo(s.lineId());

        TestSubscriber other = testCustomers.subscriber("别人的账单");
        WebSession otherWeb = new WebSession(baseUrl());
        testCustomers.signIn(otherWeb, clock, other.msisdn(), other.password(), this::latestCodeSentTo);
        assertThat(otherWeb.get("/disputes/new?bill=" + bill.id() + "&type=DATA").statusCode()).isEqualTo(404);
    }

    private void post(String reason, long fen, boolean credit, Instant at) {
        ledger.postAt(new Posting(s.customerId(), Money.ofFen(fen), "test:billinv:" + s.customerId() + ":" + reason + ":" + fen, reason, ""), credit,
                credit ? "CREDIT" : "CHARGE", at);
    }
}
