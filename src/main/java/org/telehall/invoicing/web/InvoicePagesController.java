package org.telehall.invoicing.web;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.customer.Customers;
import org.telehall.identity.HallUser;
import org.telehall.invoicing.Buyer;
import org.telehall.invoicing.BuyerType;
import org.telehall.invoicing.Invoice;
import org.telehall.invoicing.InvoiceSource;
import org.telehall.invoicing.Invoices;
import org.telehall.invoicing.SourceKind;
import org.telehall.shared.BusinessRuleException;

/**
 * 发票: the customer's invoices and what they may still invoice; the request form (from a paid
 * top-up or a bill), an invoice with its PDF, and the red-letter reversal.
 */
@Controller
class InvoicePagesController {

    private final Invoices invoices;
    private final Customers customers;

    InvoicePagesController(Invoices invoices, Customers customers) {
        this.invoices = invoices;
        this.customers = customers;
    }

    @GetMapping("/invoices")
    String list(@AuthenticationPrincipal HallUser me, Model model) {
        long customerId = me.requireCustomerId();
        model.addAttribute("invoiceable", invoices.invoiceable(customerId));
        model.addAttribute("invoices", invoices.of(customerId, 0, 50));
        return "invoicing/invoices";
    }

    /** The request form for a top-up ({@code ?payment=}) or a bill ({@code ?bill=}); an invoiced one shows its invoice. */
    @GetMapping("/invoices/new")
    String form(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) String payment,
                @RequestParam(required = false) String bill, Model model, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        SourceKind kind = bill != null && !bill.isBlank() ? SourceKind.BILL : SourceKind.TOPUP;
        String reference = kind == SourceKind.BILL ? bill.trim() : payment == null ? "" : payment.trim();
        InvoiceSource source;
        try {
            source = invoices.source(customerId, kind, reference);
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            return "redirect:/invoices";
        }
        var live = invoices.live(kind, reference);
        if (live.isPresent()) {
            return "redirect:/invoices/" + live.get().id();
        }
        model.addAttribute("source", source);
        model.addAttribute("customerName", customers.get(customerId).name());
        model.addAttribute("buyerTypes", BuyerType.values());
        return "invoicing/request";
    }

    @PostMapping("/invoices")
    String request(@AuthenticationPrincipal HallUser me, @RequestParam String kind, @RequestParam String reference,
                   @RequestParam(defaultValue = "PERSON") String buyerType, @RequestParam(defaultValue = "") String buyerName,
                   @RequestParam(defaultValue = "") String taxId, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        SourceKind sourceKind = SourceKind.valueOf(kind.trim().toUpperCase(java.util.Locale.ROOT));
        String back = "redirect:/invoices/new?" + (sourceKind == SourceKind.BILL ? "bill=" : "payment=") + reference;
        try {
            BuyerType type = BuyerType.valueOf(buyerType.trim().toUpperCase(java.util.Locale.ROOT));
            Invoices.Issued issued = invoices.request(customerId, sourceKind, reference, Buyer.of(type, buyerName, taxId));
            redirect.addFlashAttribute("notice", issued.existing() ? "invoicing.notice.existing" : "invoicing.notice.issued");
            return "redirect:/invoices/" + issued.invoice().id();
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            redirect.addFlashAttribute("buyerType", buyerType);
            redirect.addFlashAttribute("buyerName", buyerName);
            redirect.addFlashAttribute("taxId", taxId);
            return back;
        }
    }

    @GetMapping("/invoices/{id}")
    String invoice(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        Invoice invoice = invoices.get(me.requireCustomerId(), id);
        model.addAttribute("invoice", invoice);
        return "invoicing/invoice";
    }

    @GetMapping("/invoices/{id}/pdf")
    ResponseEntity<byte[]> pdf(@AuthenticationPrincipal HallUser me, @PathVariable long id) {
        long customerId = me.requireCustomerId();
        Invoice invoice = invoices.get(customerId, id);
        return Downloads.attachment("invoice-" + invoice.number() + ".pdf", "application/pdf", invoices.pdf(customerId, id));
    }

    @PostMapping("/invoices/{id}/reversal")
    String reverse(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestParam(defaultValue = "") String reason,
                   RedirectAttributes redirect) {
        try {
            Invoice red = invoices.reverse(me.requireCustomerId(), id, reason);
            redirect.addFlashAttribute("notice", "invoicing.notice.reversed");
            return "redirect:/invoices/" + red.id();
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            return "redirect:/invoices/" + id;
        }
    }
}
