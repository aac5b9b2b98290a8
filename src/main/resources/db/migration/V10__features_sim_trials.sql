-- Line functions (roaming, long distance) and SIM replacement are ordered like any offering; a SIM
-- replacement item records why (lost or damaged) and the new card. A trial service ends by itself
-- unless renewed (an order of its own); the reminder 3 days before is sent once.
alter table product_order_item add column detail varchar(64);
alter table product_order_item drop constraint product_order_item_action_check;
alter table product_order_item add constraint product_order_item_action_check check (action in ('ADD', 'DELETE', 'RENEW'));
alter table product add column trial_reminded_at timestamptz;
create index product_trial_due on product (trial_ends_at) where status = 'ACTIVE' and trial_ends_at is not null;
