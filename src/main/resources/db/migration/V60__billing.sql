-- Monthly bills: one per customer account and closed billing cycle, made by the bill run from the
-- ledger's journal (never from a second source). The unique key (customer, cycle) is what makes a
-- rerun, a crashed run resumed, or a second node's run issue each bill exactly once.
create table bill (
    id                   bigserial primary key,
    bill_no              varchar(24) not null unique,
    customer_id          bigint not null references customer (id),
    cycle_start          date not null,
    cycle_end            date not null,   -- the next cycle's first day (exclusive)
    opening_balance_fen  bigint not null,
    payments_fen         bigint not null, -- top-ups and bill payments net of reversals in the cycle
    plan_fen             bigint not null,
    packs_fen            bigint not null,
    services_fen         bigint not null,
    voice_fen            bigint not null,
    data_fen             bigint not null,
    sms_fen              bigint not null,
    roaming_fen          bigint not null,
    adjustments_fen      bigint not null, -- refunds and corrections (credits are negative)
    discounts_fen        bigint not null,
    total_fen            bigint not null,
    closing_balance_fen  bigint not null,
    -- the newest journal line the bill saw: its "lines behind" are read up to here, so they stay as issued
    journal_watermark    bigint not null,
    issued_at            timestamptz not null,
    notified_at          timestamptz,
    unique (customer_id, cycle_start),
    check (cycle_end > cycle_start),
    check (total_fen = plan_fen + packs_fen + services_fen + voice_fen + data_fen + sms_fen + roaming_fen + adjustments_fen + discounts_fen),
    check (closing_balance_fen = opening_balance_fen + payments_fen - total_fen)
);
create index bill_customer on bill (customer_id, cycle_start desc);
create index bill_unnotified on bill (id) where notified_at is null;

-- An issued bill never changes: corrections are adjustments on the next bill. Only the notice
-- stamp (and, for postpaid bills, their payment state) may be written after issue.
create function bill_is_immutable() returns trigger language plpgsql as $$
begin
    if (new.bill_no, new.customer_id, new.cycle_start, new.cycle_end, new.opening_balance_fen, new.payments_fen,
        new.plan_fen, new.packs_fen, new.services_fen, new.voice_fen, new.data_fen, new.sms_fen, new.roaming_fen,
        new.adjustments_fen, new.discounts_fen, new.total_fen, new.closing_balance_fen, new.journal_watermark, new.issued_at)
       is distinct from
       (old.bill_no, old.customer_id, old.cycle_start, old.cycle_end, old.opening_balance_fen, old.payments_fen,
        old.plan_fen, old.packs_fen, old.services_fen, old.voice_fen, old.data_fen, old.sms_fen, old.roaming_fen,
        old.adjustments_fen, old.discounts_fen, old.total_fen, old.closing_balance_fen, old.journal_watermark, old.issued_at) then
        raise exception 'bill % is issued and cannot be changed', old.bill_no using errcode = 'check_violation';
    end if;
    return new;
end $$;
create trigger bill_immutable before update on bill for each row execute function bill_is_immutable();
create function bill_not_deleted() returns trigger language plpgsql as $$
begin
    raise exception 'bill % is issued and cannot be deleted', old.bill_no using errcode = 'check_violation';
end $$;
create trigger bill_no_delete before delete on bill for each row execute function bill_not_deleted();
