-- Disputes of a charge: the customer names a line's charges of one kind (calls, SMS, data) in one
-- period, says what is wrong; the system checks every rated record behind the charge against the
-- catalogue price in force when it was used. An overcharge is refunded twice over through the ledger
-- (business key dispute:<id>, so once); otherwise the charge is explained and may go to a person.
-- One dispute per line, kind and period: disputing it again finds the first.
create table bill_dispute (
    id             bigserial primary key,
    customer_id    bigint not null references customer (id),
    line_id        bigint not null references line (id),
    category       varchar(8) not null check (category in ('VOICE', 'SMS', 'DATA')),
    period_start   timestamptz not null,
    period_end     timestamptz not null,
    period_label   varchar(20) not null,
    -- the bill and charge it was raised from, when it came from a bill
    bill_reference varchar(60),
    description    varchar(500) not null,
    billed_fen     bigint not null,
    records_fen    bigint not null,
    overcharge_fen bigint not null check (overcharge_fen >= 0),
    refund_fen     bigint not null check (refund_fen = 2 * overcharge_fen),
    outcome        varchar(10) not null check (outcome in ('REFUNDED', 'EXPLAINED', 'ESCALATED')),
    ticket_id      bigint references care_ticket (id),
    created_at     timestamptz not null,
    unique (line_id, category, period_start),
    check (period_end > period_start)
);
create index bill_dispute_customer on bill_dispute (customer_id, created_at desc);
