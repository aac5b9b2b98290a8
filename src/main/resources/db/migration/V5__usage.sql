-- Allowance buckets per line and cycle, and the rated usage records (partitioned by month so the
-- 6 months of 详单 a user may read stay a small scan, and old months drop as whole partitions).
create table bucket (
    id             bigserial primary key,
    line_id        bigint not null references line (id),
    kind           varchar(8) not null check (kind in ('DATA', 'VOICE', 'SMS')),
    source         varchar(8) not null check (source in ('PLAN', 'PACK')),
    product_id     bigint references product (id),
    offering_id    varchar(40) not null references catalog_offering (id),
    -- DATA in KB, VOICE in minutes, SMS in messages
    initial_amount bigint not null check (initial_amount >= 0),
    used_amount    bigint not null default 0 check (used_amount >= 0),
    valid_from     timestamptz not null,
    valid_to       timestamptz not null,
    check (used_amount <= initial_amount),
    check (valid_to > valid_from)
);
create index bucket_line on bucket (line_id, valid_to);

create table usage_record (
    id             bigint generated always as identity,
    network_id     varchar(64) not null,
    line_id        bigint not null,
    usage_type     varchar(8) not null check (usage_type in ('VOICE', 'SMS', 'DATA')),
    direction      varchar(8) not null default 'OUT' check (direction in ('IN', 'OUT')),
    started_at     timestamptz not null,
    other_party    varchar(32),
    duration_sec   integer not null default 0 check (duration_sec >= 0),
    volume_kb      bigint not null default 0 check (volume_kb >= 0),
    roaming_country varchar(2),
    charge_fen     bigint not null default 0 check (charge_fen >= 0),
    rated_at       timestamptz not null default now(),
    primary key (id, started_at)
) partition by range (started_at);
create table usage_record_default partition of usage_record default;
create index usage_record_line_time on usage_record (line_id, started_at desc);
