package org.telehall.billing.web;

import java.util.ArrayList;
import java.util.List;
import org.telehall.billing.Bills;

/**
 * The geometry of the year chart, worked out here so the template only draws: one bar per month,
 * scaled to the dearest month, with room below for the month labels and above for the amounts.
 */
record SpendChart(int width, int height, int baseline, List<Bar> bars, String max) {

    record Bar(int x, int y, int barWidth, int barHeight, int labelX, int year, int month, String amount, boolean live, long billId) {
    }

    static final int WIDTH = 360;
    static final int HEIGHT = 200;
    private static final int TOP = 22;
    private static final int BOTTOM = 24;

    static SpendChart of(List<Bills.MonthSpend> months) {
        long max = Math.max(1, months.stream().mapToLong(m -> Math.max(0, m.total().fen())).max().orElse(1));
        int baseline = HEIGHT - BOTTOM;
        int slot = WIDTH / Math.max(months.size(), 1);
        int barWidth = Math.max(8, Math.min(36, slot - 8));
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            Bills.MonthSpend m = months.get(i);
            int h = (int) Math.round((double) Math.max(0, m.total().fen()) / max * (baseline - TOP));
            int x = i * slot + (slot - barWidth) / 2;
            bars.add(new Bar(x, baseline - h, barWidth, Math.max(h, 1), x + barWidth / 2, m.month().getYear(), m.month().getMonthValue(),
                    m.total().display(), m.live(), m.billId()));
        }
        return new SpendChart(WIDTH, HEIGHT, baseline, bars, org.telehall.shared.Money.ofFen(max).display());
    }
}
