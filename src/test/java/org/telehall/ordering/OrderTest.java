package org.telehall.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.identity.OneTimeCodes;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.inventory.ProductStatus;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.usage.Allowances;
import org.telehall.usage.Bucket;
import org.telehall.usage.UsageType;

/** Every order takes the same path, and nothing is charged or changed before the SMS confirmation. */
class OrderTest extends HallIntegrationTest {

    @Autowired Orders orders;
    @Autowired OrderFulfilment fulfilment;
    @Autowired SimulatedNetwork network;
    @Autowired TestCustomers testCustomers;
    @Autowired Catalog catalog;
    @Autowired Ledger ledger;
    @Autowired Inventory inventory;
    @Autowired Allowances allowances;
    @Autowired PlanComparisons comparisons;
    @Autowired ServiceTrials trials;
    @Autowired org.telehall.customer.NumberPool numbers;
    @Autowired org.telehall.customer.RealNameCheck realNames;
    @Autowired org.telehall.customer.Customers customers;

    @Test
    void a_pack_is_charged_and_granted_only_after_the_code_then_completes_with_every_step_on_the_timeline() {
        TestSubscriber s = funded("Pack Buyer", Money.ofYuan(100));
        Offering pack = dataPack();
        Order quoted = orders.quoteAdd(placement(s), pack.id());
        assertThat(quoted.state()).isEqualTo(OrderState.PENDING);
        assertThat(quoted.fee()).isEqualTo(pack.price().oneTimeFee());
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));
        assertThat(inventory.ofCustomer(s.customerId())).isEmpty();
        String code = latestCodeSentTo(s.msisdn());

        Orders.Confirmation wrong = orders.confirm(s.customerId(), quoted.id(), code.equals("000000") ? "111111" : "000000");
        assertThat(wrong.code()).isEqualTo(OneTimeCodes.Outcome.WRONG);
        assertThat(wrong.order().state()).isEqualTo(OrderState.PENDING);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));

        Orders.Confirmation ok = orders.confirm(s.customerId(), quoted.id(), code);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.order().state()).isEqualTo(OrderState.IN_PROGRESS);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100).minus(pack.price().oneTimeFee()));
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = ?").param(Orders.feeKey(quoted.id()))
                .query(Long.class).single()).isEqualTo(1);

        Order done = awaitEnd(s, quoted.id());
        assertThat(done.state()).isEqualTo(OrderState.COMPLETED);
        List<Product> held = inventory.ofCustomer(s.customerId());
        assertThat(held).singleElement().satisfies(p -> {
            assertThat(p.offeringId()).isEqualTo(pack.id());
            assertThat(p.status()).isEqualTo(ProductStatus.ACTIVE);
            assertThat(p.endsAt()).isEqualTo(p.startedAt().plus(Duration.ofDays(pack.validityDays())));
        });
        Bucket data = allowances.bucketsInForce(s.lineId(), clock.instant()).stream().filter(b -> b.kind() == UsageType.DATA)
                .findFirst().orElseThrow();
        assertThat(data.initial()).isEqualTo(pack.dataMb() * 1024);
        assertThat(data.productId()).isEqualTo(held.get(0).id());
        assertThat(done.timeline().stream().map(Order.Event::step).toList()).containsSubsequence(
                Order.Step.QUOTED, Order.Step.CODE_SENT, Order.Step.CONFIRMATION_REFUSED, Order.Step.CONFIRMED, Order.Step.ELIGIBLE,
                Order.Step.CHARGED, Order.Step.PROVISIONING, Order.Step.PROVISIONED, Order.Step.COMPLETED, Order.Step.NOTIFIED);
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains(pack.nameZh()).contains(pack.price().oneTimeFee().display());
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }

    @Test
    void an_expired_code_confirms_nothing_and_a_fresh_one_does() {
        TestSubscriber s = funded("Slow Confirmer", Money.ofYuan(100));
        Order quoted = orders.quoteAdd(placement(s), dataPack().id());
        String first = latestCodeSentTo(s.msisdn());
        clock.advance(Duration.ofMinutes(6));
        assertThat(orders.confirm(s.customerId(), quoted.id(), first).code()).isEqualTo(OneTimeCodes.Outcome.EXPIRED);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));

        orders.resendCode(s.customerId(), quoted.id());
        String fresh = latestCodeSentTo(s.msisdn());
        assertThat(orders.confirm(s.customerId(), quoted.id(), fresh).accepted()).isTrue();
    }

    @Test
    void a_quote_not_confirmed_within_fifteen_minutes_lapses() {
        TestSubscriber s = funded("Forgetful", Money.ofYuan(100));
        Order quoted = orders.quoteAdd(placement(s), dataPack().id());
        String code = latestCodeSentTo(s.msisdn());
        clock.advance(Orders.CONFIRM_WITHIN.plusMinutes(1));
        fulfilment.runDue();
        assertThat(orders.get(s.customerId(), quoted.id()).state()).isEqualTo(OrderState.CANCELLED);
        assertThatThrownBy(() -> orders.confirm(s.customerId(), quoted.id(), code)).isInstanceOf(BusinessRuleException.class);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));
    }

    @Test
    void a_balance_that_does_not_cover_the_fee_fails_the_order_without_charging() {
        TestSubscriber s = funded("Short Of Money", Money.ofFen(1));
        Order quoted = orders.quoteAdd(placement(s), dataPack().id());
        Orders.Confirmation c = orders.confirm(s.customerId(), quoted.id(), latestCodeSentTo(s.msisdn()));
        assertThat(c.order().state()).isEqualTo(OrderState.FAILED);
        assertThat(c.order().failureReason()).isEqualTo("order.reason.balance");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofFen(1));
        assertThat(inventory.ofCustomer(s.customerId())).isEmpty();
    }

    @Test
    void a_second_open_order_for_the_same_thing_is_refused_as_conflicting() {
        TestSubscriber s = funded("Double Tapper", Money.ofYuan(100));
        Offering pack = dataPack();
        orders.quoteAdd(placement(s), pack.id());
        assertThatThrownBy(() -> orders.quoteAdd(placement(s), pack.id()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("order.conflict"));
    }

    @Test
    void two_confirmations_of_one_order_at_once_charge_it_once() throws Exception {
        TestSubscriber s = funded("Racer", Money.ofYuan(100));
        Offering pack = dataPack();
        Order quoted = orders.quoteAdd(placement(s), pack.id());
        String code = latestCodeSentTo(s.msisdn());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Callable<Boolean> confirm = () -> {
                start.await();
                try {
                    return orders.confirm(s.customerId(), quoted.id(), code).accepted();
                } catch (BusinessRuleException e) {
                    return false;
                }
            };
            results.add(pool.submit(confirm));
        }
        start.countDown();
        int accepted = 0;
        for (Future<Boolean> f : results) {
            accepted += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(accepted).isEqualTo(1);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100).minus(pack.price().oneTimeFee()));
    }

    @Test
    void a_network_that_keeps_failing_ends_the_order_failed_with_the_fee_refunded_exactly_once() {
        TestSubscriber s = funded("Unlucky", Money.ofYuan(100));
        Offering pack = dataPack();
        network.failAlways(s.msisdn());
        try {
            Order quoted = orders.quoteAdd(placement(s), pack.id());
            orders.confirm(s.customerId(), quoted.id(), latestCodeSentTo(s.msisdn()));
            Order done = awaitEnd(s, quoted.id());
            assertThat(done.state()).isEqualTo(OrderState.FAILED);
            assertThat(done.timeline().stream().filter(e -> e.step() == Order.Step.PROVISIONING_RETRY).count())
                    .isEqualTo(OrderFulfilment.MAX_ATTEMPTS - 1);
            assertThat(done.timeline().stream().map(Order.Event::step).toList())
                    .containsSubsequence(Order.Step.CHARGED, Order.Step.PROVISIONING_FAILED, Order.Step.REFUNDED, Order.Step.FAILED);
            assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));
            assertThat(jdbc.sql("select count(*) from journal_entry where business_key like ?").param("order:" + quoted.id() + ":%")
                    .query(Long.class).single()).isEqualTo(2);
            assertThat(inventory.ofCustomer(s.customerId())).isEmpty();
            assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains("退回").contains(pack.price().oneTimeFee().display());
        } finally {
            network.heal(s.msisdn());
        }
    }

    @Test
    void a_network_busy_for_a_moment_is_retried_and_the_order_completes_charged_once() {
        TestSubscriber s = funded("Patient", Money.ofYuan(100));
        Offering pack = dataPack();
        network.failNext(s.msisdn(), 2);
        Order quoted = orders.quoteAdd(placement(s), pack.id());
        orders.confirm(s.customerId(), quoted.id(), latestCodeSentTo(s.msisdn()));
        Order done = awaitEnd(s, quoted.id());
        assertThat(done.state()).isEqualTo(OrderState.COMPLETED);
        assertThat(done.timeline().stream().filter(e -> e.step() == Order.Step.PROVISIONING_RETRY).count()).isEqualTo(2);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100).minus(pack.price().oneTimeFee()));
        assertThat(inventory.ofCustomer(s.customerId())).hasSize(1);
    }

    @Test
    void unsubscribe_all_ends_every_service_of_the_line_at_once_without_a_fee() {
        TestSubscriber s = funded("Cancels Everything", Money.ofYuan(10));
        List<Offering> services = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.SERVICE).limit(2).toList();
        assertThat(services).hasSize(2);
        List<Long> ids = services.stream().map(o -> inventory.add(s.customerId(), s.lineId(), o, clock.instant()).id()).toList();

        Order quoted = orders.quoteUnsubscribe(placement(s), ids);
        assertThat(quoted.fee()).isEqualTo(Money.ZERO);
        assertThat(quoted.monthlyChange()).isEqualTo(services.get(0).price().recurringFee().plus(services.get(1).price().recurringFee()).negate());
        assertThat(inventory.inForce(s.lineId(), clock.instant())).hasSize(2);
        orders.confirm(s.customerId(), quoted.id(), latestCodeSentTo(s.msisdn()));
        assertThat(awaitEnd(s, quoted.id()).state()).isEqualTo(OrderState.COMPLETED);
        assertThat(inventory.inForce(s.lineId(), clock.instant())).isEmpty();
        assertThat(inventory.ofCustomer(s.customerId())).allSatisfy(p -> assertThat(p.status()).isEqualTo(ProductStatus.TERMINATED));
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(10));
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains("退订");
    }

    @Test
    void another_customers_order_is_not_found_and_their_products_cannot_be_cancelled() {
        TestSubscriber mine = funded("Mine", Money.ofYuan(10));
        TestSubscriber theirs = funded("Theirs", Money.ofYuan(10));
        Offering service = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.SERVICE).findFirst().orElseThrow();
        long theirProduct = inventory.add(theirs.customerId(), theirs.lineId(), service, clock.instant()).id();
        Order theirOrder = orders.quoteAdd(placement(theirs), dataPack().id());
        assertThatThrownBy(() -> orders.get(mine.customerId(), theirOrder.id())).isInstanceOf(org.telehall.shared.NotFoundException.class);
        assertThatThrownBy(() -> orders.confirm(mine.customerId(), theirOrder.id(), "123456")).isInstanceOf(org.telehall.shared.NotFoundException.class);
        assertThatThrownBy(() -> orders.quoteUnsubscribe(placement(mine), List.of(theirProduct))).isInstanceOf(org.telehall.shared.NotFoundException.class);
    }

    // ---- helpers

    @Test
    void an_upgrade_now_charges_the_difference_for_the_days_left_and_adds_that_share_of_the_allowance() {
        TestSubscriber s = funded("Upgrader", Money.ofYuan(300));
        Offering small = plan(5800), big = plan(12800);
        givePlan(s, small);
        Order quoted = orders.quotePlanChange(placement(s), big.id(), null);

        // the cycle starts on the 1st (the test customers' cycle day): today counts as a day left
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), org.telehall.customer.Customer.ZONE);
        long daysLeft = today.lengthOfMonth() - today.getDayOfMonth() + 1;
        long expectedFee = Math.round((12800 - 5800) * daysLeft / (double) today.lengthOfMonth());
        assertThat(quoted.fee()).isEqualTo(Money.ofFen(expectedFee));
        assertThat(quoted.effectiveAt()).isNull();
        long expectedExtraKb = Math.round((big.dataMb() - small.dataMb()) * 1024 * daysLeft / (double) today.lengthOfMonth());
        assertThat(quoted.items()).anySatisfy(i -> assertThat(i.grantDataKb()).isEqualTo(expectedExtraKb));
        long dataBefore = allowances.summary(s.lineId(), clock.instant()).get(UsageType.DATA).total();

        orders.confirm(s.customerId(), quoted.id(), latestCodeSentTo(s.msisdn()));
        Order done = awaitEnd(s, quoted.id());
        assertThat(done.state()).isEqualTo(OrderState.COMPLETED);
        assertThat(inventory.planOf(s.lineId(), clock.instant())).get().extracting(Product::offeringId).isEqualTo(big.id());
        assertThat(inventory.ofCustomer(s.customerId())).filteredOn(p -> p.offeringId().equals(small.id()))
                .singleElement().extracting(Product::status).isEqualTo(ProductStatus.TERMINATED);
        assertThat(allowances.summary(s.lineId(), clock.instant()).get(UsageType.DATA).total()).isEqualTo(dataBefore + expectedExtraKb);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(300).minus(Money.ofFen(expectedFee)));
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains(big.nameZh()).contains(big.price().recurringFee().display());
    }

    @Test
    void a_downgrade_waits_for_the_next_cycle_can_be_cancelled_until_then_and_otherwise_takes_effect_on_its_date() {
        TestSubscriber s = funded("Downgrader", Money.ofYuan(50));
        Offering small = plan(5800), big = plan(12800);
        givePlan(s, big);
        assertThatThrownBy(() -> orders.quotePlanChange(placement(s), small.id(), Orders.Effective.NOW))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "order.downgrade-next-cycle");

        Order booked = orders.quotePlanChange(placement(s), small.id(), null);
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), org.telehall.customer.Customer.ZONE);
        assertThat(booked.effectiveAt()).isEqualTo(today.withDayOfMonth(1).plusMonths(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant());
        assertThat(booked.fee()).isEqualTo(Money.ZERO);
        Order confirmed = orders.confirm(s.customerId(), booked.id(), latestCodeSentTo(s.msisdn())).order();
        assertThat(confirmed.state()).isEqualTo(OrderState.IN_PROGRESS);
        assertThat(confirmed.timeline()).extracting(Order.Event::step).contains(Order.Step.SCHEDULED);
        fulfilment.runDue();
        assertThat(inventory.planOf(s.lineId(), clock.instant())).get().extracting(Product::offeringId).isEqualTo(big.id());
        assertThat(orders.scheduledChangeOf(s.customerId(), s.lineId())).get().extracting(Order::id).isEqualTo(booked.id());
        // a second change while one is booked conflicts with it
        assertThatThrownBy(() -> orders.quotePlanChange(placement(s), plan(19800).id(), null))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "order.conflict");

        assertThat(orders.cancel(s.customerId(), booked.id()).state()).isEqualTo(OrderState.CANCELLED);
        assertThat(orders.scheduledChangeOf(s.customerId(), s.lineId())).isEmpty();
        assertThat(inventory.planOf(s.lineId(), clock.instant())).get().extracting(Product::offeringId).isEqualTo(big.id());

        clock.advance(Duration.ofMinutes(2));
        Order again = orders.quotePlanChange(placement(s), small.id(), null);
        orders.confirm(s.customerId(), again.id(), latestCodeSentTo(s.msisdn()));
        // the cycle turns: the booked date arrives (moved here rather than moving the shared test clock a month on)
        java.sql.Timestamp now = java.sql.Timestamp.from(clock.instant());
        jdbc.sql("update product_order set effective_at = ?, next_attempt_at = ? where id = ?").params(now, now, again.id()).update();
        Order done = awaitEnd(s, again.id());
        assertThat(done.state()).isEqualTo(OrderState.COMPLETED);
        assertThat(inventory.planOf(s.lineId(), clock.instant())).get().extracting(Product::offeringId).isEqualTo(small.id());
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(50));
        assertThatThrownBy(() -> orders.cancel(s.customerId(), again.id())).isInstanceOf(BusinessRuleException.class);
    }

    @Test
    void plans_are_compared_on_the_lines_own_last_three_months() {
        TestSubscriber s = funded("Heavy User", Money.ZERO);
        Offering small = plan(5800), big = plan(12800);
        givePlan(s, small);
        java.time.YearMonth thisMonth = java.time.YearMonth.now(clock.withZone(org.telehall.customer.Customer.ZONE));
        for (int back = 1; back <= 3; back++) {
            java.time.Instant mid = thisMonth.minusMonths(back).atDay(10).atTime(12, 0).atZone(org.telehall.customer.Customer.ZONE).toInstant();
            usage(s, "DATA", mid, 0, 40L * 1024 * 1024);          // 40 GB a month
            for (int call = 0; call < 4; call++) {
                usage(s, "VOICE", mid.plusSeconds(call * 7200L), 100 * 60, 0); // 400 minutes a month
            }
        }
        usage(s, "DATA", thisMonth.atDay(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant().plusSeconds(60), 0, 500L * 1024 * 1024);

        PlanComparisons.Comparison c = comparisons.compare(s.customerId(), s.lineId());
        assertThat(c.use().dataKb()).isEqualTo(40L * 1024 * 1024);
        assertThat(c.use().voiceMinutes()).isEqualTo(400);
        PlanComparisons.Estimate onSmall = c.plans().stream().filter(e -> e.plan().id().equals(small.id())).findFirst().orElseThrow();
        PlanComparisons.Estimate onBig = c.plans().stream().filter(e -> e.plan().id().equals(big.id())).findFirst().orElseThrow();
        long smallOverage = (40 * 1024 - small.dataMb()) * small.price().dataOveragePerMb().fen()
                + (400 - small.voiceMinutes()) * small.price().voiceOveragePerMinute().fen();
        assertThat(onSmall.current()).isTrue();
        assertThat(onSmall.overage()).isEqualTo(Money.ofFen(smallOverage));
        assertThat(onSmall.perMonth()).isEqualTo(small.price().recurringFee().plus(Money.ofFen(smallOverage)));
        assertThat(onBig.overage()).isEqualTo(Money.ZERO);
        assertThat(onBig.cheapest()).isTrue();
        assertThat(onBig.upgrade()).isTrue();
        assertThat(onSmall.cheapest()).isFalse();
    }

    @Test
    void a_trial_service_is_reminded_once_three_days_before_and_ends_by_itself_unless_renewed() {
        TestSubscriber s = funded("Trial User", Money.ofYuan(50));
        List<Offering> trialOfferings = catalog.onSale().stream().filter(o -> o.isSubscription() && o.trialDays() > 0).limit(2).toList();
        assertThat(trialOfferings).hasSize(2);
        Offering kept = trialOfferings.get(0), lapsed = trialOfferings.get(1);
        for (Offering o : trialOfferings) {
            Order q = orders.quoteAdd(placement(s), o.id());
            assertThat(q.fee()).isEqualTo(Money.ZERO);
            orders.confirm(s.customerId(), q.id(), latestCodeSentTo(s.msisdn()));
            awaitEnd(s, q.id());
            clock.advance(Duration.ofMinutes(2));
        }
        Product keptProduct = held(s, kept), lapsedProduct = held(s, lapsed);
        assertThat(lapsedProduct.trialEndsAt()).isEqualTo(lapsedProduct.startedAt().plus(Duration.ofDays(lapsed.trialDays())));
        assertThat(lapsedProduct.autoRenew()).isFalse();

        Order renewal = orders.quoteRenewal(placement(s), keptProduct.id());
        assertThat(renewal.fee()).isEqualTo(Money.ZERO);
        orders.confirm(s.customerId(), renewal.id(), latestCodeSentTo(s.msisdn()));
        assertThat(awaitEnd(s, renewal.id()).state()).isEqualTo(OrderState.COMPLETED);
        assertThat(held(s, kept).autoRenew()).isTrue();

        // two days before the end (time moved on the products rather than on the shared clock)
        java.sql.Timestamp inTwoDays = java.sql.Timestamp.from(clock.instant().plus(Duration.ofDays(2)));
        jdbc.sql("update product set trial_ends_at = ? where line_id = ? and trial_ends_at is not null").params(inTwoDays, s.lineId()).update();
        long smsBefore = sms.sentTo(s.msisdn(), 100).size();
        trials.run();
        trials.run();
        List<String> reminders = sms.sentTo(s.msisdn(), 100).stream().map(m -> m.body()).filter(b -> b.contains("试用将于")).toList();
        assertThat(reminders).singleElement().satisfies(b -> assertThat(b).contains(lapsed.nameZh()));
        assertThat(sms.sentTo(s.msisdn(), 100)).hasSize((int) smsBefore + 1);

        java.sql.Timestamp justPast = java.sql.Timestamp.from(clock.instant().minusSeconds(1));
        jdbc.sql("update product set trial_ends_at = ? where line_id = ? and trial_ends_at is not null").params(justPast, s.lineId()).update();
        trials.run();
        trials.run();
        assertThat(inventory.inForce(s.lineId(), clock.instant())).extracting(Product::offeringId).contains(kept.id()).doesNotContain(lapsed.id());
        assertThat(sms.sentTo(s.msisdn(), 100).stream().map(m -> m.body()).filter(b -> b.contains("试用已于"))).singleElement()
                .satisfies(b -> assertThat(b).contains(lapsed.nameZh()).contains("未收取任何费用"));
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(50));
    }

    @Test
    void a_sim_replacement_charges_the_card_fee_and_moves_the_line_to_a_new_iccid_even_while_suspended() {
        TestSubscriber s = funded("Lost Phone", Money.ofYuan(30));
        String oldIccid = jdbc.sql("select iccid from line where id = ?").param(s.lineId()).query(String.class).single();
        jdbc.sql("update line set status = 'SUSPENDED' where id = ?").param(s.lineId()).update();
        // a pack cannot be bought on a suspended line, but the lost SIM can be replaced
        Order pack = orders.quoteAdd(placement(s), dataPack().id());
        assertThat(orders.confirm(s.customerId(), pack.id(), latestCodeSentTo(s.msisdn())).order().failureReason())
                .isEqualTo("order.reason.line-not-active");
        clock.advance(Duration.ofMinutes(2));

        Order sim = orders.quoteSimReplacement(placement(s), Orders.SimReason.LOST);
        Offering card = catalog.get(sim.items().get(0).offeringId());
        assertThat(sim.fee()).isEqualTo(card.price().oneTimeFee()).isEqualTo(Money.ofYuan(10));
        orders.confirm(s.customerId(), sim.id(), latestCodeSentTo(s.msisdn()));
        Order done = awaitEnd(s, sim.id());
        assertThat(done.state()).isEqualTo(OrderState.COMPLETED);
        String newIccid = jdbc.sql("select iccid from line where id = ?").param(s.lineId()).query(String.class).single();
        assertThat(newIccid).isNotEqualTo(oldIccid).hasSize(20).startsWith("8986");
        assertThat(done.timeline()).anySatisfy(e -> {
            assertThat(e.step()).isEqualTo(Order.Step.SIM_ACTIVATED);
            assertThat(e.detail()).endsWith(newIccid.substring(14));
        });
        assertThat(done.items().get(0).detail()).startsWith("LOST");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(20));
        assertThat(inventory.ofCustomer(s.customerId())).isEmpty();
    }

    @Test
    void international_roaming_is_switched_on_and_off_by_free_confirmed_orders_and_is_not_a_subscription() {
        TestSubscriber s = funded("Traveller", Money.ZERO);
        Offering roaming = catalog.onSale().stream().filter(Offering::isLineFunction).filter(o -> o.id().contains("roaming"))
                .findFirst().orElseThrow();
        assertThat(roaming.isSubscription()).isFalse();
        Order on = orders.quoteAdd(placement(s), roaming.id());
        assertThat(on.fee()).isEqualTo(Money.ZERO);
        assertThat(inventory.inForce(s.lineId(), clock.instant())).isEmpty();
        orders.confirm(s.customerId(), on.id(), latestCodeSentTo(s.msisdn()));
        assertThat(awaitEnd(s, on.id()).state()).isEqualTo(OrderState.COMPLETED);
        Product held = held(s, roaming);
        assertThatThrownBy(() -> orders.quoteAdd(placement(s), roaming.id()))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "order.already-subscribed");

        clock.advance(Duration.ofMinutes(2));
        Order off = orders.quoteUnsubscribe(placement(s), List.of(held.id()));
        orders.confirm(s.customerId(), off.id(), latestCodeSentTo(s.msisdn()));
        assertThat(awaitEnd(s, off.id()).state()).isEqualTo(OrderState.COMPLETED);
        assertThat(inventory.inForce(s.lineId(), clock.instant())).isEmpty();
    }

    @Test
    void a_new_line_holds_its_number_puts_the_real_name_on_file_and_opens_with_the_plan_after_the_code() {
        TestSubscriber s = funded("New Line Person", Money.ofYuan(200));
        String id = validId("1101011990030712");
        org.telehall.customer.PoolNumber number = numbers.search("", false, 0, 50).stream().filter(n -> !n.lucky()).findFirst().orElseThrow();
        Offering plan = plan(5800);
        Order quoted = orders.quoteNewLine(new Orders.NewLine(s.customerId(), userOf(s), OrderChannel.WEB, number.msisdn().value(),
                "New Line Person", id, plan.id()));
        assertThat(quoted.isNewLine()).isTrue();
        assertThat(quoted.state()).isEqualTo(OrderState.PENDING);
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), org.telehall.customer.Customer.ZONE);
        long daysLeft = today.lengthOfMonth() - today.getDayOfMonth() + 1;
        assertThat(quoted.fee()).isEqualTo(Money.ofFen(Math.round(5800.0 * daysLeft / today.lengthOfMonth())));
        assertThat(numbers.holdOf(s.customerId(), clock.instant())).get().extracting(h -> h.msisdn().value()).isEqualTo(number.msisdn().value());
        assertThat(customers.linesOf(s.customerId())).hasSize(1);

        orders.confirm(s.customerId(), quoted.id(), latestCodeSentTo(s.msisdn()));
        Order done = awaitEnd(s, quoted.id());
        assertThat(done.state()).isEqualTo(OrderState.COMPLETED);
        var line = customers.lineByMsisdn(number.msisdn()).orElseThrow();
        assertThat(line.customerId()).isEqualTo(s.customerId());
        assertThat(done.lineId()).isEqualTo(line.id());
        assertThat(inventory.planOf(line.id(), clock.instant())).get().extracting(Product::offeringId).isEqualTo(plan.id());
        assertThat(allowances.summary(line.id(), clock.instant()).get(UsageType.DATA).total())
                .isEqualTo(Math.round(plan.dataMb() * 1024.0 * daysLeft / today.lengthOfMonth()));
        assertThat(customers.get(s.customerId()).realNameVerified()).isTrue();
        assertThat(realNames.linesHeldBy(id)).isEqualTo(2);
        assertThat(jdbc.sql("select realname_id_cipher from product_order where id = ?").param(quoted.id()).query(String.class).optional())
                .as("the ID number is not kept on the order").isEmpty();
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains(number.msisdn().value()).contains(plan.nameZh());
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }

    @Test
    void the_five_line_limit_counts_every_customer_record_of_the_person_at_the_quote_and_again_at_the_confirmation() {
        String id = validId("3101011985061523");
        TestSubscriber first = funded("Many Lines", Money.ZERO);
        TestSubscriber second = funded("Many Lines", Money.ofYuan(200));
        assertThat(realNames.record(first.customerId(), "Many Lines", id).ok()).isTrue();
        for (int i = 0; i < 3; i++) {
            jdbc.sql("insert into line (customer_id, msisdn, iccid, status) values (?, ?, ?, 'ACTIVE')")
                    .params(first.customerId(), "1709" + first.msisdn().substring(4, 10) + i, "89860999" + first.msisdn().substring(1) + i).update();
        }
        assertThat(realNames.linesHeldBy(id)).isEqualTo(4);
        List<org.telehall.customer.PoolNumber> free = numbers.search("", false, 0, 50).stream().filter(n -> !n.lucky()).toList();

        // the second record of the same person may still quote (4 lines), but a fifth line appears before the confirmation
        Order quoted = orders.quoteNewLine(new Orders.NewLine(second.customerId(), userOf(second), OrderChannel.WEB,
                free.get(1).msisdn().value(), "Many Lines", id, plan(5800).id()));
        jdbc.sql("insert into line (customer_id, msisdn, iccid, status) values (?, ?, ?, 'ACTIVE')")
                .params(first.customerId(), "1709" + first.msisdn().substring(4, 10) + "9", "89860999" + first.msisdn().substring(1) + "9").update();
        Orders.Confirmation c = orders.confirm(second.customerId(), quoted.id(), latestCodeSentTo(second.msisdn()));
        assertThat(c.order().state()).isEqualTo(OrderState.FAILED);
        assertThat(c.order().failureReason()).isEqualTo("order.reason.too-many-lines");
        assertThat(ledger.balanceOf(second.customerId())).isEqualTo(Money.ofYuan(200));
        assertThat(numbers.holdOf(second.customerId(), clock.instant())).as("the number went back to the pool").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> orders.quoteNewLine(new Orders.NewLine(second.customerId(), userOf(second), OrderChannel.WEB,
                free.get(2).msisdn().value(), "Many Lines", id, plan(5800).id())))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "realname.too-many-lines");
        assertThatThrownBy(() -> orders.quoteNewLine(new Orders.NewLine(second.customerId(), userOf(second), OrderChannel.WEB,
                free.get(2).msisdn().value(), "Many Lines", id.substring(0, 17) + (id.charAt(17) == '1' ? '2' : '1'), plan(5800).id())))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "realname.bad-id");
    }

    @Test
    void a_number_held_for_a_quote_nobody_confirms_goes_back_to_the_pool_after_fifteen_minutes() {
        TestSubscriber slow = funded("Slow Chooser", Money.ofYuan(100));
        TestSubscriber next = funded("Next Chooser", Money.ofYuan(100));
        org.telehall.customer.PoolNumber number = numbers.search("", false, 0, 80).stream().filter(n -> !n.lucky()).skip(20).findFirst().orElseThrow();
        Order quoted = orders.quoteNewLine(new Orders.NewLine(slow.customerId(), userOf(slow), OrderChannel.WEB, number.msisdn().value(),
                "Slow Chooser", validId("4401061979120415"), plan(5800).id()));
        assertThatThrownBy(() -> numbers.hold(next.customerId(), number.msisdn(), clock.instant()))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "number.taken");
        String code = latestCodeSentTo(slow.msisdn());

        clock.advance(org.telehall.customer.NumberPool.HOLD_FOR.plusMinutes(1));
        fulfilment.runDue();
        assertThat(orders.get(slow.customerId(), quoted.id()).state()).isEqualTo(OrderState.CANCELLED);
        assertThat(numbers.hold(next.customerId(), number.msisdn(), clock.instant()).customerId()).isEqualTo(next.customerId());
        assertThatThrownBy(() -> orders.confirm(slow.customerId(), quoted.id(), code)).isInstanceOf(BusinessRuleException.class);
        assertThat(ledger.balanceOf(slow.customerId())).isEqualTo(Money.ofYuan(100));
    }

    /** A valid 18-digit ID number: the 16 digits given, a 17th, and the check character GB 11643 computes. */
    private static String validId(String first16) {
        String first17 = first16 + "1";
        return first17 + org.telehall.customer.RealName.checkCharacter(first17);
    }

    private long userOf(TestSubscriber s) {
        return jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
    }

    private Product held(TestSubscriber s, Offering offering) {
        return inventory.inForce(s.lineId(), clock.instant()).stream().filter(p -> p.offeringId().equals(offering.id())).findFirst()
                .orElseThrow(() -> new AssertionError(offering.id() + " not held"));
    }

    /** A 5G plan of the demo catalogue by its monthly fee in fen. */
    private Offering plan(long feeFen) {
        return catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PLAN && o.price().recurringFee().fen() == feeFen)
                .findFirst().orElseThrow();
    }

    /** Puts the plan on the test line with this cycle's allowance, as the demo seeding does. */
    private void givePlan(TestSubscriber s, Offering plan) {
        java.time.Instant now = clock.instant();
        java.time.LocalDate today = java.time.LocalDate.ofInstant(now, org.telehall.customer.Customer.ZONE);
        java.time.Instant start = today.withDayOfMonth(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant();
        Product p = inventory.replacePlan(s.customerId(), s.lineId(), plan, start);
        allowances.grantPlanAllowance(s.lineId(), p.id(), plan.id(), plan.dataMb() * 1024, plan.voiceMinutes(), plan.smsCount(), start,
                today.withDayOfMonth(1).plusMonths(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant());
    }

    private void usage(TestSubscriber s, String type, java.time.Instant at, int seconds, long kb) {
        jdbc.sql("""
                insert into usage_record (network_id, line_id, usage_type, direction, started_at, other_party, duration_sec, volume_kb)
                values (?, ?, ?, 'OUT', ?, '13912345678', ?, ?)
                """).params("test-" + UUID.randomUUID(), s.lineId(), type, java.sql.Timestamp.from(at), seconds, kb).update();
    }

    private TestSubscriber funded(String name, Money balance) {
        TestSubscriber s = testCustomers.subscriber(name);
        if (balance.isPositive()) {
            ledger.credit(new Posting(s.customerId(), balance, "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "test top-up"), "TOPUP");
        }
        return s;
    }

    private Orders.Placement placement(TestSubscriber s) {
        long userId = jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
        return new Orders.Placement(s.customerId(), s.lineId(), userId, OrderChannel.WEB);
    }

    private Offering dataPack() {
        return catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PACK && o.dataMb() > 0 && o.price().oneTimeFee().isPositive()
                && o.validityDays() != null).findFirst().orElseThrow();
    }

    /** Works due orders (moving the clock past retry pauses) until the order ends; the scheduler may also take it. */
    private Order awaitEnd(TestSubscriber s, long orderId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            fulfilment.runDue();
            Order order = orders.get(s.customerId(), orderId);
            if (!order.state().isOpen()) {
                return order;
            }
            clock.advance(Duration.ofSeconds(45));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("order " + orderId + " did not end: " + orders.get(s.customerId(), orderId));
    }
}
