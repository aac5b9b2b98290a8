-- New lines: the operator's pool of free numbers, the 15-minute hold a customer puts on one while
-- the new-line order completes, and a keyed digest of the ID number so that the lines one person
-- holds across all their customer records can be counted while the number itself stays encrypted.

alter table customer add column id_number_digest varchar(64);
create index customer_id_number_digest on customer (id_number_digest) where id_number_digest is not null;

create table number_pool (
    msisdn      varchar(11) primary key check (msisdn ~ '^1[3-9][0-9]{9}$'),
    lucky       boolean not null default false,
    price_fen   bigint not null default 0 check (price_fen >= 0),
    -- the lucky pattern it was priced by ("AAAA", "ABCD", "8888", "1314"…), null for a plain number
    pattern     varchar(16),
    status      varchar(8) not null default 'FREE' check (status in ('FREE', 'TAKEN')),
    -- a hold is live while held_until is in the future; a lapsed one is as good as none
    held_by     bigint references customer (id),
    held_until  timestamptz,
    taken_by    bigint references customer (id),
    taken_at    timestamptz,
    check ((held_by is null) = (held_until is null)),
    check (lucky or price_fen = 0)
);
create index number_pool_free on number_pool (msisdn) where status = 'FREE';
create index number_pool_held_by on number_pool (held_by) where held_by is not null;
create index number_pool_held_until on number_pool (held_until) where held_until is not null;

-- ICCIDs of SIMs issued with new lines: 898603 + a 13-digit serial + a Luhn check digit
create sequence sim_serial;
