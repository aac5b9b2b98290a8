-- Every SMS the hall sends, whichever gateway carried it.
create table sms_message (
    id         bigserial primary key,
    msisdn     varchar(11) not null,
    body       varchar(700) not null,
    purpose    varchar(40) not null,
    gateway    varchar(20) not null,
    sent_at    timestamptz not null default now()
);
create index sms_message_msisdn on sms_message (msisdn, id desc);
