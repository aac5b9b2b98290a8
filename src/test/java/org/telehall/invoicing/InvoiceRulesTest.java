package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.telehall.shared.Money;

/** The rules an invoice is built on: the credit-code checksum, the tax split and the amount in financial numerals. */
class InvoiceRulesTest {

    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @Test
    void a_known_credit_code_checks_out_and_any_single_changed_character_is_caught() {
        assertThat(CreditCode.isValid("91350100M000100Y43")).isTrue();
        assertThat(CreditCode.isValid("91110108MA01THLL07")).isTrue();
        assertThat(CreditCode.isValid("91350100M000100Y4")).isFalse();
        assertThat(CreditCode.isValid("91350100M000100Y4I")).isFalse();
        assertThat(CreditCode.isValid(null)).isFalse();

        Random random = new Random(SEED);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 17; i++) {
                body.append(CreditCode.ALPHABET.charAt(random.nextInt(CreditCode.ALPHABET.length())));
            }
            String code = body.toString() + CreditCode.checkCharacterOf(body.toString());
            assertThat(CreditCode.isValid(code)).as("seed %d: %s", SEED, code).isTrue();
            int at = random.nextInt(18);
            char other;
            do {
                other = CreditCode.ALPHABET.charAt(random.nextInt(CreditCode.ALPHABET.length()));
            } while (other == code.charAt(at));
            String typo = code.substring(0, at) + other + code.substring(at + 1);
            assertThat(CreditCode.isValid(typo)).as("seed %d: %s (typo of %s)", SEED, typo, code).isFalse();
        }
    }

    @Test
    void net_and_tax_add_up_to_the_amount_paid_and_the_tax_is_the_rate_of_the_net_to_the_fen() {
        assertThat(Invoices.split(Money.ofYuan(50), 900)).containsExactly(Money.ofFen(4587), Money.ofFen(413));
        assertThat(Invoices.split(Money.ofYuan(100), 600)).containsExactly(Money.ofFen(9434), Money.ofFen(566));
        assertThat(Invoices.split(Money.ofYuan(-50), 900)).containsExactly(Money.ofFen(-4587), Money.ofFen(-413));
        Random random = new Random(SEED);
        for (int n = 0; n < 5_000; n++) {
            long fen = 1 + random.nextInt(10_000_000);
            int bp = random.nextBoolean() ? 900 : 600;
            Money[] split = Invoices.split(Money.ofFen(fen), bp);
            assertThat(split[0].plus(split[1])).as("seed %d, %d fen", SEED, fen).isEqualTo(Money.ofFen(fen));
            // the tax differs from net × rate by less than a fen (the net was rounded, not the tax)
            double exact = split[0].fen() * bp / 10_000.0;
            assertThat(Math.abs(split[1].fen() - exact)).as("seed %d, %d fen at %d bp", SEED, fen, bp).isLessThan(1.0);
        }
    }

    @Test
    void amounts_are_written_in_financial_numerals() {
        assertThat(ChineseAmount.of(Money.ofYuan(50))).isEqualTo("伍拾元整");
        assertThat(ChineseAmount.of(Money.ofYuan(100))).isEqualTo("壹佰元整");
        assertThat(ChineseAmount.of(Money.ofFen(123456))).isEqualTo("壹仟贰佰叁拾肆元伍角陆分");
        assertThat(ChineseAmount.of(Money.ofFen(100500))).isEqualTo("壹仟零伍元整");
        assertThat(ChineseAmount.of(Money.ofFen(1005))).isEqualTo("壹拾元零伍分");
        assertThat(ChineseAmount.of(Money.ofFen(50))).isEqualTo("伍角整");
        assertThat(ChineseAmount.of(Money.ofFen(5))).isEqualTo("伍分");
        assertThat(ChineseAmount.of(Money.ZERO)).isEqualTo("零元整");
        assertThat(ChineseAmount.of(Money.ofYuan(100_005))).isEqualTo("壹拾万零伍元整");
        assertThat(ChineseAmount.of(Money.ofYuan(10_000_000))).isEqualTo("壹仟万元整");
        assertThat(ChineseAmount.of(Money.ofYuan(100_010_000))).isEqualTo("壹亿零壹万元整");
        assertThat(ChineseAmount.of(Money.ofYuan(-50))).isEqualTo("负伍拾元整");
    }
}
