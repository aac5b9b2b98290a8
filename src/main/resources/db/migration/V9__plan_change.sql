-- Plan changes: an order may take effect later (a downgrade from the next cycle), and a mid-cycle
-- upgrade brings the extra allowance for the days left, fixed when it is quoted.
alter table product_order add column effective_at timestamptz;
alter table product_order_item add column grant_data_kb bigint not null default 0 check (grant_data_kb >= 0);
alter table product_order_item add column grant_voice_minutes bigint not null default 0 check (grant_voice_minutes >= 0);
alter table product_order_item add column grant_sms bigint not null default 0 check (grant_sms >= 0);
