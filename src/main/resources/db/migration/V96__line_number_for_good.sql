-- A number stays with its line and the line with its customer: rating keeps the line of each number it has
-- seen (Rating.knownLines) instead of looking every number up again in every batch. Should numbers ever
-- change hands (recycling, transfer of ownership), that cache needs invalidating first: these triggers
-- make the change fail loudly until it does.
create function line_keeps_its_number() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'line % (%) cannot be deleted', old.id, old.msisdn using errcode = 'check_violation';
    end if;
    raise exception 'line % keeps its number % and its customer %', old.id, old.msisdn, old.customer_id
        using errcode = 'check_violation';
end $$;
create trigger line_number_for_good before update of msisdn, customer_id on line for each row
    when (new.msisdn is distinct from old.msisdn or new.customer_id is distinct from old.customer_id)
    execute function line_keeps_its_number();
create trigger line_not_deleted before delete on line for each row execute function line_keeps_its_number();
