-- Product inventory (TMF637): what each line holds — its plan, add-on packs, value-added services.
create table product (
    id                bigserial primary key,
    customer_id       bigint not null references customer (id),
    line_id           bigint not null references line (id),
    offering_id       varchar(40) not null references catalog_offering (id),
    kind              varchar(16) not null check (kind in ('PLAN', 'PACK', 'SERVICE')),
    status            varchar(20) not null check (status in ('ACTIVE', 'PENDING_TERMINATE', 'TERMINATED')),
    started_at        timestamptz not null,
    ends_at           timestamptz,
    trial_ends_at     timestamptz,
    auto_renew        boolean not null default false,
    recurring_fee_fen bigint not null default 0 check (recurring_fee_fen >= 0),
    one_time_fee_fen  bigint not null default 0 check (one_time_fee_fen >= 0)
);
create index product_line on product (line_id, status);
create index product_customer on product (customer_id);
-- A line has exactly one plan in force.
create unique index product_one_active_plan on product (line_id) where kind = 'PLAN' and status <> 'TERMINATED';
