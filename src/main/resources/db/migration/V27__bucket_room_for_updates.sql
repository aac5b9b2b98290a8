-- Rating rewrites a bucket row every time its line has usage in a batch. With room left on each page
-- those updates stay on the page (HOT: no new index entries, less WAL); the room applies to the pages
-- written from now on, e.g. each new cycle's buckets.
alter table bucket set (fillfactor = 70);
