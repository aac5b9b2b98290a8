package org.telehall.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customers;
import org.telehall.shared.Msisdn;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.WebSession;
import tools.jackson.databind.JsonNode;

/** The demo subscriber reads the seeded bills on the pages (zh, en, elderly mode) and through TMF678; nobody reads anyone else's. */
class BillPagesTest extends HallIntegrationTest {

    static final String CUSTOMER_BILL = "/tmf-api/customerBillManagement/v4/customerBill";

    @Autowired Bills bills;
    @Autowired Customers customers;
    @Autowired TestCustomers testCustomers;

    long zhang;
    long li;
    WebSession web;

    @BeforeEach
    void signIn() {
        zhang = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow().customerId();
        li = customers.lineByMsisdn(new Msisdn(OTHER_MSISDN)).orElseThrow().customerId();
        web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
    }

    @Test
    void the_bills_page_lists_the_bills_with_a_year_chart_and_this_cycle_so_far() {
        List<Bill> issued = bills.of(zhang, 24);
        assertThat(issued).isNotEmpty();
        String page = web.get("/bills").body();
        for (Bill b : issued) {
            assertThat(page).contains("href=\"/bills/" + b.id() + "\"")
                    .contains(b.month().getYear() + "年" + b.month().getMonthValue() + "月账单")
                    .contains(b.total().display());
        }
        Bill now = bills.current(zhang);
        assertThat(page).contains("data-testid=\"so-far-total\">" + now.total().display() + "<");
        // one bar per issued month plus the live one, each labelled with its amount
        assertThat(page.split("data-testid=\"chart-bar\"", -1)).hasSize(issued.size() + 2);
        assertThat(page).contains("role=\"img\"").contains("data-label=\"" + issued.get(0).month().getYear() + "年" + issued.get(0).month().getMonthValue() + "月：" + issued.get(0).total().display() + "\"");
        web.get("/lang?to=en&back=/bills");
        try {
            String en = web.get("/bills").body();
            assertThat(en).contains("Monthly spend, last 12 months").contains("This cycle so far")
                    .contains("Bill for " + issued.get(0).month().getMonthValue() + "/" + issued.get(0).month().getYear());
        } finally {
            web.get("/lang?to=zh-CN&back=/bills");
        }
    }

    @Test
    void a_bill_shows_every_category_and_the_movements_behind_it() {
        Bill bill = bills.of(zhang, 1).get(0);
        String page = web.get("/bills/" + bill.id()).body();
        assertThat(page).contains(bill.billNo()).contains("data-testid=\"bill-total\">" + bill.total().display() + "<");
        for (BillCategory c : BillCategory.values()) {
            assertThat(page).contains("data-category=\"" + c.name() + "\"");
        }
        assertThat(page).contains("套餐月费").contains(bill.amount(BillCategory.PLAN).display()).contains("5G畅享套餐");
        List<BillItem> items = bills.items(bill);
        assertThat(page.split("data-testid=\"item\"", -1).length - 1).isEqualTo(items.stream().filter(i -> i.category() != null).count());
        web.get("/lang?to=en&back=/bills");
        try {
            assertThat(web.get("/bills/" + bill.id()).body()).contains("Plan fee").contains("Charges (open one to see each item)");
        } finally {
            web.get("/lang?to=zh-CN&back=/bills");
        }

        web.post("/settings/elderly", java.util.Map.of("on", "true", "back", "/bills"));
        try {
            String elderly = web.get("/bills/" + bill.id()).body();
            assertThat(elderly).contains("class=\"elderly\"").contains(bill.total().display());
            assertThat(web.get("/bills").statusCode()).isEqualTo(200);
        } finally {
            web.post("/settings/elderly", java.util.Map.of("on", "false", "back", "/"));
        }

        String live = web.get("/bills/current").body();
        assertThat(live).contains("data-testid=\"live\"").contains(bills.current(zhang).total().display());
    }

    @Test
    void another_customers_bill_is_not_found_on_the_page_or_the_api() {
        Bill hers = bills.of(li, 1).get(0);
        assertThat(web.get("/bills/" + hers.id()).statusCode()).isEqualTo(404);
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        assertThat(api.get(CUSTOMER_BILL + "/" + hers.id(), token).status()).isEqualTo(404);
        assertThat(api.get(CUSTOMER_BILL, null).status()).isEqualTo(401);
    }

    @Test
    void tmf678_customer_bills_carry_the_bill_as_issued() {
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        List<Bill> issued = bills.of(zhang, 24);
        ApiClient.Reply reply = api.get(CUSTOMER_BILL, token);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("X-Total-Count")).isEqualTo(Integer.toString(issued.size()));
        JsonNode first = reply.json().get(0);
        Bill b = issued.get(0);
        assertThat(first.get("id").asString()).isEqualTo(Long.toString(b.id()));
        assertThat(first.get("@type").asString()).isEqualTo("CustomerBill");
        assertThat(first.get("href").asString()).endsWith(CUSTOMER_BILL + "/" + b.id());
        assertThat(first.get("billNo").asString()).isEqualTo(b.billNo());
        assertThat(first.get("taxIncludedAmount").get("value").decimalValue()).isEqualByComparingTo(b.total().yuan());
        assertThat(first.get("taxIncludedAmount").get("unit").asString()).isEqualTo("CNY");
        assertThat(first.get("billingPeriod").get("startDateTime").asString()).isEqualTo(b.periodStart().toString());
        assertThat(first.get("billingPeriod").get("endDateTime").asString()).isEqualTo(b.periodEnd().toString());
        assertThat(first.get("appliedCustomerBillingRate")).hasSize(BillCategory.values().length);
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (JsonNode rate : first.get("appliedCustomerBillingRate")) {
            sum = sum.add(rate.get("taxIncludedAmount").get("value").decimalValue());
        }
        assertThat(sum).isEqualByComparingTo(b.total().yuan());
        JsonNode one = api.get(CUSTOMER_BILL + "/" + b.id(), token).json();
        assertThat(one.get("billNo").asString()).isEqualTo(b.billNo());
        assertThat(api.get(CUSTOMER_BILL + "/nope", token).status()).isEqualTo(404);
    }
}
