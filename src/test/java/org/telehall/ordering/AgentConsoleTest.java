package org.telehall.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/**
 * The store counter: an agent finds the customer by number, orders on their behalf with the code
 * the customer's phone received, and the order is the same one the customer sees in their hall.
 */
class AgentConsoleTest extends HallIntegrationTest {

    static final Pattern ORDER_ID = Pattern.compile("/agent/orders/(\\d+)$");

    @Autowired TestCustomers testCustomers;
    @Autowired Ledger ledger;
    @Autowired Catalog catalog;
    @Autowired Inventory inventory;
    @Autowired OrderFulfilment fulfilment;
    @Autowired Orders orders;

    @Test
    void an_order_placed_at_the_counter_is_confirmed_by_the_customers_code_and_shows_in_their_hall_as_a_store_order() {
        TestSubscriber s = testCustomers.subscriber("Counter Customer");
        ledger.credit(new Posting(s.customerId(), Money.ofYuan(100), "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "test"), "TOPUP");
        Offering pack = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PACK && o.price().oneTimeFee().isPositive())
                .findFirst().orElseThrow();
        WebSession agent = agentSession();

        HttpResponse<String> found = agent.get("/agent/lookup?msisdn=" + s.msisdn());
        assertThat(WebSession.location(found)).endsWith("/agent/lines/" + s.lineId());
        String customerPage = agent.get("/agent/lines/" + s.lineId()).body();
        assertThat(customerPage).contains("C*").doesNotContain("Counter Customer").contains(Money.ofYuan(100).display());
        assertThat(jdbc.sql("select count(*) from audit_event where actor = 'agent' and action = 'agent.lookup'").query(Long.class).single())
                .isPositive();

        HttpResponse<String> placed = agent.post("/agent/lines/" + s.lineId() + "/orders", Map.of("offering", pack.id()));
        Matcher m = ORDER_ID.matcher(WebSession.location(placed));
        assertThat(m.find()).as(WebSession.location(placed)).isTrue();
        long orderId = Long.parseLong(m.group(1));
        Order quoted = orders.get(s.customerId(), orderId);
        assertThat(quoted.channel()).isEqualTo(OrderChannel.STORE);
        assertThat(quoted.placedByUserId()).isEqualTo(jdbc.sql("select id from app_user where username = 'agent'").query(Long.class).single());
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));

        // the code went to the customer's phone; a wrong one read out changes nothing
        String code = latestCodeSentTo(s.msisdn());
        agent.get("/agent/orders/" + orderId);
        agent.post("/agent/orders/" + orderId + "/confirmation", Map.of("code", code.equals("000000") ? "111111" : "000000"));
        assertThat(orders.get(s.customerId(), orderId).state()).isEqualTo(OrderState.PENDING);
        agent.get("/agent/orders/" + orderId);
        agent.post("/agent/orders/" + orderId + "/confirmation", Map.of("code", code));
        awaitEnd(s, orderId);
        String agentView = agent.get("/agent/orders/" + orderId).body();
        assertThat(agentView).contains("营业厅门店（营业员 agent）").contains("办理成功");

        // the customer sees the same order in their own hall at once, marked as placed at the store
        WebSession customer = new WebSession(baseUrl());
        testCustomers.signIn(customer, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        assertThat(customer.get("/orders").body()).contains(pack.nameZh());
        assertThat(customer.get("/orders/" + orderId).body()).contains("营业厅门店（营业员 agent）").contains("已完成");

        // a lost SIM replaced at the counter, with the reason the customer gives
        clock.advance(Duration.ofMinutes(2));
        agent.get("/agent/lines/" + s.lineId());
        Matcher sim = ORDER_ID.matcher(WebSession.location(agent.post("/agent/lines/" + s.lineId() + "/sim", Map.of("reason", "LOST"))));
        assertThat(sim.find()).isTrue();
        Order simOrder = orders.get(s.customerId(), Long.parseLong(sim.group(1)));
        assertThat(simOrder.items().get(0).detail()).isEqualTo("LOST");
        assertThat(simOrder.channel()).isEqualTo(OrderChannel.STORE);

        // a new line at the counter for the same customer, the code again from their phone
        clock.advance(Duration.ofMinutes(2));
        String page = agent.get("/agent/lines/" + s.lineId()).body();
        Matcher free = Pattern.compile("<option value=\"(1\\d{10})\"").matcher(page);
        assertThat(free.find()).isTrue();
        String first17 = "11010219870521123";
        HttpResponse<String> newLine = agent.post("/agent/lines/" + s.lineId() + "/new-line", Map.of("msisdn", free.group(1),
                "name", "Counter Customer", "idNumber", first17 + org.telehall.customer.RealName.checkCharacter(first17), "planId", "plan-5g-58"));
        Matcher nl = ORDER_ID.matcher(WebSession.location(newLine));
        assertThat(nl.find()).as(WebSession.location(newLine)).isTrue();
        Order newLineOrder = orders.get(s.customerId(), Long.parseLong(nl.group(1)));
        assertThat(newLineOrder.newMsisdn()).isEqualTo(free.group(1));
        assertThat(newLineOrder.channel()).isEqualTo(OrderChannel.STORE);
        agent.get("/agent/orders/" + newLineOrder.id());
        agent.post("/agent/orders/" + newLineOrder.id() + "/cancel", Map.of());
        assertThat(orders.get(s.customerId(), newLineOrder.id()).state()).isEqualTo(OrderState.CANCELLED);

        // and an order the customer places online shows at the counter
        customer.get("/packs");
        HttpResponse<String> online = customer.post("/orders", Map.of("offering", pack.id()));
        long onlineId = Long.parseLong(WebSession.location(online).replaceAll(".*/orders/", ""));
        assertThat(agent.get("/agent/lines/" + s.lineId()).body()).contains("/agent/orders/" + onlineId).contains("网上营业厅");
    }

    @Test
    void subscribers_cannot_reach_the_counter_and_unknown_numbers_are_told_plainly() {
        TestSubscriber s = testCustomers.subscriber("Curious Subscriber");
        WebSession customer = new WebSession(baseUrl());
        testCustomers.signIn(customer, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        assertThat(customer.get("/agent").statusCode()).isEqualTo(403);
        assertThat(customer.get("/agent/lines/" + s.lineId()).statusCode()).isEqualTo(403);

        WebSession agent = agentSession();
        assertThat(WebSession.location(agent.get("/agent/lookup?msisdn=12345"))).endsWith("/agent");
        assertThat(agent.get("/agent").body()).contains("请输入 11 位手机号码");
        assertThat(WebSession.location(agent.get("/agent/lookup?msisdn=19999999999"))).endsWith("/agent");
        assertThat(agent.get("/agent").body()).contains("本网没有这个号码");
        assertThat(agent.get("/agent/lines/999999999").statusCode()).isEqualTo(404);
    }

    private WebSession agentSession() {
        WebSession agent = new WebSession(baseUrl());
        agent.get("/login");
        HttpResponse<String> signedIn = agent.post("/login", Map.of("msisdn", "agent", "password", "Agent@2026"));
        assertThat(WebSession.location(signedIn)).endsWith("/");
        return agent;
    }

    private void awaitEnd(TestSubscriber s, long orderId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && orders.get(s.customerId(), orderId).state().isOpen()) {
            fulfilment.runDue();
            clock.advance(Duration.ofSeconds(30));
        }
        assertThat(orders.get(s.customerId(), orderId).state()).isEqualTo(OrderState.COMPLETED);
    }
}
