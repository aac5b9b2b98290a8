package org.telehall.customer;

import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.stereotype.Component;
import org.telehall.shared.NotFoundException;

/**
 * Which of a customer's lines the pages are showing. Kept in the page session; always re-checked
 * against the customer's own lines, so a forged line id shows nothing.
 */
@Component
public class LineSelection {

    static final String SESSION_KEY = "telehall.lineId";

    private final Customers customers;

    LineSelection(Customers customers) {
        this.customers = customers;
    }

    /** The selected line, or the customer's first line when none (or a stale one) is selected. */
    public Line current(long customerId, HttpSession session) {
        return pick(customers.linesOf(customerId), session);
    }

    /** As {@link #current} for a caller that already holds the customer's lines. */
    public Line pick(List<Line> lines, HttpSession session) {
        if (lines.isEmpty()) {
            throw new NotFoundException("the customer has no line");
        }
        Object selected = session == null ? null : session.getAttribute(SESSION_KEY);
        return lines.stream().filter(l -> selected instanceof Long id && l.id() == id).findFirst().orElse(lines.get(0));
    }

    public void select(long customerId, long lineId, HttpSession session) {
        Line line = customers.lineOf(customerId, lineId);
        session.setAttribute(SESSION_KEY, line.id());
    }
}
