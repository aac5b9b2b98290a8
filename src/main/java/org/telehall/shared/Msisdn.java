package org.telehall.shared;

import java.util.regex.Pattern;

/** A mainland China mobile number, 11 digits starting 13–19. */
public record Msisdn(String value) {

    private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");

    public Msisdn {
        if (value == null || !MOBILE.matcher(value).matches()) {
            throw new IllegalArgumentException("not a mobile number (11 digits starting 13–19): " + value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && MOBILE.matcher(value).matches();
    }

    /** "138****8000": what a screen or an SMS may show. */
    public String masked() {
        return maskNumber(value);
    }

    /**
     * Masks any phone number a call record may hold: mobile numbers keep the first 3 and last 4
     * digits; short service numbers (10086, 95588) are public and stay readable.
     */
    public static String maskNumber(String number) {
        if (number == null || number.length() <= 6) {
            return number;
        }
        int keepEnd = 4;
        int keepStart = Math.min(3, number.length() - keepEnd - 1);
        return number.substring(0, keepStart) + "*".repeat(number.length() - keepStart - keepEnd)
                + number.substring(number.length() - keepEnd);
    }

    @Override
    public String toString() {
        return value;
    }
}
