-- Care tickets: cases a person at the operator follows up. One per category and reference, so
-- asking twice (a double tap on "talk to a person") opens one.
create table care_ticket (
    id          bigserial primary key,
    customer_id bigint not null references customer (id),
    category    varchar(20) not null,
    subject     varchar(200) not null,
    body        varchar(2000) not null default '',
    reference   varchar(60) not null,
    status      varchar(8) not null check (status in ('OPEN', 'CLOSED')),
    created_at  timestamptz not null,
    unique (category, reference)
);
create index care_ticket_open on care_ticket (created_at, id) where status = 'OPEN';
