package org.telehall.invoicing.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.invoicing.Dispute;
import org.telehall.invoicing.Disputes;
import org.telehall.platform.Tmf;
import org.telehall.shared.Msisdn;
import org.telehall.usage.UsageType;

/** Disputes of a charge for integrators: open one (checked and settled at once), read it, hand it to a person. */
@RestController
@RequestMapping(DisputeApiController.BASE)
@Tag(name = "bill-disputes", description = "Dispute a charge: checked against the rated records and the catalogue price that applied; "
        + "an overcharge is refunded twice over at once, otherwise explained with its records and open to escalation")
class DisputeApiController {

    static final String BASE = "/api/v1/bill-disputes";

    record DisputeRequest(String msisdn, String month, String category, String description) {
    }

    record RecordView(String id, Instant usageDate, String otherParty, String quantity, Tmf.Amount charged, Tmf.Amount maxCharge,
                      String plan, int priceVersion, Tmf.Amount overcharge) {
    }

    record DisputeView(String id, String href, String msisdn, String category, String period, String description, String outcome,
                       Tmf.Amount billedAmount, Tmf.Amount recordsAmount, Tmf.Amount overchargeAmount, Tmf.Amount refundAmount,
                       String message, String ticketId, Instant createdAt, List<RecordView> records) {
    }

    private final Disputes disputes;
    private final Customers customers;
    private final MessageSource messages;

    DisputeApiController(Disputes disputes, Customers customers, MessageSource messages) {
        this.disputes = disputes;
        this.customers = customers;
        this.messages = messages;
    }

    @PostMapping
    @Operation(summary = "Dispute one line's charges of one kind (category voice, sms or data) in one month (yyyy-MM, last 6): 201 with the "
            + "outcome — refunded (twice the overcharge, credited at once) or explained (the records behind the charge); the same charge "
            + "disputed again answers the first dispute (200)")
    ResponseEntity<DisputeView> open(@AuthenticationPrincipal HallUser me, @RequestBody DisputeRequest body, Locale locale) {
        long customerId = me.requireCustomerId();
        if (body == null || body.category() == null) {
            throw new IllegalArgumentException("category (voice, sms or data) is required");
        }
        Line line = line(customerId, body.msisdn());
        UsageType category = Tmf.parseEnum(UsageType.class, "category", body.category());
        Disputes.Charge charge = disputes.monthCharge(customerId, line.id(), category, body.month());
        Disputes.Opened opened = disputes.open(customerId, charge, body.description());
        DisputeView view = view(opened.dispute(), line, locale);
        return opened.existing() ? ResponseEntity.ok(view) : ResponseEntity.created(URI.create(view.href())).body(view);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One of the customer's disputes with the records behind the charge; another customer's is 404")
    DisputeView one(@AuthenticationPrincipal HallUser me, @PathVariable long id, Locale locale) {
        long customerId = me.requireCustomerId();
        Dispute d = disputes.get(customerId, id);
        return view(d, customers.lineOf(customerId, d.lineId()), locale);
    }

    @PostMapping("/{id}/escalation")
    @Operation(summary = "Hand an explained dispute to a person: opens a care ticket in the agent console (once); a refunded one is 422")
    DisputeView escalate(@AuthenticationPrincipal HallUser me, @PathVariable long id, Locale locale) {
        long customerId = me.requireCustomerId();
        Dispute d = disputes.escalate(customerId, id);
        return view(d, customers.lineOf(customerId, d.lineId()), locale);
    }

    private Line line(long customerId, String msisdn) {
        if (msisdn == null || msisdn.isBlank()) {
            List<Line> lines = customers.linesOf(customerId);
            if (lines.isEmpty()) {
                throw new org.telehall.shared.NotFoundException("the customer has no line");
            }
            return lines.get(0);
        }
        if (!Msisdn.isValid(msisdn.trim())) {
            throw new IllegalArgumentException("msisdn must be 11 digits starting 13–19, was " + msisdn);
        }
        return customers.lineOf(customerId, new Msisdn(msisdn.trim()));
    }

    private DisputeView view(Dispute d, Line line, Locale locale) {
        List<RecordView> records = d.records().stream().map(c -> new RecordView(Long.toString(c.record().id()), c.record().startedAt(),
                c.record().otherPartyMasked(), quantity(c), Tmf.Amount.of(c.record().charge()), Tmf.Amount.of(c.maxCharge()), c.planId(),
                c.priceVersion(), Tmf.Amount.of(c.overcharge()))).toList();
        return new DisputeView(Long.toString(d.id()), Tmf.href(BASE + "/" + d.id()), line.msisdn().value(), Tmf.enumValue(d.category()),
                d.periodLabel(), d.description(), Tmf.enumValue(d.outcome()), Tmf.Amount.of(d.billed()), Tmf.Amount.of(d.recordsTotal()),
                Tmf.Amount.of(d.overcharge()), Tmf.Amount.of(d.refund()), message(d, locale),
                d.ticketId() == null ? null : d.ticketId().toString(), d.createdAt(), records);
    }

    private String message(Dispute d, Locale locale) {
        return switch (d.outcome()) {
            case REFUNDED -> messages.getMessage("invoicing.dispute.refunded", new Object[]{d.overcharge().display(), d.refund().display()}, locale);
            case EXPLAINED -> d.records().isEmpty()
                    ? messages.getMessage("invoicing.dispute.explained.none", new Object[]{d.billed().display()}, locale)
                    : messages.getMessage("invoicing.dispute.explained", new Object[]{d.records().size(), d.billed().display()}, locale);
            case ESCALATED -> messages.getMessage("invoicing.dispute.escalated-text", new Object[]{d.ticketId()}, locale);
        };
    }

    private static String quantity(Dispute.CheckedRecord c) {
        return switch (c.record().type()) {
            case VOICE -> c.record().durationSeconds() + " s";
            case DATA -> c.record().volumeKb() + " KB";
            case SMS -> "1 SMS";
        };
    }
}
