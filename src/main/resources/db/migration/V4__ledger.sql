-- Double-entry journal in integer fen. Every entry sums to zero over its lines and carries a
-- unique business key, so a retried request or replayed notification cannot post twice.
-- Running balances live only on customer accounts (lock per customer); operator accounts are
-- append-only and aggregated, so no single operator row becomes the system's hot spot.
create table ledger_account (
    id               bigserial primary key,
    kind             varchar(24) not null check (kind in ('CUSTOMER_PREPAID', 'OPERATOR_CASH', 'OPERATOR_REVENUE', 'OPERATOR_ADJUSTMENT')),
    customer_id      bigint unique,
    balance_fen      bigint not null default 0,
    credit_limit_fen bigint not null default 0 check (credit_limit_fen >= 0),
    created_at       timestamptz not null default now(),
    check ((kind = 'CUSTOMER_PREPAID') = (customer_id is not null)),
    -- no negative prepaid balance beyond the configured credit
    check (kind <> 'CUSTOMER_PREPAID' or balance_fen >= -credit_limit_fen)
);
create unique index ledger_operator_account on ledger_account (kind) where customer_id is null;

insert into ledger_account (kind) values ('OPERATOR_CASH'), ('OPERATOR_REVENUE'), ('OPERATOR_ADJUSTMENT');

create table journal_entry (
    id           bigserial primary key,
    business_key varchar(120) not null unique,
    kind         varchar(24) not null,
    reason_code  varchar(40) not null,
    reason_text  varchar(200) not null default '',
    posted_at    timestamptz not null default now()
);

create table journal_line (
    id                bigserial primary key,
    entry_id          bigint not null references journal_entry (id),
    account_id        bigint not null references ledger_account (id),
    amount_fen        bigint not null check (amount_fen <> 0),
    balance_after_fen bigint,
    posted_at         timestamptz not null
);
create index journal_line_account on journal_line (account_id, posted_at desc, id desc);
create index journal_line_entry on journal_line (entry_id);
