-- ShedLock's table (the standard name and shape; another module may create it too, hence "if not exists"):
-- a scheduled job runs on one node at a time.
create table if not exists shedlock (
    name       varchar(64) not null primary key,
    lock_until timestamp not null,
    locked_at  timestamp not null,
    locked_by  varchar(255) not null
);

-- Daily reconciliation of each provider's settlement file against our payments and the ledger.
-- One run per (day, provider) at a time; each mismatch found is a row with what was done about it.
create table payment_recon_run (
    id             bigserial primary key,
    day            date not null,
    provider       varchar(12) not null check (provider in ('ALIPAY', 'WECHAT', 'UNIONPAY')),
    status         varchar(8) not null check (status in ('RUNNING', 'DONE', 'FAILED')),
    started_at     timestamptz not null,
    finished_at    timestamptz,
    triggered_by   varchar(60) not null,
    file_name      varchar(120),
    file_sha256    varchar(64),
    provider_lines int not null default 0,
    matched        int not null default 0,
    mismatches     int not null default 0,
    fixed          int not null default 0,
    error          varchar(300)
);
create unique index payment_recon_one_running on payment_recon_run (day, provider) where status = 'RUNNING';
create index payment_recon_run_recent on payment_recon_run (started_at desc);

create table payment_recon_mismatch (
    id                   bigserial primary key,
    run_id               bigint not null references payment_recon_run (id),
    payment_id           bigint references payment_order (id),
    out_trade_no         varchar(40) not null,
    kind                 varchar(24) not null check (kind in ('PAID_NOT_CREDITED', 'CREDITED_NOT_PAID', 'REFUNDED_NOT_REVERSED',
                                                              'REVERSED_NOT_REFUNDED', 'AMOUNT_MISMATCH', 'UNKNOWN_ORDER')),
    provider_amount_fen  bigint,
    our_amount_fen       bigint,
    fix                  varchar(16) not null check (fix in ('CREDITED', 'REVERSED', 'REVERSED_PART', 'REFUND_SENT', 'NONE')),
    fixed                boolean not null,
    -- what is still owed when a reversal found the account short of the money
    outstanding_fen      bigint not null default 0,
    detail               varchar(300),
    at                   timestamptz not null
);
create index payment_recon_mismatch_run on payment_recon_mismatch (run_id, id);
create index payment_recon_mismatch_payment on payment_recon_mismatch (payment_id);

-- the simulated providers write their settlement files by day
create index sim_provider_trade_paid on sim_provider_trade (provider, paid_at);
create index sim_provider_trade_refunded on sim_provider_trade (provider, refunded_at) where refunded_at is not null;
