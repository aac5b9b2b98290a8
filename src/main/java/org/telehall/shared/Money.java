package org.telehall.shared;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of Chinese yuan held as integer fen (分); never a double, so sums are exact.
 */
public record Money(long fen) implements Comparable<Money> {

    public static final Money ZERO = new Money(0);
    public static final String CURRENCY = "CNY";

    public static Money ofFen(long fen) {
        return new Money(fen);
    }

    public static Money ofYuan(long yuan) {
        return new Money(Math.multiplyExact(yuan, 100L));
    }

    /** Parses "12.34" or "12" yuan; rejects more than two decimals rather than rounding money away. */
    public static Money parseYuan(String yuan) {
        try {
            BigDecimal value = new BigDecimal(yuan.trim());
            return new Money(value.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY).longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not an amount of yuan with at most two decimals: " + yuan);
        }
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(fen, other.fen));
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(fen, other.fen));
    }

    public Money negate() {
        return new Money(Math.negateExact(fen));
    }

    public Money times(long factor) {
        return new Money(Math.multiplyExact(fen, factor));
    }

    public boolean isNegative() {
        return fen < 0;
    }

    public boolean isPositive() {
        return fen > 0;
    }

    /** Yuan as a decimal with two places, the form TMF Money values and receipts use. */
    public BigDecimal yuan() {
        return BigDecimal.valueOf(fen, 2);
    }

    /** "¥12.34", "-¥0.50". */
    public String display() {
        return (fen < 0 ? "-¥" : "¥") + BigDecimal.valueOf(Math.abs(fen), 2).toPlainString();
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(fen, other.fen);
    }

    @Override
    public String toString() {
        return display();
    }
}
