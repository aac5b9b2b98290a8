-- Catalog: what the operator sells. An offering is the thing; its prices are versioned rows so a
-- price change never rewrites what a customer was quoted or billed before.
create table catalog_offering (
    id              varchar(40) primary key,
    kind            varchar(16) not null check (kind in ('PLAN', 'PACK', 'SERVICE')),
    category        varchar(16) not null,
    name_zh         varchar(80) not null,
    name_en         varchar(80) not null,
    description_zh  varchar(400) not null default '',
    description_en  varchar(400) not null default '',
    conditions_zh   varchar(400) not null default '',
    conditions_en   varchar(400) not null default '',
    network_5g      boolean not null default false,
    data_mb         bigint  not null default 0 check (data_mb >= 0),
    voice_min       integer not null default 0 check (voice_min >= 0),
    sms_count       integer not null default 0 check (sms_count >= 0),
    validity_days   integer check (validity_days > 0),
    trial_days      integer not null default 0 check (trial_days >= 0),
    data_rollover   boolean not null default false,
    roaming_zone    varchar(16),
    on_sale         boolean not null default true,
    sort_order      integer not null default 0
);

create table catalog_price (
    id                      bigserial primary key,
    offering_id             varchar(40) not null references catalog_offering (id),
    version                 integer not null check (version > 0),
    recurring_fee_fen       bigint  not null default 0 check (recurring_fee_fen >= 0),
    one_time_fee_fen        bigint  not null default 0 check (one_time_fee_fen >= 0),
    data_overage_fen_per_mb integer not null default 0 check (data_overage_fen_per_mb >= 0),
    voice_overage_fen_per_min integer not null default 0 check (voice_overage_fen_per_min >= 0),
    sms_overage_fen         integer not null default 0 check (sms_overage_fen >= 0),
    roaming_data_fen_per_mb integer not null default 0 check (roaming_data_fen_per_mb >= 0),
    roaming_voice_fen_per_min integer not null default 0 check (roaming_voice_fen_per_min >= 0),
    valid_from              timestamptz not null,
    valid_to                timestamptz,
    unique (offering_id, version),
    check (valid_to is null or valid_to > valid_from)
);
create index catalog_price_current on catalog_price (offering_id, valid_from desc);
