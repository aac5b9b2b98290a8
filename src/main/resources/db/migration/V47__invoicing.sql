-- E-invoices (数电发票 style). What may be invoiced is recorded as it happens (a settled top-up from
-- payment.PaymentSettled; bills from the billing module); an invoice, once issued, never changes:
-- a red-letter (冲红) invoice with negative amounts cancels it, and the only change the original
-- ever sees is being marked reversed. Triggers below refuse anything else, whoever asks.
create table invoice_source (
    kind         varchar(8) not null check (kind in ('TOPUP', 'BILL')),
    reference    varchar(40) not null,
    customer_id  bigint not null references customer (id),
    msisdn       varchar(11) not null,
    amount_fen   bigint not null check (amount_fen > 0),
    occurred_at  timestamptz not null,
    -- the money went back (a refunded top-up): nothing left to invoice
    withdrawn_at timestamptz,
    primary key (kind, reference)
);
create index invoice_source_customer on invoice_source (customer_id, occurred_at desc);

create sequence invoice_number_seq;

create table invoice (
    id               bigserial primary key,
    -- issue year + 12-digit sequence, e.g. 2026000000000042
    number           varchar(16) not null unique,
    kind             varchar(4) not null check (kind in ('BLUE', 'RED')),
    status           varchar(10) not null check (status in ('ISSUED', 'REVERSED')),
    source_kind      varchar(8) not null,
    source_reference varchar(40) not null,
    customer_id      bigint not null references customer (id),
    buyer_type       varchar(8) not null check (buyer_type in ('PERSON', 'COMPANY')),
    buyer_name       varchar(100) not null,
    buyer_tax_id     varchar(18),
    seller_name      varchar(100) not null,
    seller_tax_id    varchar(18) not null,
    seller_address   varchar(200),
    net_fen          bigint not null,
    tax_fen          bigint not null,
    total_fen        bigint not null,
    check_code       varchar(20) not null,
    issued_at        timestamptz not null,
    -- a red-letter invoice names the blue one it cancels, and why
    original_id      bigint references invoice (id),
    reason           varchar(200),
    reversed_at      timestamptz,
    reversed_by_id   bigint references invoice (id),
    check (net_fen + tax_fen = total_fen),
    check ((kind = 'BLUE' and original_id is null and total_fen > 0)
        or (kind = 'RED' and original_id is not null and total_fen < 0 and status = 'ISSUED')),
    check (buyer_type = 'PERSON' or buyer_tax_id is not null),
    foreign key (source_kind, source_reference) references invoice_source (kind, reference)
);
-- one live invoice per top-up or bill (a second request finds it); after a reversal a corrected one may follow
create unique index invoice_one_live on invoice (source_kind, source_reference) where kind = 'BLUE' and status = 'ISSUED';
-- a blue invoice is reversed once
create unique index invoice_one_red on invoice (original_id) where kind = 'RED';
create index invoice_customer on invoice (customer_id, issued_at desc, id desc);

create table invoice_item (
    invoice_id  bigint not null references invoice (id),
    line_no     int not null,
    name        varchar(100) not null,
    -- basis points: 900 = 9 % (basic telecom services), 600 = 6 % (value-added telecom services)
    tax_rate_bp int not null check (tax_rate_bp between 0 and 10000),
    net_fen     bigint not null,
    tax_fen     bigint not null,
    total_fen   bigint not null,
    primary key (invoice_id, line_no),
    check (net_fen + tax_fen = total_fen)
);

create function invoice_refuse_changes() returns trigger language plpgsql as $$
declare
    mutable constant text[] := array['status', 'reversed_at', 'reversed_by_id'];
begin
    if tg_op = 'DELETE' then
        raise exception 'invoice % is issued and cannot be deleted; reverse it with a red-letter invoice', old.number;
    end if;
    if (to_jsonb(new) - mutable) <> (to_jsonb(old) - mutable)
       or not (old.kind = 'BLUE' and old.status = 'ISSUED' and old.reversed_by_id is null
               and new.status = 'REVERSED' and new.reversed_by_id is not null and new.reversed_at is not null) then
        raise exception 'invoice % is issued and cannot be changed; reverse it with a red-letter invoice', old.number;
    end if;
    return new;
end $$;
create trigger invoice_immutable before update or delete on invoice
    for each row execute function invoice_refuse_changes();

create function invoice_item_refuse_changes() returns trigger language plpgsql as $$
begin
    raise exception 'the items of invoice % are issued and cannot change', old.invoice_id;
end $$;
create trigger invoice_item_immutable before update or delete on invoice_item
    for each row execute function invoice_item_refuse_changes();
