package org.telehall.usage.web;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.usage.UsageQuery;
import org.telehall.usage.UsageRecords;
import org.telehall.usage.UsageType;

/** 详单: the current line's records for one of the last 6 months, filtered by type. */
@Controller
class UsageDetailController {

    static final int PAGE_SIZE = 30;

    private final UsageRecords records;
    private final LineSelection lineSelection;
    private final Clock clock;

    UsageDetailController(UsageRecords records, LineSelection lineSelection, Clock clock) {
        this.records = records;
        this.lineSelection = lineSelection;
        this.clock = clock;
    }

    @GetMapping("/usage")
    String details(@AuthenticationPrincipal HallUser me, HttpSession session,
                   @RequestParam(required = false) String month, @RequestParam(required = false) String type,
                   @RequestParam(defaultValue = "0") int page, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        YearMonth current = YearMonth.now(clock.withZone(ZoneId.of("Asia/Shanghai")));
        var months = UsageRecords.monthsOnline(current);
        YearMonth chosen = current;
        if (month != null && !month.isBlank()) {
            try {
                chosen = YearMonth.parse(month);
            } catch (DateTimeParseException e) {
                model.addAttribute("error", "usage.error.month");
            }
            if (!months.contains(chosen)) {
                model.addAttribute("error", "usage.error.month");
                chosen = current;
            }
        }
        UsageType chosenType = null;
        if (type != null && !type.isBlank()) {
            try {
                chosenType = UsageType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                model.addAttribute("error", "usage.error.type");
            }
        }
        int safePage = Math.max(0, page);
        UsageQuery query = new UsageQuery(line.id(), chosen, chosenType, safePage * PAGE_SIZE, PAGE_SIZE);
        long total = records.count(query);
        model.addAttribute("line", line);
        model.addAttribute("months", months);
        model.addAttribute("month", chosen);
        model.addAttribute("type", chosenType);
        model.addAttribute("types", UsageType.values());
        model.addAttribute("records", records.find(query));
        model.addAttribute("total", total);
        model.addAttribute("page", safePage);
        model.addAttribute("hasNext", (long) (safePage + 1) * PAGE_SIZE < total);
        return "usage/details";
    }
}
