-- Rating keeps the buckets of the lines it rated in memory (Rating.BucketCache) rather than reading them again for
-- every batch. What tells it whether they are still right: a generation per stripe of rating's line locks (line id
-- modulo 64), moved on by every transaction that changes a bucket of a line in that stripe. Rating moves its stripes'
-- on while it holds their locks; any other change to bucket rows (a pack bought, a cycle renewed, a plan changed, a
-- fix by hand, rating on another node) moves them on through the triggers below. A node whose remembered generation of
-- a stripe is not the one before its own reads that stripe's buckets from the table again.
create table rating_stripe (
    stripe     integer primary key check (stripe >= 0 and stripe < 64),
    generation bigint not null default 0
);
insert into rating_stripe (stripe) select generate_series(0, 63);

-- Rows inserted or deleted: their stripes, once per statement (every stripe for a truncate). Stripe rows are always
-- locked in ascending stripe order, as rating locks them (Rating.moveStripes), so the two never deadlock.
create function move_stripes(stripes int[]) returns void language sql as $$
    update rating_stripe r set generation = r.generation + 1
      from (select stripe from rating_stripe where stripe = any(stripes) order by stripe for update) l
     where r.stripe = l.stripe;
$$;
create function bucket_rows_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'TRUNCATE' then
        perform move_stripes((select array_agg(stripe) from rating_stripe));
    elsif tg_op = 'INSERT' then
        perform move_stripes((select array_agg(distinct mod(line_id, 64)::int) from new_rows));
    else
        perform move_stripes((select array_agg(distinct mod(line_id, 64)::int) from old_rows));
    end if;
    return null;
end $$;
create trigger bucket_inserted after insert on bucket referencing new table as new_rows
    for each statement execute function bucket_rows_changed();
create trigger bucket_deleted after delete on bucket referencing old table as old_rows
    for each statement execute function bucket_rows_changed();
create trigger bucket_truncated after truncate on bucket for each statement execute function bucket_rows_changed();

-- Rows updated by anything but rating itself (which sets telehall.rating_writes for its transaction and moves its own
-- stripes on): the row's stripe, once per transaction (a renewal updating many rows moves each stripe on once).
create function bucket_row_updated() returns trigger language plpgsql as $$
declare
    s int := mod(new.line_id, 64)::int;
begin
    if current_setting('telehall.stripe_moved_' || s, true) is distinct from 'on' then
        perform move_stripes(array[s]);
        perform set_config('telehall.stripe_moved_' || s, 'on', true);
    end if;
    if new.line_id <> old.line_id then
        perform move_stripes(array[mod(old.line_id, 64)::int]);
    end if;
    return null;
end $$;
create trigger bucket_updated after update on bucket for each row
    when (current_setting('telehall.rating_writes', true) is distinct from 'on')
    execute function bucket_row_updated();
