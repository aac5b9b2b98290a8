-- move_stripes answers the stripes' new generations, so Rating moves its stripes through it as the triggers do: the
-- order the stripe rows are locked in (ascending, so rating and the triggers never deadlock) is written down once.
-- The triggers PERFORM it and drop the answer (an UPDATE ... RETURNING in a SQL function runs to completion either way).
drop function move_stripes(int[]);
create function move_stripes(stripes int[]) returns table (stripe int, generation bigint) language sql as $$
    update rating_stripe r set generation = r.generation + 1
      from (select s.stripe from rating_stripe s where s.stripe = any(stripes) order by s.stripe for update) l
     where r.stripe = l.stripe
    returning r.stripe, r.generation;
$$;
