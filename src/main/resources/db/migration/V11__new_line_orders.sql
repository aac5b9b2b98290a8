-- A new-line order has no line until the network activates the number it holds; until then it
-- names the number, and carries the real-name data to put on file (ID number encrypted, cleared
-- once the order ends).
alter table product_order alter column line_id drop not null;
alter table product_order add column new_msisdn varchar(11) check (new_msisdn ~ '^1[3-9][0-9]{9}$');
alter table product_order add column realname_name varchar(100);
alter table product_order add column realname_id_cipher text;
alter table product_order add constraint product_order_line_or_number check (line_id is not null or new_msisdn is not null);
create index product_order_new_msisdn on product_order (new_msisdn) where new_msisdn is not null;
