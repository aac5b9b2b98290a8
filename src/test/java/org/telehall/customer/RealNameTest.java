package org.telehall.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** GB 11643-1999 resident ID numbers: format, region, birth date and the MOD 11-2 check character. */
class RealNameTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    /** A valid number for a region, birth date and sequence, with its check character computed. */
    static String id(String region, String birth, String sequence) {
        String body = region + birth + sequence;
        return body + RealName.checkCharacter(body);
    }

    @Test
    void accepts_a_number_whose_check_digit_matches() {
        assertThat(RealName.validIdNumber("110101199003074514", TODAY)).isTrue();
        assertThat(RealName.validIdNumber("310104198807125526", TODAY)).isTrue();
        assertThat(RealName.validIdNumber("11010519491231002X", TODAY)).isTrue();
    }

    @Test
    void accepts_a_check_character_x_in_either_case_and_with_spaces_around() {
        String withX = "11010519491231002X";
        assertThat(RealName.checkCharacter(withX.substring(0, 17))).isEqualTo('X');
        assertThat(RealName.validIdNumber("11010519491231002x", TODAY)).isTrue();
        assertThat(RealName.validIdNumber(" " + withX + " ", TODAY)).isTrue();
    }

    @Test
    void refuses_a_wrong_check_digit() {
        assertThat(RealName.validIdNumber("110101199003074518", TODAY)).isFalse();
        assertThat(RealName.validIdNumber("110105194912310021", TODAY)).isFalse();
        // every other last digit is wrong
        long valid = 0;
        for (char c : "0123456789X".toCharArray()) {
            if (RealName.validIdNumber("11010119900307451" + c, TODAY)) {
                valid++;
            }
        }
        assertThat(valid).isEqualTo(1);
    }

    @Test
    void refuses_a_birth_date_that_does_not_exist_or_has_not_happened() {
        assertThat(RealName.validIdNumber(id("110101", "19900230", "451"), TODAY)).isFalse();
        assertThat(RealName.validIdNumber(id("110101", "19901301", "451"), TODAY)).isFalse();
        assertThat(RealName.validIdNumber(id("110101", "20261124", "451"), TODAY)).isFalse();
        assertThat(RealName.validIdNumber(id("110101", "18991231", "451"), TODAY)).isFalse();
        assertThat(RealName.validIdNumber(id("110101", "20000229", "451"), TODAY)).isTrue();
        assertThat(RealName.validIdNumber(id("110101", "20261123", "451"), TODAY)).isTrue();
    }

    @Test
    void refuses_an_unknown_province_and_malformed_input() {
        assertThat(RealName.validIdNumber(id("990101", "19900307", "451"), TODAY)).isFalse();
        assertThat(RealName.validIdNumber(id("000101", "19900307", "451"), TODAY)).isFalse();
        assertThat(RealName.validIdNumber("11010119900307451", TODAY)).isFalse();
        assertThat(RealName.validIdNumber("1101011990030745144", TODAY)).isFalse();
        assertThat(RealName.validIdNumber("11010119900307X514", TODAY)).isFalse();
        assertThat(RealName.validIdNumber("", TODAY)).isFalse();
        assertThat(RealName.validIdNumber(null, TODAY)).isFalse();
    }

    @Test
    void prices_lucky_tails_and_leaves_plain_numbers_free() {
        assertThat(LuckyPatterns.of("18801888888")).get().extracting(LuckyPatterns.Lucky::pattern).isEqualTo("8888");
        assertThat(LuckyPatterns.of("18801883333")).get().extracting(LuckyPatterns.Lucky::pattern).isEqualTo("AAAA");
        assertThat(LuckyPatterns.of("18801881234")).get().extracting(LuckyPatterns.Lucky::pattern).isEqualTo("ABCD");
        assertThat(LuckyPatterns.of("18801881314")).get().extracting(LuckyPatterns.Lucky::pattern).isEqualTo("1314");
        assertThat(LuckyPatterns.of("18801880520")).get().extracting(LuckyPatterns.Lucky::pattern).isEqualTo("520");
        assertThat(LuckyPatterns.of("18801888888").get().price())
                .isGreaterThan(LuckyPatterns.of("18801883333").get().price());
        assertThat(LuckyPatterns.of("18801883333").get().price())
                .isGreaterThan(LuckyPatterns.of("18801881234").get().price());
        assertThat(LuckyPatterns.of("18801884071")).isEmpty();
    }

    @Test
    void iccids_end_in_a_luhn_check_digit() {
        // the textbook example: 7992739871 takes check digit 3
        assertThat(NumberPool.luhn("7992739871")).isEqualTo(3);
        assertThat(NumberPool.luhn("1234567812345670".substring(0, 15))).isEqualTo(0);
    }
}
