-- Every rated record takes an id from usage_record's identity sequence; uncached, each nextval locks the
-- sequence's page and every 32nd writes WAL, all backends on one page. Each backend now takes 1,000 ids at a
-- time. Ids stay unique; they are no longer in insertion order across connections, and an unused rest is
-- skipped when a connection closes. Nothing orders by id but as the last tie-break of equal start times.
alter table usage_record alter column id set cache 1000;
