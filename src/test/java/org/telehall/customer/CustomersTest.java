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
    void a_customer_without_lines_has_none_and_an_unknown_customer_is_not_found() {
        var subscriber = testCustomers.subscriber("王五");
        assertThat(customers.withLines(subscriber.customerId()).lines()).extracting(Line::id).containsExactly(subscriber.lineId());
        // a customer on the books before any line is theirs (lines never change hands: see V96)
        long lineless = jdbc.sql("""
                insert into customer (kind, name, id_number_masked, real_name_verified) values ('PERSON', '赵六', '110101********0000', true)
                returning id""").query(Long.class).single();
        assertThat(customers.withLines(lineless).lines()).isEmpty();
        assertThat(customers.withLines(lineless).customer().name()).isEqualTo("赵六");
        assertThatThrownBy(() -> customers.withLines(-1)).isInstanceOf(NotFoundException.class);
    }
}
