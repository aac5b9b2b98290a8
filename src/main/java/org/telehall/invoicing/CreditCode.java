package org.telehall.invoicing;

import java.util.Locale;

/**
 * A unified social credit code (统一社会信用代码, GB 32100-2015): the 18-character tax id of a
 * Chinese company. The last character is a check character over the first 17 (weights 3^i mod 31 in
 * an alphabet of 31 characters without I, O, Z, S, V), so a mistyped code is caught before an invoice
 * carries it.
 */
public record CreditCode(String value) {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    public CreditCode {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a unified social credit code (18 characters with a valid check character): " + value);
        }
    }

    /** What a person typed, without spaces and in upper case. */
    public static String normalise(String typed) {
        return typed == null ? null : typed.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
    }

    public static boolean isValid(String code) {
        if (code == null || code.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = ALPHABET.indexOf(code.charAt(i));
            if (v < 0) {
                return false;
            }
            sum += v * WEIGHTS[i];
        }
        return code.charAt(17) == checkCharacter(sum);
    }

    /** The check character for the first 17 characters (which must come from the alphabet). */
    static char checkCharacterOf(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
        }
        return checkCharacter(sum);
    }

    private static char checkCharacter(int sum) {
        int c = 31 - sum % 31;
        return ALPHABET.charAt(c == 31 ? 0 : c);
    }

    @Override
    public String toString() {
        return value;
    }
}
