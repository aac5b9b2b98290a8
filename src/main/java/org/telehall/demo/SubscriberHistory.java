package org.telehall.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.springframework.stereotype.Component;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;

/**
 * Makes a believable past for one demo customer: three months of calls, SMS and data on each line,
 * rated against the plan and packs in force (packs nearest expiry first, then the plan, then the
 * overage rate), monthly fees and top-ups through the ledger, and the current cycle's buckets.
 * Deterministic for a given seed and day.
 */
@Component
class SubscriberHistory {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** A line to give a past to: its plan, packs (with start) and services (with start). */
    record LinePlan(long customerId, long lineId, String msisdn, String planId, List<Held> packs, List<Held> services,
                    double dataGbPerDay, double callsPerDay) {
    }

    record Held(String offeringId, Instant startedAt) {
    }

    private record Charge(Instant at, long fen, String reason, String text, String key) {
    }

    private final DemoWriter writer;
    private final Catalog catalog;
    private final Ledger ledger;
    private final Clock clock;

    SubscriberHistory(DemoWriter writer, Catalog catalog, Ledger ledger, Clock clock) {
        this.writer = writer;
        this.catalog = catalog;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Writes the lines' past and the customer's money history; returns the closing balance. */
    Money write(long customerId, List<LinePlan> lines, long monthlyTopUpFen, long openingTopUpFen, Random random) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZONE);
        LocalDate historyStart = today.withDayOfMonth(1).minusMonths(2);
        List<Charge> money = new ArrayList<>();
        money.add(new Charge(atZone(historyStart.minusDays(1), 20, 0), openingTopUpFen, ReasonCodes.TOPUP,
                "alipay", "demo:topup:" + customerId + ":opening"));

        for (LinePlan line : lines) {
            Offering plan = catalog.get(line.planId());
            writer.product(customerId, line.lineId(), plan.id(), "PLAN", atZone(historyStart.minusMonths(6), 10, 0), null, null,
                    true, plan.price().recurringFee().fen(), 0);
            List<Pack> packs = new ArrayList<>();
            for (Held held : line.packs()) {
                Offering pack = catalog.get(held.offeringId());
                Instant ends = held.startedAt().plus(Duration.ofDays(pack.validityDays()));
                long productId = writer.product(customerId, line.lineId(), pack.id(), "PACK", held.startedAt(), ends, null,
                        false, 0, pack.price().oneTimeFee().fen());
                packs.add(new Pack(pack, productId, held.startedAt(), ends));
                money.add(new Charge(held.startedAt(), pack.price().oneTimeFee().fen(), ReasonCodes.PACK_FEE, pack.nameZh(),
                        "demo:pack:" + productId));
            }
            List<Offering> services = new ArrayList<>();
            List<Instant> serviceStarts = new ArrayList<>();
            for (Held held : line.services()) {
                Offering service = catalog.get(held.offeringId());
                Instant trialEnds = service.trialDays() > 0 ? held.startedAt().plus(Duration.ofDays(service.trialDays())) : null;
                writer.product(customerId, line.lineId(), service.id(), "SERVICE", held.startedAt(), null, trialEnds, true,
                        service.price().recurringFee().fen(), 0);
                services.add(service);
                serviceStarts.add(trialEnds != null ? trialEnds : held.startedAt());
            }
            for (LocalDate month = historyStart; !month.isAfter(today); month = month.plusMonths(1)) {
                Instant monthStart = atZone(month, 0, 5);
                money.add(new Charge(monthStart, plan.price().recurringFee().fen(), ReasonCodes.PLAN_FEE, plan.nameZh(),
                        "demo:fee:" + line.lineId() + ":" + month));
                for (int i = 0; i < services.size(); i++) {
                    if (serviceStarts.get(i).isBefore(monthStart)) {
                        money.add(new Charge(monthStart.plusSeconds(60L + i), services.get(i).price().recurringFee().fen(),
                                ReasonCodes.SERVICE_FEE, services.get(i).nameZh(), "demo:vas:" + line.lineId() + ":" + services.get(i).id() + ":" + month));
                    }
                }
                if (month.isAfter(historyStart)) {
                    money.add(new Charge(atZone(month.minusDays(1), 20, 30), monthlyTopUpFen, ReasonCodes.TOPUP, "wechat",
                            "demo:topup:" + customerId + ":" + month));
                }
                money.addAll(usageForMonth(line, plan, packs, month, today, now, random));
            }
        }
        money.sort(Comparator.comparing(Charge::at));
        Money balance = Money.ZERO;
        for (Charge c : money) {
            boolean credit = ReasonCodes.TOPUP.equals(c.reason());
            balance = ledger.postAt(new Posting(customerId, Money.ofFen(c.fen()), c.key(), c.reason(), c.text()), credit,
                    credit ? "TOPUP" : "CHARGE", c.at()).balanceAfter();
        }
        return balance;
    }

    private static final class Pack {
        final Offering offering;
        final long productId;
        final Instant from;
        final Instant to;
        long usedKb;
        long usedMinutes;

        Pack(Offering offering, long productId, Instant from, Instant to) {
            this.offering = offering;
            this.productId = productId;
            this.from = from;
            this.to = to;
        }

        boolean validAt(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }
    }

    /** Generates and rates one month of one line's usage; returns the day's overage charges. */
    private List<Charge> usageForMonth(LinePlan line, Offering plan, List<Pack> packs, LocalDate month, LocalDate today,
                                       Instant now, Random random) {
        long planDataKb = plan.dataMb() * 1024;
        long planMinutes = plan.voiceMinutes();
        long planSms = plan.smsCount();
        long usedDataKb = 0;
        long usedMinutes = 0;
        long usedSms = 0;
        List<DemoWriter.Usage> records = new ArrayList<>();
        List<Charge> charges = new ArrayList<>();
        LocalDate last = month.plusMonths(1).minusDays(1);
        if (last.isAfter(today)) {
            last = today;
        }
        for (LocalDate day = month; !day.isAfter(last); day = day.plusDays(1)) {
            List<DemoWriter.Usage> dayRecords = new ArrayList<>();
            int calls = (int) Math.round(line.callsPerDay() * (0.5 + random.nextDouble()));
            for (int i = 0; i < calls; i++) {
                boolean out = random.nextInt(10) < 6;
                int seconds = 15 + random.nextInt(random.nextInt(10) == 0 ? 1800 : 420);
                dayRecords.add(new DemoWriter.Usage(null, line.lineId(), "VOICE", out ? "OUT" : "IN", randomTime(day, random),
                        otherParty(random), seconds, 0, null, 0));
            }
            int sms = random.nextInt(3);
            for (int i = 0; i < sms; i++) {
                dayRecords.add(new DemoWriter.Usage(null, line.lineId(), "SMS", "OUT", randomTime(day, random),
                        otherParty(random), 0, 0, null, 0));
            }
            int sessions = 3 + random.nextInt(4);
            long dayKb = (long) (line.dataGbPerDay() * 1024 * 1024 * (0.4 + 1.2 * random.nextDouble()));
            for (int i = 0; i < sessions; i++) {
                dayRecords.add(new DemoWriter.Usage(null, line.lineId(), "DATA", "OUT", randomTime(day, random), null, 0,
                        Math.max(64, dayKb / sessions), null, 0));
            }
            dayRecords.sort(Comparator.comparing(DemoWriter.Usage::startedAt));
            long dayCharge = 0;
            for (DemoWriter.Usage u : dayRecords) {
                if (u.startedAt().isAfter(now)) {
                    continue;
                }
                long charge = 0;
                switch (u.type()) {
                    case "VOICE" -> {
                        if ("OUT".equals(u.direction())) {
                            long minutes = (u.durationSec() + 59) / 60;
                            long fromPacks = consumeMinutes(packs, u.startedAt(), minutes);
                            long fromPlan = Math.min(minutes - fromPacks, Math.max(0, planMinutes - usedMinutes));
                            usedMinutes += fromPlan;
                            charge = (minutes - fromPacks - fromPlan) * plan.price().voiceOveragePerMinute().fen();
                        }
                    }
                    case "SMS" -> {
                        if (usedSms < planSms) {
                            usedSms++;
                        } else {
                            charge = plan.price().smsOverage().fen();
                        }
                    }
                    default -> {
                        long kb = u.volumeKb();
                        long fromPacks = consumeKb(packs, u.startedAt(), kb);
                        long fromPlan = Math.min(kb - fromPacks, Math.max(0, planDataKb - usedDataKb));
                        usedDataKb += fromPlan;
                        long overKb = kb - fromPacks - fromPlan;
                        charge = ((overKb + 1023) / 1024) * plan.price().dataOveragePerMb().fen();
                    }
                }
                dayCharge += charge;
                records.add(new DemoWriter.Usage("demo-" + line.lineId() + "-" + records.size() + "-" + month, u.lineId(), u.type(),
                        u.direction(), u.startedAt(), u.otherParty(), u.durationSec(), u.volumeKb(), null, charge));
            }
            if (dayCharge > 0) {
                charges.add(new Charge(atZone(day, 23, 59), dayCharge, ReasonCodes.USAGE_DATA, "",
                        "demo:usage:" + line.lineId() + ":" + day));
            }
        }
        writer.usage(records);
        if (month.getMonth() == today.getMonth() && month.getYear() == today.getYear()) {
            Instant from = atZone(month, 0, 0);
            Instant to = atZone(month.plusMonths(1), 0, 0);
            writer.bucket(line.lineId(), "DATA", "PLAN", null, plan.id(), planDataKb, usedDataKb, from, to);
            writer.bucket(line.lineId(), "VOICE", "PLAN", null, plan.id(), planMinutes, usedMinutes, from, to);
            writer.bucket(line.lineId(), "SMS", "PLAN", null, plan.id(), planSms, usedSms, from, to);
            for (Pack p : packs) {
                if (p.to.isAfter(now)) {
                    boolean data = p.offering.dataMb() > 0;
                    writer.bucket(line.lineId(), data ? "DATA" : "VOICE", "PACK", p.productId, p.offering.id(),
                            data ? p.offering.dataMb() * 1024 : p.offering.voiceMinutes(), data ? p.usedKb : p.usedMinutes, p.from, p.to);
                }
            }
        }
        return charges;
    }

    private static long consumeKb(List<Pack> packs, Instant at, long kb) {
        long taken = 0;
        for (Pack p : packs.stream().filter(p -> p.validAt(at) && p.offering.dataMb() > 0 && p.offering.roamingZone() == null)
                .sorted(Comparator.comparing(p -> p.to)).toList()) {
            long take = Math.min(kb - taken, p.offering.dataMb() * 1024 - p.usedKb);
            p.usedKb += take;
            taken += take;
        }
        return taken;
    }

    private static long consumeMinutes(List<Pack> packs, Instant at, long minutes) {
        long taken = 0;
        for (Pack p : packs.stream().filter(p -> p.validAt(at) && p.offering.voiceMinutes() > 0)
                .sorted(Comparator.comparing(p -> p.to)).toList()) {
            long take = Math.min(minutes - taken, p.offering.voiceMinutes() - p.usedMinutes);
            p.usedMinutes += take;
            taken += take;
        }
        return taken;
    }

    private static Instant randomTime(LocalDate day, Random random) {
        return atZone(day, 7 + random.nextInt(17), random.nextInt(60)).plusSeconds(random.nextInt(60));
    }

    private static String otherParty(Random random) {
        if (random.nextInt(25) == 0) {
            return random.nextBoolean() ? "10086" : "95588";
        }
        return "1" + (3 + random.nextInt(7)) + String.format("%09d", random.nextInt(1_000_000_000));
    }

    static Instant atZone(LocalDate day, int hour, int minute) {
        return ZonedDateTime.of(day.atTime(hour, minute), ZONE).toInstant();
    }
}
