-- Every rated record paid for an entry in the (id, started_at) key, on top of its row and its line's index
-- entry, and nothing needs it: records are read by line and time (usage_record_line_time), a single one by
-- id together with the customer's lines (so through the line's entries), and exactly once is usage_seen's.
alter table usage_record drop constraint usage_record_pkey;
