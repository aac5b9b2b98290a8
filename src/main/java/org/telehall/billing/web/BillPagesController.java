package org.telehall.billing.web;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.billing.Bill;
import org.telehall.billing.BillCategory;
import org.telehall.billing.BillItem;
import org.telehall.billing.Bills;
import org.telehall.billing.Postpaid;
import org.telehall.customer.Customers;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentStatus;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.identity.HallUser;

/** 账单: the customer's bills with a year chart of monthly spend, one bill with the movements behind each category, and this cycle so far. */
@Controller
class BillPagesController {

    private final Bills bills;
    private final Postpaid postpaid;
    private final Payments payments;
    private final Customers customers;

    BillPagesController(Bills bills, Postpaid postpaid, Payments payments, Customers customers) {
        this.bills = bills;
        this.postpaid = postpaid;
        this.payments = payments;
        this.customers = customers;
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

    /**
     * Pays what a postpaid bill still owes through a payment provider; the form's key, made when the
     * page was drawn, makes a double tap find the same payment order.
     */
    @PostMapping("/bills/{id:\\d+}/payment")
    String pay(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestParam(defaultValue = "alipay") String method,
               @RequestParam(defaultValue = "") String key, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Bill bill = bills.get(customerId, id);
        Money owed = postpaid.outstanding(bill);
        if (!owed.isPositive()) {
            redirect.addFlashAttribute("notice", "bills.paid");
            return "redirect:/bills/" + id;
        }
        try {
            String msisdn = customers.linesOf(customerId).get(0).msisdn().value();
            Payments.Created created = payments.createBillPayment(new Payments.BillPaymentRequest(customerId, me.userId(), msisdn, owed,
                    PaymentMethod.ofSlug(method), "WEB", Long.toString(bill.id()), key.isBlank() ? UUID.randomUUID().toString() : key));
            if (created.payment().status() != PaymentStatus.PENDING) {
                return "redirect:/payments/" + created.payment().id();
            }
            return "redirect:" + created.checkout().payUrl() + "?return=/payments/" + created.payment().id();
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            return "redirect:/bills/" + id;
        }
    }

    private String show(Bill bill, Model model) {
        model.addAttribute("bill", bill);
        if (bill.open()) {
            model.addAttribute("outstanding", postpaid.outstanding(bill));
            model.addAttribute("key", UUID.randomUUID().toString());
            model.addAttribute("methods", PaymentMethod.values());
        }
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
