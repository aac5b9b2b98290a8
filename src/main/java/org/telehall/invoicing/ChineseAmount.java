package org.telehall.invoicing;

import org.telehall.shared.Money;

/** 价税合计（大写）: an amount written in the financial numerals that cannot be altered by a stroke (壹佰元整). */
final class ChineseAmount {

    private static final String DIGITS = "零壹贰叁肆伍陆柒捌玖";
    private static final String[] UNITS = {"", "拾", "佰", "仟"};
    private static final String[] GROUPS = {"", "万", "亿", "万亿", "亿亿"};

    private ChineseAmount() {
    }

    static String of(Money money) {
        long fen = Math.abs(money.fen());
        long yuan = fen / 100;
        int jiao = (int) (fen % 100 / 10);
        int cents = (int) (fen % 10);
        StringBuilder sb = new StringBuilder(money.isNegative() ? "负" : "");
        if (yuan > 0) {
            sb.append(integer(yuan)).append('元');
        }
        if (jiao == 0 && cents == 0) {
            return sb.append(yuan == 0 ? "零元整" : "整").toString();
        }
        if (jiao > 0) {
            sb.append(DIGITS.charAt(jiao)).append('角');
        } else if (yuan > 0) {
            sb.append('零');
        }
        if (cents > 0) {
            sb.append(DIGITS.charAt(cents)).append('分');
        } else {
            sb.append('整');
        }
        return sb.toString();
    }

    private static String integer(long n) {
        String s = Long.toString(n);
        int len = s.length();
        StringBuilder sb = new StringBuilder();
        boolean pendingZero = false;
        for (int i = 0; i < len; i++) {
            int d = s.charAt(i) - '0';
            int pos = len - 1 - i;
            if (d == 0) {
                pendingZero = sb.length() > 0;
            } else {
                if (pendingZero) {
                    sb.append('零');
                    pendingZero = false;
                }
                sb.append(DIGITS.charAt(d)).append(UNITS[pos % 4]);
            }
            if (pos % 4 == 0 && pos > 0 && groupHasDigits(s, i)) {
                sb.append(GROUPS[pos / 4]);
            }
        }
        return sb.toString();
    }

    /** Whether the 4-digit group ending at index {@code end} has a non-zero digit. */
    private static boolean groupHasDigits(String s, int end) {
        for (int j = Math.max(0, end - 3); j <= end; j++) {
            if (s.charAt(j) != '0') {
                return true;
            }
        }
        return false;
    }
}
