package org.telehall.invoicing.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.identity.HallUser;
import org.telehall.invoicing.Buyer;
import org.telehall.invoicing.BuyerType;
import org.telehall.invoicing.Invoice;
import org.telehall.invoicing.InvoiceStatus;
import org.telehall.invoicing.Invoices;
import org.telehall.invoicing.SourceKind;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;

/** E-invoices for integrators: request one for a top-up or a bill, list, read, download the PDF, reverse. */
@RestController
@RequestMapping(InvoiceApiController.BASE)
@Tag(name = "invoices", description = "E-invoices (数电发票 style) for top-ups and bills; immutable, cancelled by red-letter reversal")
class InvoiceApiController {

    static final String BASE = "/api/v1/invoices";

    record SourceRef(String type, String id) {
    }

    record BuyerView(String type, String name, String taxId) {
    }

    record InvoiceRequest(SourceRef source, BuyerView buyer) {
    }

    record ReversalRequest(String reason) {
    }

    record Party(String name, String taxId, String address) {
    }

    record ItemView(String name, BigDecimal taxRate, Tmf.Amount amount, Tmf.Amount taxAmount, Tmf.Amount taxIncludedAmount) {
    }

    record InvoiceRef(String id, String href, String number) {
    }

    record InvoiceView(String id, String href, String number, String kind, String status, Instant issuedAt, SourceRef source,
                       BuyerView buyer, Party seller, List<ItemView> items, Tmf.Amount amount, Tmf.Amount taxAmount,
                       Tmf.Amount taxIncludedAmount, String checkCode, String qrContent, InvoiceRef originalInvoice, String reason,
                       InvoiceRef reversedBy, Instant reversedAt, String pdf) {
    }

    private final Invoices invoices;

    InvoiceApiController(Invoices invoices) {
        this.invoices = invoices;
    }

    @PostMapping
    @Operation(summary = "Issue the invoice for a paid top-up (source.type=topup, id=payment id) or a bill (type=bill); buyer.type "
            + "person (name) or company (name and taxId, an 18-character unified social credit code). 201 when issued, 200 with the "
            + "existing invoice when the top-up or bill already has one (an issued invoice never changes)")
    ResponseEntity<InvoiceView> request(@AuthenticationPrincipal HallUser me, @RequestBody InvoiceRequest body) {
        long customerId = me.requireCustomerId();
        if (body == null || body.source() == null || body.source().id() == null || body.buyer() == null) {
            throw new IllegalArgumentException("source {type, id} and buyer {type, name, taxId} are required");
        }
        SourceKind kind = Tmf.parseEnum(SourceKind.class, "source.type", body.source().type() == null ? "" : body.source().type());
        BuyerType buyerType = Tmf.parseEnum(BuyerType.class, "buyer.type", body.buyer().type() == null ? "person" : body.buyer().type());
        Invoices.Issued issued = invoices.request(customerId, kind, body.source().id().trim(),
                Buyer.of(buyerType, body.buyer().name(), body.buyer().taxId()));
        InvoiceView view = view(issued.invoice());
        return issued.existing() ? ResponseEntity.ok(view) : ResponseEntity.created(URI.create(view.href())).body(view);
    }

    @GetMapping
    @Operation(summary = "The customer's invoices, newest first (TMF630 paging: offset, limit, X-Total-Count)")
    ResponseEntity<List<InvoiceView>> list(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) Integer offset,
                                           @RequestParam(required = false) Integer limit) {
        long customerId = me.requireCustomerId();
        TmfList.Window window = TmfList.window(offset, limit);
        List<InvoiceView> page = invoices.of(customerId, window.offset(), window.limit()).stream().map(InvoiceApiController::view).toList();
        return TmfList.of(page, invoices.countOf(customerId));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One of the customer's invoices; another customer's is 404")
    InvoiceView one(@AuthenticationPrincipal HallUser me, @PathVariable long id) {
        return view(invoices.get(me.requireCustomerId(), id));
    }

    @GetMapping("/{id}/pdf")
    @Operation(summary = "The invoice as a PDF with its QR code (01,32,,number,total,yyyyMMdd,check code)")
    ResponseEntity<byte[]> pdf(@AuthenticationPrincipal HallUser me, @PathVariable long id) {
        long customerId = me.requireCustomerId();
        Invoice invoice = invoices.get(customerId, id);
        return Downloads.attachment("invoice-" + invoice.number() + ".pdf", "application/pdf", invoices.pdf(customerId, id));
    }

    @PostMapping("/{id}/reversal")
    @Operation(summary = "Red-letter reversal (冲红): issues a negative invoice naming this one and marks this one reversed (201); "
            + "again answers the same red invoice (200); a red invoice cannot be reversed (422)")
    ResponseEntity<InvoiceView> reverse(@AuthenticationPrincipal HallUser me, @PathVariable long id,
                                        @RequestBody(required = false) ReversalRequest body) {
        long customerId = me.requireCustomerId();
        boolean already = invoices.get(customerId, id).status() == InvoiceStatus.REVERSED;
        InvoiceView red = view(invoices.reverse(customerId, id, body == null ? null : body.reason()));
        return already ? ResponseEntity.ok(red) : ResponseEntity.status(HttpStatus.CREATED).location(URI.create(red.href())).body(red);
    }

    private static InvoiceView view(Invoice i) {
        String href = Tmf.href(BASE + "/" + i.id());
        List<ItemView> items = i.items().stream().map(item -> new ItemView(item.name(), BigDecimal.valueOf(item.taxRateBp(), 4),
                Tmf.Amount.of(item.net()), Tmf.Amount.of(item.tax()), Tmf.Amount.of(item.total()))).toList();
        return new InvoiceView(Long.toString(i.id()), href, i.number(), lower(i.kind()), lower(i.status()), i.issuedAt(),
                new SourceRef(lower(i.sourceKind()), i.sourceReference()),
                new BuyerView(lower(i.buyer().type()), i.buyer().name(), i.buyer().taxId()),
                new Party(i.sellerName(), i.sellerTaxId(), i.sellerAddress()), items, Tmf.Amount.of(i.net()), Tmf.Amount.of(i.tax()),
                Tmf.Amount.of(i.total()), i.checkCode(), i.qrContent(), ref(i.originalId(), i.originalNumber()), i.reason(),
                ref(i.reversedById(), i.reversedByNumber()), i.reversedAt(), href + "/pdf");
    }

    private static InvoiceRef ref(Long id, String number) {
        return id == null ? null : new InvoiceRef(id.toString(), Tmf.href(BASE + "/" + id), number);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
