-- CDR files taken from the usage drop directory. A file is claimed by renaming it into processing/
-- (atomic, so two nodes never take the same file); this row then says who has it and, by its
-- content's sha256, whether the same file was rated before: a file dropped again is not rated twice.
create table usage_file (
    id            bigserial primary key,
    name          varchar(255) not null,
    sha256        char(64) not null,
    size_bytes    bigint not null,
    -- PROCESSING while a node rates it; DONE / REJECTED (no line accepted or not parseable); DUPLICATE of an earlier file
    status        varchar(12) not null check (status in ('PROCESSING', 'DONE', 'REJECTED', 'DUPLICATE')),
    duplicate_of  bigint references usage_file (id),
    node          varchar(80) not null,
    claimed_path  varchar(1024) not null,
    claimed_at    timestamptz not null,
    finished_at   timestamptz,
    records       integer not null default 0,
    rated         integer not null default 0,
    duplicates    integer not null default 0,
    rejected      integer not null default 0,
    problem       varchar(255)
);
-- one row per distinct content rated (or being rated); a later copy is a DUPLICATE row pointing at the
-- first. A REJECTED file rated nothing, so the same content may come again (say once its lines exist).
create unique index usage_file_content on usage_file (sha256) where duplicate_of is null and status <> 'REJECTED';
create index usage_file_processing on usage_file (claimed_at) where status = 'PROCESSING';
