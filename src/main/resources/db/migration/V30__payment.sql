-- Payment orders (top-ups now, bills later): created once per idempotency key, paid at a provider,
-- credited to the ledger exactly once when the provider's signed notification (or an order query,
-- or reconciliation) says the money arrived. Every state change is a timeline event.
create table payment_order (
    id                  bigserial primary key,
    payer_customer_id   bigint not null references customer (id),
    payer_user_id       bigint not null references app_user (id),
    -- whose account the money goes to: the line's customer (a top-up may be for anyone's line)
    target_customer_id  bigint not null references customer (id),
    msisdn              varchar(11) not null,
    purpose             varchar(12) not null check (purpose in ('TOPUP', 'BILL')),
    method              varchar(12) not null check (method in ('ALIPAY', 'WECHAT', 'UNIONPAY')),
    channel             varchar(8) not null check (channel in ('WEB', 'API', 'AUTO')),
    amount_fen          bigint not null check (amount_fen > 0),
    status              varchar(12) not null check (status in ('PENDING', 'PAID', 'FAILED', 'REFUNDED', 'CLOSED')),
    idempotency_key     varchar(80) not null,
    request_hash        varchar(64) not null,
    provider_trade_no   varchar(64),
    created_at          timestamptz not null,
    paid_at             timestamptz,
    refunded_at         timestamptz,
    balance_after_fen   bigint,
    unique (payer_user_id, idempotency_key)
);
create index payment_order_payer on payment_order (payer_customer_id, created_at desc);
create index payment_order_pending on payment_order (created_at) where status = 'PENDING';

create table payment_event (
    id          bigserial primary key,
    payment_id  bigint not null references payment_order (id),
    at          timestamptz not null,
    step        varchar(24) not null,
    detail      varchar(300)
);
create index payment_event_payment on payment_event (payment_id, at, id);

-- The simulated providers' own books (their side of the world): what they were asked to collect and
-- what they collected. Kept in the same database for the demo; a real provider keeps its own.
create table sim_provider_trade (
    provider      varchar(12) not null,
    out_trade_no  varchar(32) not null,
    trade_no      varchar(40) not null unique,
    amount_fen    bigint not null,
    status        varchar(16) not null check (status in ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED', 'REFUNDED')),
    created_at    timestamptz not null,
    paid_at       timestamptz,
    primary key (provider, out_trade_no)
);
