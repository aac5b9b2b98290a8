-- Postpaid accounts spend on credit (the ledger's credit limit) and settle each bill by its due
-- date: reminded before it, lines suspended after a grace period if still unpaid, restored when paid.
create table postpaid_account (
    customer_id bigint primary key references customer (id),
    since       timestamptz not null
);

alter table bill add column postpaid boolean not null default false;
alter table bill add column due_date date;
alter table bill add column reminded_at timestamptz;
-- paid in full (payments since the cycle closed cover what the bill left owing), or nothing owed
alter table bill add column settled_at timestamptz;
alter table bill add column suspended_at timestamptz;
alter table bill add constraint bill_postpaid_due check (not postpaid or due_date is not null);
create index bill_postpaid_open on bill (due_date) where postpaid and settled_at is null;

-- what a bill says stays as issued; its payment state (reminded, settled, suspended) may follow
create or replace function bill_is_immutable() returns trigger language plpgsql as $$
begin
    if (new.bill_no, new.customer_id, new.cycle_start, new.cycle_end, new.opening_balance_fen, new.payments_fen,
        new.plan_fen, new.packs_fen, new.services_fen, new.voice_fen, new.data_fen, new.sms_fen, new.roaming_fen,
        new.adjustments_fen, new.discounts_fen, new.total_fen, new.closing_balance_fen, new.journal_watermark, new.issued_at,
        new.postpaid, new.due_date)
       is distinct from
       (old.bill_no, old.customer_id, old.cycle_start, old.cycle_end, old.opening_balance_fen, old.payments_fen,
        old.plan_fen, old.packs_fen, old.services_fen, old.voice_fen, old.data_fen, old.sms_fen, old.roaming_fen,
        old.adjustments_fen, old.discounts_fen, old.total_fen, old.closing_balance_fen, old.journal_watermark, old.issued_at,
        old.postpaid, old.due_date) then
        raise exception 'bill % is issued and cannot be changed', old.bill_no using errcode = 'check_violation';
    end if;
    return new;
end $$;
