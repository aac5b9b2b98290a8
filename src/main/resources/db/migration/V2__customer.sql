-- Customers and their lines. The ID number is stored encrypted (AES-GCM) with a masked copy for
-- display, so pages never need to decrypt it.
create table customer (
    id                 bigserial primary key,
    kind               varchar(16) not null check (kind in ('PERSON', 'ENTERPRISE')),
    name               varchar(100) not null,
    id_number_cipher   text,
    id_number_masked   varchar(32),
    real_name_verified boolean not null default false,
    cycle_day          smallint not null default 1 check (cycle_day between 1 and 28),
    service_level      varchar(16) not null default 'STANDARD',
    created_at         timestamptz not null default now()
);

create table line (
    id           bigserial primary key,
    customer_id  bigint not null references customer (id),
    msisdn       varchar(11) not null unique check (msisdn ~ '^1[3-9][0-9]{9}$'),
    iccid        varchar(20) not null unique,
    status       varchar(16) not null check (status in ('ACTIVE', 'SUSPENDED', 'STOPPED')),
    activated_at timestamptz not null default now()
);
create index line_customer on line (customer_id);
