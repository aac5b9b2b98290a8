-- Business orders (TMF622): every change a subscriber asks for goes quote → SMS confirmation →
-- eligibility → fee → network provisioning → completion, and each step is a timeline entry.
create table product_order (
    id                bigserial primary key,
    customer_id       bigint not null references customer (id),
    line_id           bigint not null references line (id),
    -- who placed it: the subscriber online (web/api) or an agent at a store counter
    channel           varchar(8) not null check (channel in ('WEB', 'API', 'STORE')),
    placed_by_user_id bigint not null references app_user (id),
    state             varchar(16) not null check (state in ('PENDING', 'ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED')),
    fee_fen           bigint not null default 0 check (fee_fen >= 0),
    created_at        timestamptz not null,
    confirm_by        timestamptz not null,
    confirmed_at      timestamptz,
    completed_at      timestamptz,
    failure_reason    varchar(200),
    attempts          integer not null default 0,
    next_attempt_at   timestamptz
);
create index product_order_customer on product_order (customer_id, created_at desc);
create index product_order_due on product_order (next_attempt_at) where state in ('ACKNOWLEDGED', 'IN_PROGRESS');

create table product_order_item (
    id           bigserial primary key,
    order_id     bigint not null references product_order (id),
    action       varchar(8) not null check (action in ('ADD', 'DELETE')),
    offering_id  varchar(40) not null references catalog_offering (id),
    -- for DELETE: the product ended; for ADD: the product made, once provisioned
    product_id   bigint references product (id),
    fee_fen      bigint not null default 0 check (fee_fen >= 0),
    monthly_fen  bigint not null default 0 check (monthly_fen >= 0)
);
create index product_order_item_order on product_order_item (order_id);
-- Two open orders may not touch the same product: the second one is refused as conflicting.
create index product_order_item_product on product_order_item (product_id);

create table order_event (
    id        bigserial primary key,
    order_id  bigint not null references product_order (id),
    at        timestamptz not null,
    step      varchar(24) not null,
    detail    varchar(300)
);
create index order_event_order on order_event (order_id, at, id);
