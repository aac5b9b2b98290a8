create table app_user (
    id              bigserial primary key,
    username        varchar(64) not null unique,
    password_hash   varchar(200) not null,
    role            varchar(16) not null check (role in ('SUBSCRIBER', 'AGENT', 'ADMIN')),
    customer_id     bigint references customer (id),
    display_name    varchar(100) not null,
    locale          varchar(8) not null default 'zh-CN',
    elderly_mode    boolean not null default false,
    failed_attempts integer not null default 0,
    locked_until    timestamptz,
    created_at      timestamptz not null default now(),
    check ((role = 'SUBSCRIBER') = (customer_id is not null))
);

-- One-time codes: stored hashed, bound to a purpose (login, an order id, a payment), single use.
create table one_time_code (
    id         bigserial primary key,
    user_id    bigint not null references app_user (id),
    purpose    varchar(80) not null,
    code_hash  varchar(100) not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    attempts   integer not null default 0,
    used_at    timestamptz
);
create index one_time_code_user on one_time_code (user_id, purpose, created_at desc);

create table audit_event (
    id         bigserial primary key,
    at         timestamptz not null default now(),
    actor      varchar(64) not null,
    action     varchar(40) not null,
    subject    varchar(80),
    detail     varchar(400)
);
create index audit_event_at on audit_event (at desc);
