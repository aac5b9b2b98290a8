package org.telehall.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.shared.NotFoundException;
import org.telehall.support.HallIntegrationTest;

/** Pages show an offering as read moments ago; what is ordered and charged is always read afresh. */
class CatalogTest extends HallIntegrationTest {

    @Autowired Catalog catalog;

    @Test
    void an_offering_as_shown_is_the_offering_with_its_price_now_kept_for_the_next_page() {
        Offering shown = catalog.shown("plan-5g-128");
        assertThat(shown).isEqualTo(catalog.get("plan-5g-128"));
        assertThat(shown.price().recurringFee().display()).isEqualTo("¥128.00");
        assertThat(catalog.shown("plan-5g-128")).isSameAs(shown);
        assertThat(catalog.get("plan-5g-128")).isNotSameAs(shown);
    }

    @Test
    void an_unknown_offering_is_not_found_and_not_remembered_as_missing() {
        assertThatThrownBy(() -> catalog.shown("no-such-plan")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> catalog.shown("no-such-plan")).isInstanceOf(NotFoundException.class);
    }
}
