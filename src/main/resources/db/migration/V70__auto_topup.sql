-- Auto top-up: when an account's balance drops below a threshold, top it up from a withholding
-- agreement (代扣协议) the payer signed with a provider, at most N times a calendar month (Beijing).
-- One rule per account, kept when cancelled (an edit or a new start counts against the same month).
-- "armed" makes it once per crossing: a debit that takes the balance below the threshold disarms the
-- rule in the debit's own transaction; a credit that brings it back to or above the threshold arms it.
create table auto_topup_rule (
    id             bigserial primary key,
    customer_id    bigint not null unique references customer (id),
    user_id        bigint not null references app_user (id),
    msisdn         varchar(11) not null,
    threshold_fen  bigint not null check (threshold_fen > 0),
    amount_fen     bigint not null check (amount_fen > 0),
    max_per_month  int not null check (max_per_month between 1 and 10),
    method         varchar(12) not null check (method in ('ALIPAY', 'WECHAT', 'UNIONPAY')),
    agreement_no   varchar(64) not null,
    active         boolean not null,
    armed          boolean not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

-- Each top-up a rule fired: the n-th of its month, unique, so a replayed debit or a second worker
-- cannot make another; its payment order carries the idempotency key auto:<rule>:<month>:<n>.
create table auto_topup_run (
    rule_id       bigint not null references auto_topup_rule (id),
    month         char(7) not null,
    n             int not null,
    trigger_key   varchar(120) not null,
    balance_fen   bigint not null,
    status        varchar(10) not null check (status in ('DUE', 'SENT', 'REFUSED', 'SKIPPED')),
    payment_id    bigint references payment_order (id),
    detail        varchar(200),
    created_at    timestamptz not null,
    primary key (rule_id, month, n)
);
create index auto_topup_run_due on auto_topup_run (created_at) where status = 'DUE';

-- The simulated providers' withholding agreements (their side).
create table sim_provider_agreement (
    provider      varchar(12) not null,
    agreement_no  varchar(64) not null,
    payer_ref     varchar(64) not null,
    status        varchar(8) not null check (status in ('ACTIVE', 'UNSIGNED')),
    signed_at     timestamptz not null,
    primary key (provider, agreement_no)
);
