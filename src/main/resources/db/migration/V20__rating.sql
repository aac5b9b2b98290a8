-- Real-time rating. usage_record is partitioned by month, so its rows cannot carry a unique network
-- id across partitions: every network id the hall has rated is kept here instead, one row each, and
-- inserting it in the rating transaction is what makes a record sent twice (or by two nodes at the
-- same moment) rate once.
create table usage_seen (
    network_id varchar(64) primary key,
    line_id    bigint not null,
    seen_at    timestamptz not null default now()
);

-- Roaming prices by zone; a country not listed rates as WORLD.
create table roaming_zone (
    zone              varchar(16) primary key,
    data_fen_per_mb   integer not null check (data_fen_per_mb >= 0),
    voice_fen_per_min integer not null check (voice_fen_per_min >= 0),
    sms_fen           integer not null check (sms_fen >= 0)
);
insert into roaming_zone values ('ASIA', 200, 99, 39), ('WORLD', 500, 299, 99);

create table roaming_country (
    country varchar(2) primary key,
    zone    varchar(16) not null references roaming_zone (zone),
    name_zh varchar(40) not null,
    name_en varchar(40) not null
);
insert into roaming_country values
    ('HK', 'ASIA', '中国香港', 'Hong Kong, China'), ('MO', 'ASIA', '中国澳门', 'Macao, China'),
    ('JP', 'ASIA', '日本', 'Japan'), ('KR', 'ASIA', '韩国', 'South Korea'), ('SG', 'ASIA', '新加坡', 'Singapore'),
    ('TH', 'ASIA', '泰国', 'Thailand'), ('MY', 'ASIA', '马来西亚', 'Malaysia'), ('VN', 'ASIA', '越南', 'Vietnam'),
    ('US', 'WORLD', '美国', 'United States'), ('GB', 'WORLD', '英国', 'United Kingdom'), ('FR', 'WORLD', '法国', 'France'),
    ('DE', 'WORLD', '德国', 'Germany'), ('AU', 'WORLD', '澳大利亚', 'Australia'), ('CA', 'WORLD', '加拿大', 'Canada');

-- Numbers that cost nothing to call or text, and use no allowance: customer service, emergency.
create table free_number (
    number  varchar(32) primary key,
    name_zh varchar(40) not null,
    name_en varchar(40) not null
);
insert into free_number values ('10086', '客服热线', 'Customer service'), ('10010', '客服热线', 'Customer service'),
    ('10000', '客服热线', 'Customer service'), ('12345', '政务服务热线', 'Public service hotline'),
    ('110', '报警', 'Police'), ('119', '火警', 'Fire'), ('120', '急救', 'Ambulance'), ('122', '交通事故', 'Traffic accident');

-- Why a line is suspended: ARREARS lifts by itself when a credit brings the balance above zero.
alter table line add column suspended_reason varchar(16) check (suspended_reason in ('ARREARS', 'REQUEST', 'LOST'));
alter table line add column suspended_at timestamptz;

-- Usage rated after the account had no credit left: the part of the charge the ledger could not
-- take. Kept so that nothing rated is silently forgotten (collection is a billing matter).
create table usage_shortfall (
    business_key varchar(120) primary key,
    customer_id  bigint not null,
    line_id      bigint not null,
    amount_fen   bigint not null check (amount_fen > 0),
    recorded_at  timestamptz not null default now()
);

-- Roaming data per line and country since the first record there: the arrival note and the
-- every-20-MB reminders count from this.
create table line_roaming (
    line_id     bigint not null,
    country     varchar(2) not null,
    first_usage timestamptz not null,
    data_kb     bigint not null default 0,
    primary key (line_id, country)
);
