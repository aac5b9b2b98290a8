-- Cycle roll-over. Each line's plan allowance renews at its customer's billing day; one row here per line
-- and cycle is what makes the renewal and the roll-over happen once each, whichever node or retry runs them.
create table allowance_cycle (
    line_id     bigint not null,
    cycle_start timestamptz not null,
    cycle_end   timestamptz not null,
    -- the plan in force at the start of the cycle when it was renewed
    product_id  bigint not null,
    offering_id varchar(40) not null,
    renewed_at  timestamptz not null,
    -- false: the cycle's plan allowance was there already (a plan change effective at the cycle start granted it)
    granted     boolean not null,
    -- set once the previous cycle's unused data has been rolled into this one (rolled_kb may be 0)
    rolled_at   timestamptz,
    rolled_kb   bigint check (rolled_kb >= 0),
    primary key (line_id, cycle_start),
    check (cycle_end > cycle_start)
);
create index allowance_cycle_to_roll on allowance_cycle (cycle_start) where rolled_at is null;

-- ROLLOVER: last cycle's unused plan data, usable until the end of this cycle; rating takes it after packs
-- and before the plan's own allowance, and it never rolls again.
alter table bucket drop constraint bucket_source_check;
alter table bucket add constraint bucket_source_check check (source in ('PLAN', 'PACK', 'ROLLOVER'));
create unique index bucket_one_rollover on bucket (line_id, kind, valid_to) where source = 'ROLLOVER';
