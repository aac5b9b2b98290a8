package org.telehall.billing.web;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.telehall.billing.Bill;
import org.telehall.billing.BillCategory;
import org.telehall.billing.BillItem;
import org.telehall.billing.Bills;
import org.telehall.identity.HallUser;

/** 账单: the customer's bills with a year chart of monthly spend, one bill with the movements behind each category, and this cycle so far. */
@Controller
class BillPagesController {

    private final Bills bills;

    BillPagesController(Bills bills) {
        this.bills = bills;
    }

    @GetMapping("/bills")
    String list(@AuthenticationPrincipal HallUser me, Model model) {
        long customerId = me.requireCustomerId();
        model.addAttribute("current", bills.current(customerId));
        model.addAttribute("bills", bills.of(customerId, 24));
        model.addAttribute("chart", SpendChart.of(bills.year(customerId)));
        return "billing/bills";
    }

    @GetMapping("/bills/current")
    String current(@AuthenticationPrincipal HallUser me, Model model) {
        return show(bills.current(me.requireCustomerId()), model);
    }

    @GetMapping("/bills/{id:\\d+}")
    String bill(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        return show(bills.get(me.requireCustomerId(), id), model);
    }

    private String show(Bill bill, Model model) {
        model.addAttribute("bill", bill);
        model.addAttribute("categories", BillCategory.values());
        List<BillItem> items = bills.items(bill);
        Map<BillCategory, List<BillItem>> byCategory = new EnumMap<>(BillCategory.class);
        for (BillCategory c : BillCategory.values()) {
            byCategory.put(c, new ArrayList<>());
        }
        List<BillItem> payments = new ArrayList<>();
        for (BillItem i : items) {
            (i.category() == null ? payments : byCategory.get(i.category())).add(i);
        }
        model.addAttribute("byCategory", byCategory);
        model.addAttribute("payments", payments);
        return "billing/bill";
    }
}
