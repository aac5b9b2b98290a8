package org.telehall.invoicing.web;

import jakarta.servlet.http.HttpSession;
import java.time.YearMonth;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.invoicing.ExportFormat;
import org.telehall.invoicing.UsageExports;
import org.telehall.shared.BusinessRuleException;

/** The download buttons of the usage page: the selected line's 详单 of one month as CSV or PDF. */
@Controller
class UsageExportController {

    private final UsageExports exports;
    private final LineSelection lineSelection;

    UsageExportController(UsageExports exports, LineSelection lineSelection) {
        this.exports = exports;
        this.lineSelection = lineSelection;
    }

    @GetMapping("/usage/export")
    Object export(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam(required = false) String month,
                  @RequestParam(required = false) String format, Locale locale, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        YearMonth chosen;
        try {
            chosen = exports.month(month);
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            redirect.addFlashAttribute("errorArgs", e.args());
            return "redirect:/usage";
        }
        ExportFormat fileFormat = "pdf".equalsIgnoreCase(format) ? ExportFormat.PDF : ExportFormat.CSV;
        UsageExports.ExportedFile file = exports.export(customerId, line.id(), chosen, fileFormat, locale);
        return Downloads.attachment(file.filename(), file.contentType(), file.content());
    }
}
