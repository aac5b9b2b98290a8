package org.telehall.customer;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Set;

/**
 * Real-name rules for opening a line: a well-formed mainland resident ID number, and at most
 * {@link #MAX_LINES_PER_PERSON} lines per person with the operator.
 */
public final class RealName {

    /** MIIT: one person holds at most five lines with one operator. */
    public static final int MAX_LINES_PER_PERSON = 5;

    /** GB/T 2260 province-level codes: the first two digits of every resident ID. */
    private static final Set<String> PROVINCES = Set.of(
            "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
            "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
            "71", "81", "82");
    /** ISO 7064 MOD 11-2 weights of the first 17 digits, and the check character for each remainder. */
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";

    private RealName() {
    }

    /** As {@link #validIdNumber(String, LocalDate)} for today in China. */
    public static boolean validIdNumber(String id) {
        return validIdNumber(id, LocalDate.now(Customer.ZONE));
    }

    /**
     * A GB 11643-1999 resident ID number: 18 characters, a province code, a birth date that exists
     * and is not after {@code today}, a sequence number, and the MOD 11-2 check character (X for 10,
     * either case).
     */
    public static boolean validIdNumber(String id, LocalDate today) {
        if (id == null) {
            return false;
        }
        String n = IdNumberCipher.normalize(id);
        if (!n.matches("\\d{17}[\\dX]") || !PROVINCES.contains(n.substring(0, 2))) {
            return false;
        }
        LocalDate born;
        try {
            born = LocalDate.of(Integer.parseInt(n.substring(6, 10)), Integer.parseInt(n.substring(10, 12)),
                    Integer.parseInt(n.substring(12, 14)));
        } catch (DateTimeException e) {
            return false;
        }
        if (born.getYear() < 1900 || born.isAfter(today)) {
            return false;
        }
        return n.charAt(17) == checkCharacter(n.substring(0, 17));
    }

    /** The MOD 11-2 check character for the first 17 digits of an ID number. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11);
    }
}
