package org.telehall.ledger;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/**
 * The ledger's public face. Each posting is one balanced journal entry (customer line + operator
 * line summing to zero) under a unique business key: posting the same key again returns the first
 * result and moves nothing.
 */
@Service
public class Ledger {

    /** What a posting did: whether this call moved the money, and the balance after it. */
    public record Result(long entryId, boolean applied, Money balanceAfter) {
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    Ledger(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Opens the customer's prepaid account; a second call changes nothing. */
    @Transactional
    public void openAccount(long customerId, Money creditLimit) {
        jdbc.sql("""
                insert into ledger_account (kind, customer_id, credit_limit_fen) values ('CUSTOMER_PREPAID', ?, ?)
                on conflict (customer_id) do nothing
                """).params(customerId, creditLimit.fen()).update();
    }

    /**
     * Sets how far below zero the account may go (a postpaid line's credit limit). Refused when the
     * account already owes more than the new limit allows.
     */
    @Transactional
    public void changeCreditLimit(long customerId, Money creditLimit) {
        int changed = jdbc.sql("update ledger_account set credit_limit_fen = ? where customer_id = ? and balance_fen >= -?")
                .params(creditLimit.fen(), customerId, creditLimit.fen()).update();
        if (changed == 0) {
            account(customerId);
            throw new InsufficientBalanceException(customerId, creditLimit);
        }
    }

    public Money balanceOf(long customerId) {
        return Money.ofFen(account(customerId).balanceFen());
    }

    public Money creditLimitOf(long customerId) {
        return Money.ofFen(account(customerId).creditLimitFen());
    }

    /** Money in: a top-up or refund credited to the customer, against the operator's cash account. */
    @Transactional
    public Result credit(Posting posting, String kind) {
        return post(posting, posting.amount(), "OPERATOR_CASH", kind, Instant.now());
    }

    /** Money out: a fee or usage charge, against the operator's revenue. Refused beyond the credit limit. */
    @Transactional
    public Result charge(Posting posting, String kind) {
        return post(posting, posting.amount().negate(), "OPERATOR_REVENUE", kind, Instant.now());
    }

    /**
     * Usage the network has already delivered: charged in full when the balance and credit allow,
     * otherwise down to the credit limit and no further (the rest is the caller's shortfall). The
     * account row is locked first, so concurrent charges cannot both take the last of the credit.
     */
    @Transactional
    public UsageCharge chargeUsage(Posting posting, String kind) {
        Account account = jdbc.sql("select id, balance_fen, credit_limit_fen from ledger_account where customer_id = ? for update")
                .param(posting.customerId())
                .query((rs, n) -> new Account(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .optional().orElseThrow(() -> new NotFoundException("customer " + posting.customerId() + " has no account"));
        long available = Math.max(0, account.balanceFen() + account.creditLimitFen());
        long take = Math.min(available, posting.amount().fen());
        Money balanceAfter = Money.ofFen(account.balanceFen());
        if (take > 0) {
            Posting capped = new Posting(posting.customerId(), Money.ofFen(take), posting.businessKey(), posting.reasonCode(), posting.reasonText());
            balanceAfter = post(capped, capped.amount().negate(), "OPERATOR_REVENUE", kind, Instant.now()).balanceAfter();
        }
        // stop when the usage could not be paid, or the balance is below zero and at the credit limit
        boolean exhausted = take < posting.amount().fen() || (balanceAfter.isNegative() && balanceAfter.fen() <= -account.creditLimitFen());
        return new UsageCharge(Money.ofFen(take), Money.ofFen(posting.amount().fen() - take), balanceAfter, exhausted);
    }

    /**
     * Many usage charges at once, each exactly as {@link #chargeUsage} would take it had they been
     * posted one after another in the given order, but in a handful of statements whatever their
     * number: the accounts are locked in ascending id order (as every other ledger writer takes one),
     * what each posting takes is worked out in memory, then the entries, lines and balances go in
     * with one statement each. A business key already posted is a replay: it moves nothing again and
     * is answered from the journal. Results are in the order of {@code postings}.
     */
    @Transactional
    public List<UsageCharge> chargeUsages(List<Posting> postings, String kind, Instant at) {
        if (postings.isEmpty()) {
            return List.of();
        }
        long[] customers = postings.stream().mapToLong(Posting::customerId).distinct().toArray();
        java.util.Map<Long, long[]> accounts = new java.util.HashMap<>();   // customer -> {account id, balance, credit limit}
        jdbc.sql("select id, customer_id, balance_fen, credit_limit_fen from ledger_account where customer_id = any(?) order by id for update")
                .param(customers).query(rs -> {
                    accounts.put(rs.getLong(2), new long[] {rs.getLong(1), rs.getLong(3), rs.getLong(4)});
                });
        // keys posted before: {customer, amount taken, balance after} as the journal has them
        java.util.Map<String, long[]> posted = new java.util.HashMap<>();
        jdbc.sql("""
                select e.business_key, a.customer_id, -l.amount_fen, l.balance_after_fen from journal_entry e
                  join journal_line l on l.entry_id = e.id
                  join ledger_account a on a.id = l.account_id and a.kind = 'CUSTOMER_PREPAID'
                 where e.business_key = any(?)
                """).param(postings.stream().map(Posting::businessKey).toArray(String[]::new)).query(rs -> {
                    posted.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                });
        List<UsageCharge> results = new java.util.ArrayList<>(postings.size());
        List<Posting> applied = new java.util.ArrayList<>();
        List<long[]> appliedAccount = new java.util.ArrayList<>();   // {account id, take, balance after}
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Posting p : postings) {
            long[] account = accounts.get(p.customerId());
            if (account == null) {
                throw new NotFoundException("customer " + p.customerId() + " has no account");
            }
            if (!keys.add(p.businessKey())) {
                throw new IllegalArgumentException("business key " + p.businessKey() + " twice in one call");
            }
            long[] before = posted.get(p.businessKey());
            if (before != null) {
                if (before[0] != p.customerId() || before[1] > p.amount().fen()) {
                    throw new IllegalArgumentException("business key " + p.businessKey() + " was already used for a different posting");
                }
                // a replay: what it took then, nothing moves now
                results.add(new UsageCharge(Money.ofFen(before[1]), Money.ofFen(p.amount().fen() - before[1]), Money.ofFen(before[2]),
                        before[1] < p.amount().fen() || (before[2] < 0 && before[2] <= -account[2])));
                continue;
            }
            long available = Math.max(0, account[1] + account[2]);
            long take = Math.min(available, p.amount().fen());
            long balanceAfter = account[1];
            if (take > 0) {
                account[1] -= take;
                balanceAfter = account[1];
                applied.add(p);
                appliedAccount.add(new long[] {account[0], take, balanceAfter});
            }
            boolean exhausted = take < p.amount().fen() || (balanceAfter < 0 && balanceAfter <= -account[2]);
            results.add(new UsageCharge(Money.ofFen(take), Money.ofFen(p.amount().fen() - take), Money.ofFen(balanceAfter), exhausted));
        }
        if (applied.isEmpty()) {
            return results;
        }
        int n = applied.size();
        Timestamp ts = Timestamp.from(at);
        java.util.Map<String, Long> entryIds = new java.util.HashMap<>();
        jdbc.sql("""
                insert into journal_entry (business_key, kind, reason_code, reason_text, posted_at)
                select k, ?, r, t, ? from unnest(?::varchar[], ?::varchar[], ?::varchar[]) as u(k, r, t)
                returning business_key, id
                """).params(kind, ts, applied.stream().map(Posting::businessKey).toArray(String[]::new),
                        applied.stream().map(Posting::reasonCode).toArray(String[]::new),
                        applied.stream().map(p -> p.reasonText() == null ? "" : p.reasonText()).toArray(String[]::new))
                .query(rs -> {
                    entryIds.put(rs.getString(1), rs.getLong(2));
                });
        long operator = jdbc.sql("select id from ledger_account where kind = 'OPERATOR_REVENUE' and customer_id is null")
                .query(Long.class).single();
        long[] lineEntries = new long[2 * n];
        long[] lineAccounts = new long[2 * n];
        long[] lineAmounts = new long[2 * n];
        Long[] lineBalances = new Long[2 * n];
        for (int i = 0; i < n; i++) {
            long[] a = appliedAccount.get(i);
            long entry = entryIds.get(applied.get(i).businessKey());
            lineEntries[2 * i] = entry;
            lineAccounts[2 * i] = a[0];
            lineAmounts[2 * i] = -a[1];
            lineBalances[2 * i] = a[2];
            lineEntries[2 * i + 1] = entry;
            lineAccounts[2 * i + 1] = operator;
            lineAmounts[2 * i + 1] = a[1];
            lineBalances[2 * i + 1] = null;
        }
        jdbc.sql("""
                insert into journal_line (entry_id, account_id, amount_fen, balance_after_fen, posted_at)
                select e, a, m, b, ? from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) as u(e, a, m, b)
                """).params(ts, lineEntries, lineAccounts, lineAmounts, lineBalances).update();
        long[] touched = accounts.values().stream().mapToLong(a -> a[0]).toArray();
        long[] balances = accounts.values().stream().mapToLong(a -> a[1]).toArray();
        jdbc.sql("update ledger_account a set balance_fen = u.b from unnest(?::bigint[], ?::bigint[]) as u(id, b) where a.id = u.id")
                .params(touched, balances).update();
        for (int i = 0; i < n; i++) {
            Posting p = applied.get(i);
            long[] a = appliedAccount.get(i);
            events.publishEvent(new AccountDebited(p.customerId(), Money.ofFen(a[1]), Money.ofFen(a[2]), p.businessKey(), p.reasonCode(), at));
        }
        return results;
    }

    /** As {@link #credit} or {@link #charge} but dated in the past; for importing and demo history. */
    @Transactional
    public Result postAt(Posting posting, boolean credit, String kind, Instant at) {
        return post(posting, credit ? posting.amount() : posting.amount().negate(),
                credit ? "OPERATOR_CASH" : "OPERATOR_REVENUE", kind, at);
    }

    /** What the one-statement posting answered: no entry when the key was used before, no balance when the account did not move. */
    private record Posted(Long entryId, Long balanceAfter) {
    }

    private Result post(Posting posting, Money customerDelta, String operatorAccountKind, String kind, Instant at) {
        // the whole entry in one statement: the key claimed, the account found and moved, both lines written (it was three
        // round trips, and round trips are most of what a top-up costs the database). The account moves only when the key
        // was new, and the lines go in only when both the key and the account did; the caller tells the cases apart below.
        // No operator account of that kind makes the operator line's account_id null: refused by the column, nothing posted.
        Posted posted = jdbc.sql("""
                with entry as (
                    insert into journal_entry (business_key, kind, reason_code, reason_text, posted_at) values (:key, :kind, :code, :text, :ts)
                    on conflict (business_key) do nothing returning id),
                moved as (
                    update ledger_account set balance_fen = balance_fen + :delta
                     where customer_id = :customer and balance_fen + :delta >= -credit_limit_fen and exists (select 1 from entry)
                    returning id, balance_fen),
                lines as (
                    insert into journal_line (entry_id, account_id, amount_fen, balance_after_fen, posted_at)
                    select entry.id, moved.id, :delta, moved.balance_fen, cast(:ts as timestamptz) from entry, moved
                    union all
                    select entry.id, (select id from ledger_account where kind = :operatorKind and customer_id is null), :mirror,
                           null::bigint, cast(:ts as timestamptz) from entry, moved)
                select (select id from entry), (select balance_fen from moved)
                """).param("key", posting.businessKey()).param("kind", kind).param("code", posting.reasonCode())
                .param("text", posting.reasonText()).param("ts", Timestamp.from(at)).param("delta", customerDelta.fen())
                .param("customer", posting.customerId()).param("operatorKind", operatorAccountKind).param("mirror", -customerDelta.fen())
                .query((rs, n) -> new Posted(rs.getObject(1, Long.class), rs.getObject(2, Long.class))).single();
        if (posted.entryId() == null) {
            return replay(posting);
        }
        if (posted.balanceAfter() == null) {
            account(posting.customerId());   // no account at all is a NotFoundException
            // the transaction rolls back, taking the journal_entry row with it
            throw new InsufficientBalanceException(posting.customerId(), posting.amount());
        }
        long entryId = posted.entryId();
        long balanceAfter = posted.balanceAfter();
        if (customerDelta.isPositive()) {
            events.publishEvent(new AccountCredited(posting.customerId(), customerDelta, Money.ofFen(balanceAfter),
                    posting.businessKey(), posting.reasonCode(), at));
        } else if (customerDelta.isNegative()) {
            events.publishEvent(new AccountDebited(posting.customerId(), customerDelta.negate(), Money.ofFen(balanceAfter),
                    posting.businessKey(), posting.reasonCode(), at));
        }
        return new Result(entryId, true, Money.ofFen(balanceAfter));
    }

    private Result replay(Posting posting) {
        return jdbc.sql("""
                select e.id, l.balance_after_fen, l.amount_fen, a.customer_id from journal_entry e
                  join journal_line l on l.entry_id = e.id
                  join ledger_account a on a.id = l.account_id and a.kind = 'CUSTOMER_PREPAID'
                 where e.business_key = ?
                """).param(posting.businessKey())
                .query((rs, n) -> {
                    if (rs.getLong("customer_id") != posting.customerId() || Math.abs(rs.getLong("amount_fen")) != posting.amount().fen()) {
                        throw new IllegalArgumentException("business key " + posting.businessKey() + " was already used for a different posting");
                    }
                    return new Result(rs.getLong("id"), false, Money.ofFen(rs.getLong("balance_after_fen")));
                })
                .optional()
                // the first posting with this key is still in flight in another transaction
                .orElseThrow(() -> new IllegalStateException("posting " + posting.businessKey() + " is in progress"));
    }

    /** The customer's balance history, newest first. */
    public List<Movement> history(long customerId, int offset, int limit) {
        return jdbc.sql("""
                select e.id, e.posted_at, e.kind, e.reason_code, e.reason_text, l.amount_fen, l.balance_after_fen
                  from journal_line l join journal_entry e on e.id = l.entry_id
                 where l.account_id = :account
                 order by l.posted_at desc, l.id desc offset :offset limit :limit
                """).param("account", account(customerId).id()).param("offset", offset).param("limit", limit)
                .query((rs, n) -> new Movement(rs.getLong("id"), rs.getTimestamp("posted_at").toInstant(),
                        Money.ofFen(rs.getLong("amount_fen")), Money.ofFen(rs.getLong("balance_after_fen")),
                        rs.getString("kind"), rs.getString("reason_code"), rs.getString("reason_text")))
                .list();
    }

    public long historySize(long customerId) {
        return jdbc.sql("select count(*) from journal_line where account_id = ?").param(account(customerId).id())
                .query(Long.class).single();
    }

    /**
     * Which of these business keys have a posting: for checking the journal against outside books
     * (a payment provider's settlement file) without trusting anyone's status columns.
     */
    public Set<String> postedKeys(Collection<String> businessKeys) {
        if (businessKeys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("select business_key from journal_entry where business_key = any(?)")
                .param(businessKeys.toArray(new String[0])).query(String.class).list());
    }

    /** All that left the customer's account in {@code [from, to)}: fees, packs and usage (a positive amount). */
    public Money totalDebited(long customerId, Instant from, Instant to) {
        return Money.ofFen(jdbc.sql("""
                select coalesce(-sum(amount_fen), 0) from journal_line
                 where account_id = ? and amount_fen < 0 and posted_at >= ? and posted_at < ?
                """).params(account(customerId).id(), java.sql.Timestamp.from(from), java.sql.Timestamp.from(to))
                .query(Long.class).single());
    }

    /** The sum of the customer's journal lines; equals the running balance, or the ledger is broken. */
    public Money journalSumOf(long customerId) {
        return Money.ofFen(jdbc.sql("select coalesce(sum(amount_fen), 0) from journal_line where account_id = ?")
                .param(account(customerId).id()).query(Long.class).single());
    }

    private Account account(long customerId) {
        return jdbc.sql("select id, balance_fen, credit_limit_fen from ledger_account where customer_id = ?")
                .param(customerId)
                .query((rs, n) -> new Account(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .optional().orElseThrow(() -> new NotFoundException("customer " + customerId + " has no account"));
    }

    private record Account(long id, long balanceFen, long creditLimitFen) {
    }
}
