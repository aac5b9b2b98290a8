package org.telehall.customer;

import java.util.List;

/** A customer with their lines, oldest first (the first is the one they signed up with). */
public record CustomerWithLines(Customer customer, List<Line> lines) {
}
