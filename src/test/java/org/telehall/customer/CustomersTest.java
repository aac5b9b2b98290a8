package org.telehall.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;

/** A customer read together with their lines is the same customer and lines as read apart. */
class CustomersTest extends HallIntegrationTest {

    @Autowired Customers customers;
    @Autowired TestCustomers testCustomers;

    @Test
    void a_customer_with_lines_is_the_customer_and_every_line_oldest_first() {
        long demo = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow().customerId();
        CustomerWithLines held = customers.withLines(demo);
        assertThat(held.customer()).isEqualTo(customers.get(demo));
        assertThat(held.lines()).hasSize(2).isEqualTo(customers.linesOf(demo));
        assertThat(held.lines().get(0).msisdn().value()).isEqualTo(DEMO_MSISDN);
    }

    @Test
    void a_customer_whose_only_line_was_moved_away_has_none_and_an_unknown_customer_is_not_found() {
        var subscriber = testCustomers.subscriber("王五");
        assertThat(customers.withLines(subscriber.customerId()).lines()).extracting(Line::id).containsExactly(subscriber.lineId());
        long other = testCustomers.subscriber("赵六").customerId();
        jdbc.sql("update line set customer_id = ? where id = ?").params(other, subscriber.lineId()).update();
        assertThat(customers.withLines(subscriber.customerId()).lines()).isEmpty();
        assertThat(customers.withLines(subscriber.customerId()).customer().name()).isEqualTo("王五");
        assertThatThrownBy(() -> customers.withLines(-1)).isInstanceOf(NotFoundException.class);
    }
}
