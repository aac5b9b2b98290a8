package org.telehall.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Msisdn;
import org.telehall.support.ApiClient;
import org.telehall.support.ApiClient.Reply;
import org.telehall.support.HallIntegrationTest;
import org.telehall.usage.Allowances;
import org.telehall.usage.Bucket;
import org.telehall.usage.UsageQuery;
import org.telehall.usage.UsageRecords;
import org.telehall.usage.UsageType;
import tools.jackson.databind.JsonNode;

/**
 * The TMF resources answer with the signed-in customer's data as the database holds it, in TMF
 * shapes (Money as unit/value, id/href/@type, paging headers, ?fields), and never anyone else's.
 */
class TmfApiTest extends HallIntegrationTest {

    static final String OFFERINGS = "/tmf-api/productCatalogManagement/v4/productOffering";
    static final String PRODUCTS = "/tmf-api/productInventory/v4/product";
    static final String BUCKETS = "/tmf-api/prepayBalanceManagement/v4/bucket";
    static final String USAGE = "/tmf-api/usageManagement/v4/usage";
    static final String CUSTOMERS = "/tmf-api/customerManagement/v4/customer";

    @Autowired Catalog catalog;
    @Autowired Customers customers;
    @Autowired Inventory inventory;
    @Autowired Ledger ledger;
    @Autowired Allowances allowances;
    @Autowired UsageRecords usageRecords;

    ApiClient api;
    String token;
    Line demoLine;
    Line otherLine;

    @BeforeEach
    void signIn() {
        api = new ApiClient(baseUrl());
        token = api.signIn(clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        demoLine = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow();
        otherLine = customers.lineByMsisdn(new Msisdn(OTHER_MSISDN)).orElseThrow();
    }

    @Test
    void product_offerings_are_public_and_carry_every_price_of_the_disclosure_page() {
        Reply reply = api.get(OFFERINGS, null);
        assertThat(reply.status()).isEqualTo(200);
        List<Offering> onSale = catalog.onSale();
        assertThat(reply.header("X-Total-Count")).isEqualTo(Integer.toString(onSale.size()));
        assertThat(reply.json().size()).isEqualTo(onSale.size());
        for (int i = 0; i < onSale.size(); i++) {
            Offering o = onSale.get(i);
            JsonNode view = reply.json().get(i);
            assertThat(view.get("id").asString()).isEqualTo(o.id());
            assertThat(view.get("@type").asString()).isEqualTo("ProductOffering");
            assertThat(view.get("href").asString()).endsWith(OFFERINGS + "/" + o.id());
            assertThat(view.get("name").asString()).isEqualTo(o.nameZh());
            assertThat(view.get("isSellable").asBoolean()).isTrue();
            List<String> prices = new ArrayList<>();
            view.get("productOfferingPrice").forEach(p -> {
                assertThat(p.get("price").get("unit").asString()).isEqualTo("CNY");
                prices.add(p.get("priceType").asString() + "=" + p.get("price").get("value").decimalValue().toPlainString());
            });
            switch (o.kind()) {
                case PACK -> assertThat(prices).contains("oneTime=" + o.price().oneTimeFee().yuan().toPlainString());
                default -> assertThat(prices).contains("recurring=" + o.price().recurringFee().yuan().toPlainString());
            }
            if (o.price().dataOveragePerMb().isPositive()) {
                assertThat(prices).contains("usage=" + o.price().dataOveragePerMb().yuan().toPlainString());
            }
        }
    }

    @Test
    void offerings_filter_by_kind_page_select_fields_and_speak_english_on_request() {
        long plans = catalog.onSale().stream().filter(o -> o.kind() == org.telehall.catalog.OfferingKind.PLAN).count();
        Reply planList = api.get(OFFERINGS + "?kind=plan", null);
        assertThat(planList.json().size()).isEqualTo((int) plans);
        planList.json().forEach(p -> assertThat(p.get("category").get(0).get("id").asString()).isEqualTo("plan"));

        Reply page = api.get(OFFERINGS + "?offset=1&limit=2", null);
        assertThat(page.json().size()).isEqualTo(2);
        assertThat(page.header("X-Result-Count")).isEqualTo("2");
        assertThat(page.json().get(0).get("id").asString()).isEqualTo(catalog.onSale().get(1).id());

        Reply fields = api.get(OFFERINGS + "?fields=name", null);
        Set<String> keys = new HashSet<>();
        fields.json().get(0).propertyNames().forEach(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "href", "@type", "name");

        Offering first = catalog.onSale().get(0);
        assertThat(api.get(OFFERINGS + "/" + first.id(), null, "en").json().get("name").asString()).isEqualTo(first.nameEn());

        Reply missing = api.get(OFFERINGS + "/NO-SUCH-OFFER", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        Reply badLimit = api.get(OFFERINGS + "?limit=0", null);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("detail").asString()).contains("limit");
        assertThat(api.get(OFFERINGS + "?kind=phone", null).status()).isEqualTo(400);
    }

    @Test
    void products_are_the_customers_plan_packs_and_services_and_nobody_elses() {
        List<Product> held = inventory.ofCustomer(demoLine.customerId());
        Reply reply = api.get(PRODUCTS, token);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("X-Total-Count")).isEqualTo(Integer.toString(held.size()));
        Set<String> ids = new HashSet<>();
        Set<String> kinds = new HashSet<>();
        reply.json().forEach(p -> {
            ids.add(p.get("id").asString());
            assertThat(p.get("@type").asString()).isEqualTo("Product");
            p.get("productCharacteristic").forEach(c -> {
                if (c.get("name").asString().equals("kind") && p.get("status").asString().equals("active")) {
                    kinds.add(c.get("value").asString());
                }
            });
        });
        assertThat(ids).isEqualTo(held.stream().map(p -> Long.toString(p.id())).collect(java.util.stream.Collectors.toSet()));
        assertThat(kinds).contains("plan", "pack", "service");

        Product plan = inventory.planOf(demoLine.id(), clock.instant()).orElseThrow();
        JsonNode one = api.get(PRODUCTS + "/" + plan.id(), token).json();
        assertThat(one.get("productOffering").get("id").asString()).isEqualTo(plan.offeringId());
        assertThat(one.get("productPrice").get(0).get("price").get("taxIncludedAmount").get("value").decimalValue())
                .isEqualByComparingTo(plan.recurringFee().yuan());
        assertThat(one.get("productPrice").get(0).get("price").get("taxIncludedAmount").get("unit").asString()).isEqualTo("CNY");

        Reply oneLine = api.get(PRODUCTS + "?msisdn=" + DEMO_MSISDN + "&kind=plan&status=active", token);
        assertThat(oneLine.json().size()).isEqualTo(1);
        assertThat(oneLine.json().get(0).get("id").asString()).isEqualTo(Long.toString(plan.id()));

        long othersProduct = inventory.ofCustomer(otherLine.customerId()).get(0).id();
        Reply refused = api.get(PRODUCTS + "/" + othersProduct, token);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.body()).doesNotContain(OTHER_MSISDN);
        assertThat(api.get(PRODUCTS + "?msisdn=" + OTHER_MSISDN, token).status()).isEqualTo(404);
        assertThat(api.get(PRODUCTS + "?msisdn=12345", token).status()).isEqualTo(400);
    }

    @Test
    void buckets_show_the_allowances_left_and_the_money_balance_exactly() {
        Reply reply = api.get(BUCKETS + "?msisdn=" + DEMO_MSISDN, token);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode money = reply.json().get(0);
        assertThat(money.get("usageType").asString()).isEqualTo("monetary");
        assertThat(money.get("remainingValue").get("units").asString()).isEqualTo("CNY");
        assertThat(money.get("remainingValue").get("amount").decimalValue()).isEqualByComparingTo(ledger.balanceOf(demoLine.customerId()).yuan());

        List<Bucket> inForce = allowances.bucketsInForce(demoLine.id(), clock.instant());
        assertThat(reply.json().size()).isEqualTo(inForce.size() + 1);
        Bucket data = inForce.stream().filter(b -> b.kind() == UsageType.DATA).findFirst().orElseThrow();
        JsonNode dataView = api.get(BUCKETS + "/" + data.id(), token).json();
        assertThat(dataView.get("usageType").asString()).isEqualTo("data");
        assertThat(dataView.get("remainingValue").get("amount").asLong()).isEqualTo(data.remaining());
        assertThat(dataView.get("remainingValue").get("units").asString()).isEqualTo("KB");
        assertThat(dataView.get("usedValue").get("amount").asLong()).isEqualTo(data.used());
        assertThat(dataView.get("logicalResource").get(0).get("id").asString()).isEqualTo(DEMO_MSISDN);

        Reply voiceOnly = api.get(BUCKETS + "?usageType=voice", token);
        voiceOnly.json().forEach(b -> assertThat(b.get("usageType").asString()).isEqualTo("voice"));
        assertThat(api.get(BUCKETS + "?usageType=minutes", token).status()).isEqualTo(400);

        long othersBucket = allowances.bucketsInForce(otherLine.id(), clock.instant()).get(0).id();
        assertThat(api.get(BUCKETS + "/" + othersBucket, token).status()).isEqualTo(404);
        assertThat(api.get(BUCKETS + "/balance-" + otherLine.customerId(), token).status()).isEqualTo(404);
        assertThat(api.get(BUCKETS + "/balance-" + demoLine.customerId(), token).json().get("remainingValue").get("amount").decimalValue())
                .isEqualByComparingTo(ledger.balanceOf(demoLine.customerId()).yuan());
    }

    @Test
    void usage_records_filter_by_month_and_type_with_the_other_party_masked() {
        YearMonth current = YearMonth.now(clock.withZone(Customer.ZONE));
        YearMonth last = current.minusMonths(1);
        long expected = usageRecords.count(new UsageQuery(demoLine.id(), last, null, 0, 1));
        assertThat(expected).as("demo history has last month's usage").isPositive();
        Reply reply = api.get(USAGE + "?msisdn=" + DEMO_MSISDN + "&month=" + last + "&limit=500", token);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("X-Total-Count")).isEqualTo(Long.toString(expected));
        assertThat(reply.json().size()).isEqualTo((int) Math.min(expected, 500));
        reply.json().forEach(u -> {
            assertThat(u.get("@type").asString()).isEqualTo("Usage");
            assertThat(YearMonth.from(java.time.Instant.parse(u.get("usageDate").asString()).atZone(Customer.ZONE))).isEqualTo(last);
            assertThat(u.get("ratedProductUsage").get(0).get("taxIncludedRatingAmount").get("unit").asString()).isEqualTo("CNY");
            u.get("usageCharacteristic").forEach(c -> {
                if (c.get("name").asString().equals("otherParty") && c.get("value").asString().length() == 11) {
                    assertThat(c.get("value").asString()).matches("\\d{3}\\*{4}\\d{4}");
                }
            });
        });

        long voice = usageRecords.count(new UsageQuery(demoLine.id(), last, UsageType.VOICE, 0, 1));
        Reply voiceOnly = api.get(USAGE + "?msisdn=" + DEMO_MSISDN + "&month=" + last + "&usageType=voice&limit=5", token);
        assertThat(voiceOnly.header("X-Total-Count")).isEqualTo(Long.toString(voice));
        voiceOnly.json().forEach(u -> assertThat(u.get("usageType").asString()).isEqualTo("voice"));

        Reply tooOld = api.get(USAGE + "?month=" + current.minusMonths(6), token);
        assertThat(tooOld.status()).isEqualTo(400);
        assertThat(tooOld.json().get("detail").asString()).contains("last 6 months");
        assertThat(api.get(USAGE + "?month=yesterday", token).status()).isEqualTo(400);

        long othersRecord = usageRecords.find(new UsageQuery(otherLine.id(), last, null, 0, 1)).get(0).id();
        assertThat(api.get(USAGE + "/" + othersRecord, token).status()).isEqualTo(404);
        long mine = usageRecords.find(new UsageQuery(demoLine.id(), last, null, 0, 1)).get(0).id();
        assertThat(api.get(USAGE + "/" + mine, token).json().get("id").asString()).isEqualTo(Long.toString(mine));
    }

    @Test
    void the_customer_resource_is_only_the_customer_themselves_with_the_id_number_masked() {
        Customer me = customers.get(demoLine.customerId());
        Reply reply = api.get(CUSTOMERS + "/" + me.id(), token);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode view = reply.json();
        assertThat(view.get("name").asString()).isEqualTo(me.name());
        assertThat(view.get("@type").asString()).isEqualTo("Customer");
        String idNumber = null;
        for (JsonNode c : view.get("characteristic")) {
            if (c.get("name").asString().equals("idNumber")) {
                idNumber = c.get("value").asString();
            }
        }
        assertThat(idNumber).isEqualTo(me.idNumberMasked()).contains("****");
        Set<String> phones = new HashSet<>();
        view.get("contactMedium").forEach(m -> phones.add(m.get("characteristic").get("phoneNumber").asString()));
        assertThat(phones).containsAll(customers.linesOf(me.id()).stream().map(l -> l.msisdn().value()).toList());

        Reply other = api.get(CUSTOMERS + "/" + otherLine.customerId(), token);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body()).doesNotContain(customers.get(otherLine.customerId()).name());
        assertThat(api.get(CUSTOMERS + "/not-a-number", token).status()).isEqualTo(404);
    }

    @Test
    void the_openapi_document_lists_every_api_path() {
        Reply docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        Set<String> paths = new HashSet<>();
        docs.json().get("paths").propertyNames().forEach(paths::add);
        assertThat(paths).contains("/api/v1/auth/login", "/api/v1/auth/verify",
                OFFERINGS, OFFERINGS + "/{id}", PRODUCTS, PRODUCTS + "/{id}", BUCKETS, BUCKETS + "/{id}",
                USAGE, USAGE + "/{id}", CUSTOMERS + "/{id}");
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
    }
}
