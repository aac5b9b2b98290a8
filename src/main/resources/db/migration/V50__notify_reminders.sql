-- The notification centre: every reminder a customer was given. One row per crossing: the unique
-- crossing key (line or account, kind, cycle/step) makes a re-sent, late or duplicated event a no-op.
-- The row is also the SMS outbox: written in the transaction that caused it, the SMS goes out after
-- that commits (or, in quiet hours, when they end), so a rolled-back cause sends nothing.
create table notification (
    id           bigserial primary key,
    customer_id  bigint not null,
    line_id      bigint,
    msisdn       varchar(11),
    kind         varchar(30) not null,
    template     varchar(60) not null,
    crossing_key varchar(200) not null,
    args         text[] not null default '{}',
    created_at   timestamptz not null,
    read_at      timestamptz,
    sms_due_at   timestamptz,
    sms_sent_at  timestamptz,
    constraint notification_once unique (crossing_key)
);
create index notification_of_customer on notification (customer_id, id desc);
-- the unread badge on every page counts these
create index notification_unread on notification (customer_id) where read_at is null;
create index notification_sms_due on notification (sms_due_at) where sms_sent_at is null and sms_due_at is not null;

-- Domestic data past a line's allowance in a cycle; written only for lines already past 100 %.
create table notify_data_beyond (
    line_id     bigint not null,
    cycle_start date not null,
    kb          bigint not null,
    primary key (line_id, cycle_start)
);

-- A customer's reminder choices; no row = the defaults.
create table reminder_settings (
    customer_id        bigint primary key,
    data_threshold_pct int not null default 80 check (data_threshold_pct between 50 and 99),
    low_balance_fen    bigint check (low_balance_fen >= 0),
    quiet_from         time not null default '22:00',
    quiet_to           time not null default '08:00',
    off_kinds          text[] not null default '{}',
    updated_at         timestamptz not null default now()
);
create index reminder_settings_changed on reminder_settings (updated_at);
