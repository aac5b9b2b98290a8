package org.telehall.invoicing.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.invoicing.ExportFormat;
import org.telehall.invoicing.UsageExports;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/** The 详单 as a file for integrators: one line, one of the last 6 months, CSV or PDF. */
@RestController
@Tag(name = "usage-exports", description = "Usage detail (详单) of one month as a CSV or PDF file, other party masked")
class UsageExportApiController {

    private final UsageExports exports;
    private final Customers customers;

    UsageExportApiController(UsageExports exports, Customers customers) {
        this.exports = exports;
        this.customers = customers;
    }

    @GetMapping("/api/v1/usage-exports")
    @Operation(summary = "One line's usage records of one month (month=yyyy-MM within the last 6, default this month) as "
            + "format=csv (UTF-8 with BOM, default) or format=pdf; msisdn defaults to the customer's first line; "
            + "another customer's number is 404, a month out of reach 422")
    ResponseEntity<byte[]> export(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) String msisdn,
                                  @RequestParam(required = false) String month, @RequestParam(required = false) String format,
                                  Locale locale) {
        long customerId = me.requireCustomerId();
        ExportFormat fileFormat = ExportFormat.parse(format);
        Line line = line(customerId, msisdn);
        UsageExports.ExportedFile file = exports.export(customerId, line.id(), exports.month(month), fileFormat, locale);
        return Downloads.attachment(file.filename(), file.contentType(), file.content());
    }

    private Line line(long customerId, String msisdn) {
        if (msisdn == null || msisdn.isBlank()) {
            List<Line> lines = customers.linesOf(customerId);
            if (lines.isEmpty()) {
                throw new NotFoundException("the customer has no line");
            }
            return lines.get(0);
        }
        if (!Msisdn.isValid(msisdn.trim())) {
            throw new IllegalArgumentException("msisdn must be 11 digits starting 13–19, was " + msisdn);
        }
        return customers.lineOf(customerId, new Msisdn(msisdn.trim()));
    }
}
