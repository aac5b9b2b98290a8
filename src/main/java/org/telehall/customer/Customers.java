package org.telehall.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/** Customers and their lines, read side. */
@Service
public class Customers {

    private final JdbcClient jdbc;

    Customers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Customer> find(long customerId) {
        return jdbc.sql("select * from customer where id = ?").param(customerId).query(Customers::customer).optional();
    }

    public Customer get(long customerId) {
        return find(customerId).orElseThrow(() -> new NotFoundException("no customer " + customerId));
    }

    /** The customer and their lines oldest first, in one query: the home page reads both on every visit. */
    public CustomerWithLines withLines(long customerId) {
        List<Customer> customer = new ArrayList<>(1);
        List<Line> lines = new ArrayList<>();
        jdbc.sql("""
                select c.*, l.id as line_id, l.customer_id, l.msisdn, l.iccid, l.status, l.activated_at
                  from customer c left join line l on l.customer_id = c.id
                 where c.id = ? order by l.activated_at, l.id
                """).param(customerId).query(rs -> {
                    if (customer.isEmpty()) {
                        customer.add(customer(rs, 0));
                    }
                    if (rs.getObject("line_id") != null) {
                        lines.add(line(rs, "line_id"));
                    }
                });
        if (customer.isEmpty()) {
            throw new NotFoundException("no customer " + customerId);
        }
        return new CustomerWithLines(customer.get(0), List.copyOf(lines));
    }

    /** The customer's lines, oldest first: the first is the one they signed up with. */
    public List<Line> linesOf(long customerId) {
        return jdbc.sql("select * from line where customer_id = ? order by activated_at, id")
                .param(customerId).query(Customers::line).list();
    }

    /** One of the customer's own lines, or 404 when the id belongs to someone else. */
    public Line lineOf(long customerId, long lineId) {
        return jdbc.sql("select * from line where id = ? and customer_id = ?").params(lineId, customerId)
                .query(Customers::line).optional()
                .orElseThrow(() -> new NotFoundException("no line " + lineId));
    }

    /** One of the customer's own lines by its number, or 404 when the number is not theirs. */
    public Line lineOf(long customerId, Msisdn msisdn) {
        return jdbc.sql("select * from line where msisdn = ? and customer_id = ?").params(msisdn.value(), customerId)
                .query(Customers::line).optional()
                .orElseThrow(() -> new NotFoundException("no line " + msisdn.masked() + " among yours"));
    }

    /**
     * Puts a new SIM in the line: a fresh ICCID replaces the old one, which the network stops
     * recognising from that moment. Returns the new ICCID.
     */
    @org.springframework.transaction.annotation.Transactional
    public String replaceSim(long customerId, long lineId) {
        Line line = lineOf(customerId, lineId);
        String iccid;
        do {
            // 8986 (telecom, China) + 16 random digits: a card from the operator's stock
            StringBuilder sb = new StringBuilder("8986");
            java.security.SecureRandom random = new java.security.SecureRandom();
            while (sb.length() < 20) {
                sb.append(random.nextInt(10));
            }
            iccid = sb.toString();
        } while (jdbc.sql("select exists (select 1 from line where iccid = ?)").param(iccid).query(Boolean.class).single());
        jdbc.sql("update line set iccid = ? where id = ? and customer_id = ?").params(iccid, line.id(), customerId).update();
        return iccid;
    }

    /** Any line by id, for staff tools (the caller checks the role and audits the access). */
    public Optional<Line> lineById(long lineId) {
        return jdbc.sql("select * from line where id = ?").param(lineId).query(Customers::line).optional();
    }

    public Optional<Line> lineByMsisdn(Msisdn msisdn) {
        return jdbc.sql("select * from line where msisdn = ?").param(msisdn.value()).query(Customers::line).optional();
    }

    /** The lines with these numbers, for rating a batch of usage in one query; unknown numbers are absent. */
    public List<Line> linesByMsisdn(java.util.Collection<String> msisdns) {
        if (msisdns.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select * from line where msisdn = any(?)")
                .param(msisdns.toArray(String[]::new)).query(Customers::line).list();
    }

    /** Lines in service (active or suspended), in id order after {@code afterId}: for jobs that visit every line a page at a time. */
    public List<Line> linesInServiceAfter(long afterId, int limit) {
        return jdbc.sql("select * from line where status in ('ACTIVE', 'SUSPENDED') and id > ? order by id limit ?")
                .params(afterId, limit).query(Customers::line).list();
    }

    public boolean isEmpty() {
        return jdbc.sql("select not exists (select 1 from customer)").query(Boolean.class).single();
    }

    static Customer customer(ResultSet rs, int row) throws SQLException {
        return new Customer(rs.getLong("id"), CustomerKind.valueOf(rs.getString("kind")), rs.getString("name"),
                rs.getString("id_number_masked"), rs.getBoolean("real_name_verified"), rs.getInt("cycle_day"),
                rs.getString("service_level"), rs.getTimestamp("created_at").toInstant());
    }

    static Line line(ResultSet rs, int row) throws SQLException {
        return line(rs, "id");
    }

    private static Line line(ResultSet rs, String idColumn) throws SQLException {
        return new Line(rs.getLong(idColumn), rs.getLong("customer_id"), new Msisdn(rs.getString("msisdn")),
                rs.getString("iccid"), LineStatus.valueOf(rs.getString("status")), rs.getTimestamp("activated_at").toInstant());
    }
}
