-- A payment says what it pays: a top-up, or a bill (its reference is the bill's id as the billing
-- module knows it). Refunds go back through the provider under our refund request number.
alter table payment_order add column reference varchar(40);
alter table payment_order add column refund_no varchar(40) unique;
alter table payment_order add column refund_reason varchar(200);
alter table payment_order add column refunded_by varchar(60);

-- the simulated providers' books learn refunds
alter table sim_provider_trade add column refund_no varchar(40) unique;
alter table sim_provider_trade add column refunded_at timestamptz;
