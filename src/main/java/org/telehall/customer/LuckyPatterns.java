package org.telehall.customer;

import java.util.Optional;
import org.telehall.shared.Money;

/**
 * What makes a number lucky, and what it costs: the tail patterns Chinese operators price (a run of
 * one digit, a straight, 1314 "一生一世", 520 "我爱你"). The first rule that matches sets the price.
 */
final class LuckyPatterns {

    record Lucky(String pattern, Money price) {
    }

    private LuckyPatterns() {
    }

    static Optional<Lucky> of(String msisdn) {
        String tail = msisdn.substring(msisdn.length() - 4);
        char a = tail.charAt(0), b = tail.charAt(1), c = tail.charAt(2), d = tail.charAt(3);
        if (a == b && b == c && c == d) {
            return a == '8' || a == '6' || a == '9'
                    ? lucky(tail, 2000) : lucky("AAAA", 1000);
        }
        if (tail.equals("1314")) {
            return lucky("1314", 800);
        }
        if (b == a + 1 && c == b + 1 && d == c + 1) {
            return lucky("ABCD", 500);
        }
        if (b == a - 1 && c == b - 1 && d == c - 1) {
            return lucky("DCBA", 300);
        }
        if (b == c && c == d) {
            return b == '8' || b == '6' ? lucky(tail.substring(1), 600) : lucky("AAA", 300);
        }
        if (a == b && c == d) {
            return lucky("AABB", 200);
        }
        if (a == c && b == d) {
            return lucky("ABAB", 150);
        }
        if (tail.endsWith("520")) {
            return lucky("520", 200);
        }
        if (tail.endsWith("168")) {
            return lucky("168", 100);
        }
        return Optional.empty();
    }

    private static Optional<Lucky> lucky(String pattern, long yuan) {
        return Optional.of(new Lucky(pattern, Money.ofYuan(yuan)));
    }
}
