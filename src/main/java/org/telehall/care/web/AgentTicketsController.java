package org.telehall.care.web;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.telehall.care.Ticket;
import org.telehall.care.Tickets;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;

/** The agent console's ticket queue: open tickets, oldest first, customers by masked name. */
@Controller
class AgentTicketsController {

    record Row(Ticket ticket, String customer) {
    }

    private final Tickets tickets;
    private final Customers customers;

    AgentTicketsController(Tickets tickets, Customers customers) {
        this.tickets = tickets;
        this.customers = customers;
    }

    @GetMapping("/agent/tickets")
    String queue(Model model) {
        List<Row> rows = tickets.open(200).stream()
                .map(t -> new Row(t, customers.find(t.customerId()).map(Customer::maskedName).orElse("*"))).toList();
        model.addAttribute("rows", rows);
        return "care/agent-tickets";
    }
}
