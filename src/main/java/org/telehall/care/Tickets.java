package org.telehall.care;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.shared.NotFoundException;

/** Tickets for agents. Opening one for the same thing twice (same category and reference) gives the first. */
@Service
public class Tickets {

    /** A bill charge the customer disputes and the system found right: a person explains or corrects it. */
    public static final String BILL_DISPUTE = "BILL_DISPUTE";

    private final JdbcClient jdbc;
    private final Clock clock;

    Tickets(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Ticket open(long customerId, String category, String subject, String body, String reference) {
        jdbc.sql("""
                insert into care_ticket (customer_id, category, subject, body, reference, status, created_at)
                values (?, ?, ?, ?, ?, 'OPEN', ?) on conflict (category, reference) do nothing""")
                .params(customerId, category, cut(subject, 200), cut(body, 2000), reference, Timestamp.from(clock.instant())).update();
        return jdbc.sql("select * from care_ticket where category = ? and reference = ?").params(category, reference)
                .query(Tickets::map).single();
    }

    /** Open tickets, oldest first: the queue an agent works through. */
    public List<Ticket> open(int limit) {
        return jdbc.sql("select * from care_ticket where status = 'OPEN' order by created_at, id limit ?").param(limit)
                .query(Tickets::map).list();
    }

    public Optional<Ticket> find(long id) {
        return jdbc.sql("select * from care_ticket where id = ?").param(id).query(Tickets::map).optional();
    }

    public Ticket get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("no ticket " + id));
    }

    private static String cut(String text, int max) {
        return text == null ? "" : text.length() <= max ? text : text.substring(0, max);
    }

    private static Ticket map(ResultSet rs, int row) throws SQLException {
        return new Ticket(rs.getLong("id"), rs.getLong("customer_id"), rs.getString("category"), rs.getString("subject"),
                rs.getString("body"), rs.getString("reference"), TicketStatus.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant());
    }
}
